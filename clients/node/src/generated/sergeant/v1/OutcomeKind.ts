// Original file: proto/sergeant/v1/worker.proto

export const OutcomeKind = {
  OUTCOME_KIND_UNSPECIFIED: 'OUTCOME_KIND_UNSPECIFIED',
  /**
   * result holds what work() returned
   */
  OUTCOME_KIND_SUCCEEDED: 'OUTCOME_KIND_SUCCEEDED',
  /**
   * retried with backoff while attempts remain, else dead
   */
  OUTCOME_KIND_FAILED: 'OUTCOME_KIND_FAILED',
  /**
   * as FAILED, with a WorkerTimedout error
   */
  OUTCOME_KIND_TIMED_OUT: 'OUTCOME_KIND_TIMED_OUT',
  /**
   * retry after delay_s (counts an attempt)
   */
  OUTCOME_KIND_RETRY: 'OUTCOME_KIND_RETRY',
  /**
   * back to the queue after delay_s (counts no attempt)
   */
  OUTCOME_KIND_REQUEUE: 'OUTCOME_KIND_REQUEUE',
  /**
   * dead-letter now, whatever attempts remain
   */
  OUTCOME_KIND_DEAD: 'OUTCOME_KIND_DEAD',
  /**
   * stopped because a producer cancelled it: ends CANCELLED with error, never retried
   */
  OUTCOME_KIND_CANCELLED: 'OUTCOME_KIND_CANCELLED',
} as const;

export type OutcomeKind =
  | 'OUTCOME_KIND_UNSPECIFIED'
  | 0
  /**
   * result holds what work() returned
   */
  | 'OUTCOME_KIND_SUCCEEDED'
  | 1
  /**
   * retried with backoff while attempts remain, else dead
   */
  | 'OUTCOME_KIND_FAILED'
  | 2
  /**
   * as FAILED, with a WorkerTimedout error
   */
  | 'OUTCOME_KIND_TIMED_OUT'
  | 3
  /**
   * retry after delay_s (counts an attempt)
   */
  | 'OUTCOME_KIND_RETRY'
  | 4
  /**
   * back to the queue after delay_s (counts no attempt)
   */
  | 'OUTCOME_KIND_REQUEUE'
  | 5
  /**
   * dead-letter now, whatever attempts remain
   */
  | 'OUTCOME_KIND_DEAD'
  | 6
  /**
   * stopped because a producer cancelled it: ends CANCELLED with error, never retried
   */
  | 'OUTCOME_KIND_CANCELLED'
  | 7

export type OutcomeKind__Output = typeof OutcomeKind[keyof typeof OutcomeKind]
