// Original file: proto/sergeant/v1/worker.proto


export interface StoreIdentity {
  /**
   * "redis", "mongodb" or "sqlite"
   */
  'kind'?: (string);
  /**
   * redis: host:port/db (or socket path/db); mongodb: host:port,.../database; sqlite: the file's absolute path
   */
  'location'?: (string);
  'keyPrefix'?: (string);
}

export interface StoreIdentity__Output {
  /**
   * "redis", "mongodb" or "sqlite"
   */
  'kind': (string);
  /**
   * redis: host:port/db (or socket path/db); mongodb: host:port,.../database; sqlite: the file's absolute path
   */
  'location': (string);
  'keyPrefix': (string);
}
