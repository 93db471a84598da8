// Original file: proto/sergeant/v1/worker.proto


export interface Hello {
  /**
   * "<host>/<pid>/<random>": the owner prefix of this worker's lease ids
   */
  'workerId'?: (string);
  'queue'?: (string);
  'pid'?: (number);
  'host'?: (string);
  /**
   * "threaded" or "process"
   */
  'executor'?: (string);
  'concurrency'?: (number);
  'version'?: (string);
}

export interface Hello__Output {
  /**
   * "<host>/<pid>/<random>": the owner prefix of this worker's lease ids
   */
  'workerId': (string);
  'queue': (string);
  'pid': (number);
  'host': (string);
  /**
   * "threaded" or "process"
   */
  'executor': (string);
  'concurrency': (number);
  'version': (string);
}
