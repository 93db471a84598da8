// Original file: proto/sergeant/v1/producer.proto

import type { TaskState as _sergeant_v1_TaskState, TaskState__Output as _sergeant_v1_TaskState__Output } from '../../sergeant/v1/TaskState';
import type { Task as _sergeant_v1_Task, Task__Output as _sergeant_v1_Task__Output } from '../../sergeant/v1/Task';
import type { TaskResult as _sergeant_v1_TaskResult, TaskResult__Output as _sergeant_v1_TaskResult__Output } from '../../sergeant/v1/TaskResult';

export interface GetTaskResponse {
  'state'?: (_sergeant_v1_TaskState);
  /**
   * while the store holds the envelope
   */
  'task'?: (_sergeant_v1_Task | null);
  /**
   * once terminal
   */
  'result'?: (_sergeant_v1_TaskResult | null);
}

export interface GetTaskResponse__Output {
  'state': (_sergeant_v1_TaskState__Output);
  /**
   * while the store holds the envelope
   */
  'task': (_sergeant_v1_Task__Output | null);
  /**
   * once terminal
   */
  'result': (_sergeant_v1_TaskResult__Output | null);
}
