// Original file: proto/sergeant/v1/worker.proto


export interface Welcome {
  'sessionId'?: (string);
  /**
   * send a heartbeat at least this often
   */
  'heartbeatIntervalS'?: (number | string);
}

export interface Welcome__Output {
  'sessionId': (string);
  /**
   * send a heartbeat at least this often
   */
  'heartbeatIntervalS': (number);
}
