// Original file: proto/sergeant/v1/operations.proto


export interface ResumeQueueRequest {
  'queue'?: (string);
}

export interface ResumeQueueRequest__Output {
  'queue': (string);
}
