// Original file: proto/sergeant/v1/operations.proto


export interface ReplayDeadLettersRequest {
  'queue'?: (string);
  /**
   * empty: all of the queue's dead letters
   */
  'taskIds'?: (string)[];
}

export interface ReplayDeadLettersRequest__Output {
  'queue': (string);
  /**
   * empty: all of the queue's dead letters
   */
  'taskIds': (string)[];
}
