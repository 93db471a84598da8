// Original file: proto/sergeant/v1/producer.proto

import type { Task as _sergeant_v1_Task, Task__Output as _sergeant_v1_Task__Output } from '../../sergeant/v1/Task';
import type { PackedTasks as _sergeant_v1_PackedTasks, PackedTasks__Output as _sergeant_v1_PackedTasks__Output } from '../../sergeant/v1/PackedTasks';

export interface PushRequest {
  /**
   * The repeated form, for grpcurl and hand-written calls: 1..max batch (default 10,000).
   */
  'tasks'?: (_sergeant_v1_Task)[];
  /**
   * The packed form, for clients' push-many: one queue's batch in one bytes field, far cheaper to build,
   * check and store than repeated Task messages. Send tasks or packed, never both.
   */
  'packed'?: (_sergeant_v1_PackedTasks | null);
}

export interface PushRequest__Output {
  /**
   * The repeated form, for grpcurl and hand-written calls: 1..max batch (default 10,000).
   */
  'tasks': (_sergeant_v1_Task__Output)[];
  /**
   * The packed form, for clients' push-many: one queue's batch in one bytes field, far cheaper to build,
   * check and store than repeated Task messages. Send tasks or packed, never both.
   */
  'packed': (_sergeant_v1_PackedTasks__Output | null);
}
