// Original file: proto/sergeant/v1/worker.proto


export interface ProgressUpdate {
  'taskId'?: (string);
  'progress'?: (number | string);
  'message'?: (string);
  'data'?: (Buffer | Uint8Array | string);
}

export interface ProgressUpdate__Output {
  'taskId': (string);
  'progress': (number);
  'message': (string);
  'data': (Buffer);
}
