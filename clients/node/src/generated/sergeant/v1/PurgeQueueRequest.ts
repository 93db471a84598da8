// Original file: proto/sergeant/v1/operations.proto


export interface PurgeQueueRequest {
  'queue'?: (string);
}

export interface PurgeQueueRequest__Output {
  'queue': (string);
}
