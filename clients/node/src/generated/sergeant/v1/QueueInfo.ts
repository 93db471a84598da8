// Original file: proto/sergeant/v1/operations.proto

import type { Long } from '@grpc/proto-loader';

export interface QueueInfo {
  'name'?: (string);
  'ready'?: (number | string | Long);
  'delayed'?: (number | string | Long);
  'leased'?: (number | string | Long);
  'dead'?: (number | string | Long);
  'paused'?: (boolean);
}

export interface QueueInfo__Output {
  'name': (string);
  'ready': (string);
  'delayed': (string);
  'leased': (string);
  'dead': (string);
  'paused': (boolean);
}
