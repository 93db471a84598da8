// Original file: proto/sergeant/v1/operations.proto


export interface GetVersionResponse {
  'version'?: (string);
  /**
   * "sergeant.v1"
   */
  'protocol'?: (string);
  /**
   * "redis", "mongodb" or "sqlite"
   */
  'store'?: (string);
  /**
   * gate optional behaviour on these
   */
  'features'?: (string)[];
}

export interface GetVersionResponse__Output {
  'version': (string);
  /**
   * "sergeant.v1"
   */
  'protocol': (string);
  /**
   * "redis", "mongodb" or "sqlite"
   */
  'store': (string);
  /**
   * gate optional behaviour on these
   */
  'features': (string)[];
}
