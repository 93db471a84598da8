// Original file: proto/sergeant/v1/operations.proto


export interface PauseQueueRequest {
  'queue'?: (string);
}

export interface PauseQueueRequest__Output {
  'queue': (string);
}
