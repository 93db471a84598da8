// Original file: proto/sergeant/v1/worker.proto


export interface Stop {
  'reason'?: (string);
}

export interface Stop__Output {
  'reason': (string);
}
