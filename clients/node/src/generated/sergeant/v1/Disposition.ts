// Original file: proto/sergeant/v1/worker.proto

export const Disposition = {
  DISPOSITION_UNSPECIFIED: 'DISPOSITION_UNSPECIFIED',
  DISPOSITION_DONE: 'DISPOSITION_DONE',
  DISPOSITION_RETRYING: 'DISPOSITION_RETRYING',
  DISPOSITION_REQUEUED: 'DISPOSITION_REQUEUED',
  DISPOSITION_DEAD: 'DISPOSITION_DEAD',
  /**
   * the lease was not held (expired, or already settled by a resend)
   */
  DISPOSITION_LEASE_LOST: 'DISPOSITION_LEASE_LOST',
} as const;

export type Disposition =
  | 'DISPOSITION_UNSPECIFIED'
  | 0
  | 'DISPOSITION_DONE'
  | 1
  | 'DISPOSITION_RETRYING'
  | 2
  | 'DISPOSITION_REQUEUED'
  | 3
  | 'DISPOSITION_DEAD'
  | 4
  /**
   * the lease was not held (expired, or already settled by a resend)
   */
  | 'DISPOSITION_LEASE_LOST'
  | 5

export type Disposition__Output = typeof Disposition[keyof typeof Disposition]
