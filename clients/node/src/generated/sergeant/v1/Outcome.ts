// Original file: proto/sergeant/v1/worker.proto

import type { OutcomeKind as _sergeant_v1_OutcomeKind, OutcomeKind__Output as _sergeant_v1_OutcomeKind__Output } from '../../sergeant/v1/OutcomeKind';
import type { TaskError as _sergeant_v1_TaskError, TaskError__Output as _sergeant_v1_TaskError__Output } from '../../sergeant/v1/TaskError';

export interface Outcome {
  'taskId'?: (string);
  'leaseId'?: (string);
  'kind'?: (_sergeant_v1_OutcomeKind);
  'result'?: (Buffer | Uint8Array | string);
  'error'?: (_sergeant_v1_TaskError | null);
  /**
   * RETRY and REQUEUE; RETRY with 0 uses the backoff
   */
  'delayS'?: (number | string);
}

export interface Outcome__Output {
  'taskId': (string);
  'leaseId': (string);
  'kind': (_sergeant_v1_OutcomeKind__Output);
  'result': (Buffer);
  'error': (_sergeant_v1_TaskError__Output | null);
  /**
   * RETRY and REQUEUE; RETRY with 0 uses the backoff
   */
  'delayS': (number);
}
