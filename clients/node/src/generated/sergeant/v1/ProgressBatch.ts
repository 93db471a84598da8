// Original file: proto/sergeant/v1/worker.proto

import type { ProgressUpdate as _sergeant_v1_ProgressUpdate, ProgressUpdate__Output as _sergeant_v1_ProgressUpdate__Output } from '../../sergeant/v1/ProgressUpdate';

export interface ProgressBatch {
  'queue'?: (string);
  'updates'?: (_sergeant_v1_ProgressUpdate)[];
}

export interface ProgressBatch__Output {
  'queue': (string);
  'updates': (_sergeant_v1_ProgressUpdate__Output)[];
}
