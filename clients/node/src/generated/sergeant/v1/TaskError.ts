// Original file: proto/sergeant/v1/task.proto


export interface TaskError {
  /**
   * e.g. "ValueError", "WorkerTimedout", "LeaseExpired"
   */
  'type'?: (string);
  'message'?: (string);
  'traceback'?: (string);
}

export interface TaskError__Output {
  /**
   * e.g. "ValueError", "WorkerTimedout", "LeaseExpired"
   */
  'type': (string);
  'message': (string);
  'traceback': (string);
}
