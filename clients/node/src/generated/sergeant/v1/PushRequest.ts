// Original file: proto/sergeant/v1/producer.proto

import type { Task as _sergeant_v1_Task, Task__Output as _sergeant_v1_Task__Output } from '../../sergeant/v1/Task';

export interface PushRequest {
  /**
   * 1..max batch (default 10,000)
   */
  'tasks'?: (_sergeant_v1_Task)[];
}

export interface PushRequest__Output {
  /**
   * 1..max batch (default 10,000)
   */
  'tasks': (_sergeant_v1_Task__Output)[];
}
