// Original file: proto/sergeant/v1/task.proto

import type { EventKind as _sergeant_v1_EventKind, EventKind__Output as _sergeant_v1_EventKind__Output } from '../../sergeant/v1/EventKind';
import type { TaskResult as _sergeant_v1_TaskResult, TaskResult__Output as _sergeant_v1_TaskResult__Output } from '../../sergeant/v1/TaskResult';

export interface TaskEvent {
  'queue'?: (string);
  'taskId'?: (string);
  'kind'?: (_sergeant_v1_EventKind);
  'atUnixS'?: (number | string);
  /**
   * PROGRESS: 0..1
   */
  'progress'?: (number | string);
  /**
   * PROGRESS: free text
   */
  'message'?: (string);
  /**
   * PROGRESS: msgpack detail
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * terminal events: the result or error
   */
  'result'?: (_sergeant_v1_TaskResult | null);
}

export interface TaskEvent__Output {
  'queue': (string);
  'taskId': (string);
  'kind': (_sergeant_v1_EventKind__Output);
  'atUnixS': (number);
  /**
   * PROGRESS: 0..1
   */
  'progress': (number);
  /**
   * PROGRESS: free text
   */
  'message': (string);
  /**
   * PROGRESS: msgpack detail
   */
  'data': (Buffer);
  /**
   * terminal events: the result or error
   */
  'result': (_sergeant_v1_TaskResult__Output | null);
}
