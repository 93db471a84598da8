// Original file: proto/sergeant/v1/operations.proto

import type { WorkerInfo as _sergeant_v1_WorkerInfo, WorkerInfo__Output as _sergeant_v1_WorkerInfo__Output } from '../../sergeant/v1/WorkerInfo';

export interface ListWorkersResponse {
  'workers'?: (_sergeant_v1_WorkerInfo)[];
}

export interface ListWorkersResponse__Output {
  'workers': (_sergeant_v1_WorkerInfo__Output)[];
}
