// Original file: proto/sergeant/v1/producer.proto


export interface PushedTask {
  'id'?: (string);
  /**
   * false: an idempotency key or id matched a task pushed earlier
   */
  'created'?: (boolean);
}

export interface PushedTask__Output {
  'id': (string);
  /**
   * false: an idempotency key or id matched a task pushed earlier
   */
  'created': (boolean);
}
