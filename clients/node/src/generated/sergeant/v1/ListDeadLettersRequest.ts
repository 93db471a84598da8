// Original file: proto/sergeant/v1/operations.proto


export interface ListDeadLettersRequest {
  'queue'?: (string);
  /**
   * 0: 100
   */
  'limit'?: (number);
  'offset'?: (number);
}

export interface ListDeadLettersRequest__Output {
  'queue': (string);
  /**
   * 0: 100
   */
  'limit': (number);
  'offset': (number);
}
