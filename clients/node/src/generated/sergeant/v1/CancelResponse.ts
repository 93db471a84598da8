// Original file: proto/sergeant/v1/producer.proto

import type { CancelOutcome as _sergeant_v1_CancelOutcome, CancelOutcome__Output as _sergeant_v1_CancelOutcome__Output } from '../../sergeant/v1/CancelOutcome';

export interface CancelResponse {
  'outcome'?: (_sergeant_v1_CancelOutcome);
}

export interface CancelResponse__Output {
  'outcome': (_sergeant_v1_CancelOutcome__Output);
}
