// Original file: proto/sergeant/v1/producer.proto

import type { PushedTask as _sergeant_v1_PushedTask, PushedTask__Output as _sergeant_v1_PushedTask__Output } from '../../sergeant/v1/PushedTask';
import type { DuplicateTask as _sergeant_v1_DuplicateTask, DuplicateTask__Output as _sergeant_v1_DuplicateTask__Output } from '../../sergeant/v1/DuplicateTask';

export interface PushResponse {
  /**
   * the repeated form's answer, in request order
   */
  'tasks'?: (_sergeant_v1_PushedTask)[];
  /**
   * The packed form's answer: how many tasks the batch held, and only those that matched an earlier push.
   */
  'count'?: (number);
  'duplicates'?: (_sergeant_v1_DuplicateTask)[];
}

export interface PushResponse__Output {
  /**
   * the repeated form's answer, in request order
   */
  'tasks': (_sergeant_v1_PushedTask__Output)[];
  /**
   * The packed form's answer: how many tasks the batch held, and only those that matched an earlier push.
   */
  'count': (number);
  'duplicates': (_sergeant_v1_DuplicateTask__Output)[];
}
