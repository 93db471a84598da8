// Original file: proto/sergeant/v1/operations.proto

import type { Long } from '@grpc/proto-loader';

export interface ReplayDeadLettersResponse {
  'replayed'?: (number | string | Long);
}

export interface ReplayDeadLettersResponse__Output {
  'replayed': (string);
}
