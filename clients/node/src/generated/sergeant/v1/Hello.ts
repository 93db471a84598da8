// Original file: proto/sergeant/v1/worker.proto

import type { StoreIdentity as _sergeant_v1_StoreIdentity, StoreIdentity__Output as _sergeant_v1_StoreIdentity__Output } from '../../sergeant/v1/StoreIdentity';

export interface Hello {
  /**
   * "<host>/<pid>/<random>": the owner prefix of this worker's lease ids
   */
  'workerId'?: (string);
  'queue'?: (string);
  'pid'?: (number);
  'host'?: (string);
  /**
   * "threaded" or "process"
   */
  'executor'?: (string);
  'concurrency'?: (number);
  'version'?: (string);
  /**
   * The store this worker leases from. The gateway refuses a worker on another store or namespace with
   * FAILED_PRECONDITION; a worker that leaves it unset (older versions) is accepted.
   */
  'store'?: (_sergeant_v1_StoreIdentity | null);
}

export interface Hello__Output {
  /**
   * "<host>/<pid>/<random>": the owner prefix of this worker's lease ids
   */
  'workerId': (string);
  'queue': (string);
  'pid': (number);
  'host': (string);
  /**
   * "threaded" or "process"
   */
  'executor': (string);
  'concurrency': (number);
  'version': (string);
  /**
   * The store this worker leases from. The gateway refuses a worker on another store or namespace with
   * FAILED_PRECONDITION; a worker that leaves it unset (older versions) is accepted.
   */
  'store': (_sergeant_v1_StoreIdentity__Output | null);
}
