// Original file: proto/sergeant/v1/worker.proto

import type { Disposition as _sergeant_v1_Disposition, Disposition__Output as _sergeant_v1_Disposition__Output } from '../../sergeant/v1/Disposition';
import type { Long } from '@grpc/proto-loader';

export interface OutcomeAck {
  'sequence'?: (number | string | Long);
  /**
   * in the order of the batch's outcomes
   */
  'dispositions'?: (_sergeant_v1_Disposition)[];
}

export interface OutcomeAck__Output {
  'sequence': (string);
  /**
   * in the order of the batch's outcomes
   */
  'dispositions': (_sergeant_v1_Disposition__Output)[];
}
