// Original file: proto/sergeant/v1/producer.proto


export interface DuplicateTask {
  /**
   * 0-based position in the packed batch
   */
  'index'?: (number);
  /**
   * the id of the task pushed first (same id, or same idempotency key within the window)
   */
  'id'?: (string);
}

export interface DuplicateTask__Output {
  /**
   * 0-based position in the packed batch
   */
  'index': (number);
  /**
   * the id of the task pushed first (same id, or same idempotency key within the window)
   */
  'id': (string);
}
