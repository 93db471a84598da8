// Original file: proto/sergeant/v1/task.proto

import type { TaskState as _sergeant_v1_TaskState, TaskState__Output as _sergeant_v1_TaskState__Output } from '../../sergeant/v1/TaskState';
import type { TaskError as _sergeant_v1_TaskError, TaskError__Output as _sergeant_v1_TaskError__Output } from '../../sergeant/v1/TaskError';

export interface TaskResult {
  /**
   * SUCCEEDED, DEAD or CANCELLED
   */
  'state'?: (_sergeant_v1_TaskState);
  /**
   * msgpack of what the task returned (SUCCEEDED only; may be empty)
   */
  'result'?: (Buffer | Uint8Array | string);
  /**
   * DEAD only
   */
  'error'?: (_sergeant_v1_TaskError | null);
  'finishedAtUnixS'?: (number | string);
}

export interface TaskResult__Output {
  /**
   * SUCCEEDED, DEAD or CANCELLED
   */
  'state': (_sergeant_v1_TaskState__Output);
  /**
   * msgpack of what the task returned (SUCCEEDED only; may be empty)
   */
  'result': (Buffer);
  /**
   * DEAD only
   */
  'error': (_sergeant_v1_TaskError__Output | null);
  'finishedAtUnixS': (number);
}
