// Original file: proto/sergeant/v1/operations.proto

import type { Task as _sergeant_v1_Task, Task__Output as _sergeant_v1_Task__Output } from '../../sergeant/v1/Task';
import type { TaskError as _sergeant_v1_TaskError, TaskError__Output as _sergeant_v1_TaskError__Output } from '../../sergeant/v1/TaskError';

export interface DeadLetter {
  'task'?: (_sergeant_v1_Task | null);
  'error'?: (_sergeant_v1_TaskError | null);
  'diedAtUnixS'?: (number | string);
}

export interface DeadLetter__Output {
  'task': (_sergeant_v1_Task__Output | null);
  'error': (_sergeant_v1_TaskError__Output | null);
  'diedAtUnixS': (number);
}
