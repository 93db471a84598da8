// Original file: proto/sergeant/v1/operations.proto


export interface PurgeDeadLettersRequest {
  'queue'?: (string);
  /**
   * empty: all
   */
  'taskIds'?: (string)[];
}

export interface PurgeDeadLettersRequest__Output {
  'queue': (string);
  /**
   * empty: all
   */
  'taskIds': (string)[];
}
