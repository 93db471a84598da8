// Original file: proto/sergeant/v1/producer.proto

import type { PushedTask as _sergeant_v1_PushedTask, PushedTask__Output as _sergeant_v1_PushedTask__Output } from '../../sergeant/v1/PushedTask';

export interface PushResponse {
  /**
   * in request order
   */
  'tasks'?: (_sergeant_v1_PushedTask)[];
}

export interface PushResponse__Output {
  /**
   * in request order
   */
  'tasks': (_sergeant_v1_PushedTask__Output)[];
}
