// Original file: proto/sergeant/v1/producer.proto

import type { Task as _sergeant_v1_Task, Task__Output as _sergeant_v1_Task__Output } from '../../sergeant/v1/Task';

export interface SubmitRequest {
  'task'?: (_sergeant_v1_Task | null);
  /**
   * also stream PROGRESS events
   */
  'progress'?: (boolean);
}

export interface SubmitRequest__Output {
  'task': (_sergeant_v1_Task__Output | null);
  /**
   * also stream PROGRESS events
   */
  'progress': (boolean);
}
