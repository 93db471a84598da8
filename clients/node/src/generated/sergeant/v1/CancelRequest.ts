// Original file: proto/sergeant/v1/producer.proto


export interface CancelRequest {
  'queue'?: (string);
  'taskId'?: (string);
}

export interface CancelRequest__Output {
  'queue': (string);
  'taskId': (string);
}
