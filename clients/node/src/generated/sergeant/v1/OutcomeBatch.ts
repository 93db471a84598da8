// Original file: proto/sergeant/v1/worker.proto

import type { Outcome as _sergeant_v1_Outcome, Outcome__Output as _sergeant_v1_Outcome__Output } from '../../sergeant/v1/Outcome';
import type { Long } from '@grpc/proto-loader';

/**
 * Outcomes are idempotent per lease: resending a batch after a reconnect does no harm.
 */
export interface OutcomeBatch {
  /**
   * echoed in the acknowledgement
   */
  'sequence'?: (number | string | Long);
  'queue'?: (string);
  'outcomes'?: (_sergeant_v1_Outcome)[];
}

/**
 * Outcomes are idempotent per lease: resending a batch after a reconnect does no harm.
 */
export interface OutcomeBatch__Output {
  /**
   * echoed in the acknowledgement
   */
  'sequence': (string);
  'queue': (string);
  'outcomes': (_sergeant_v1_Outcome__Output)[];
}
