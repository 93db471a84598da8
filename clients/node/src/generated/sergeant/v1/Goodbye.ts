// Original file: proto/sergeant/v1/worker.proto


export interface Goodbye {
  /**
   * the worker released its leases itself; nothing to reclaim
   */
  'reason'?: (string);
}

export interface Goodbye__Output {
  /**
   * the worker released its leases itself; nothing to reclaim
   */
  'reason': (string);
}
