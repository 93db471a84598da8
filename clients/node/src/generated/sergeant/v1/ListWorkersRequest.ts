// Original file: proto/sergeant/v1/operations.proto


export interface ListWorkersRequest {
  /**
   * empty: all queues
   */
  'queue'?: (string);
}

export interface ListWorkersRequest__Output {
  /**
   * empty: all queues
   */
  'queue': (string);
}
