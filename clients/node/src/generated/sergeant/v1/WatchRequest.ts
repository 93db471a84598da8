// Original file: proto/sergeant/v1/producer.proto


export interface WatchRequest {
  'queue'?: (string);
  /**
   * empty: every task of the queue
   */
  'taskIds'?: (string)[];
  /**
   * also stream PROGRESS events
   */
  'progress'?: (boolean);
}

export interface WatchRequest__Output {
  'queue': (string);
  /**
   * empty: every task of the queue
   */
  'taskIds': (string)[];
  /**
   * also stream PROGRESS events
   */
  'progress': (boolean);
}
