// Original file: proto/sergeant/v1/producer.proto


export interface GetTaskRequest {
  'queue'?: (string);
  'taskId'?: (string);
}

export interface GetTaskRequest__Output {
  'queue': (string);
  'taskId': (string);
}
