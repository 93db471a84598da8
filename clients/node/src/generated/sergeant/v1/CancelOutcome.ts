// Original file: proto/sergeant/v1/producer.proto

export const CancelOutcome = {
  CANCEL_OUTCOME_UNSPECIFIED: 'CANCEL_OUTCOME_UNSPECIFIED',
  /**
   * it was queued; it will never run
   */
  CANCEL_OUTCOME_CANCELLED: 'CANCEL_OUTCOME_CANCELLED',
  /**
   * it is running; its worker was told to stop it
   */
  CANCEL_OUTCOME_RUNNING: 'CANCEL_OUTCOME_RUNNING',
  /**
   * it had already finished
   */
  CANCEL_OUTCOME_FINISHED: 'CANCEL_OUTCOME_FINISHED',
} as const;

export type CancelOutcome =
  | 'CANCEL_OUTCOME_UNSPECIFIED'
  | 0
  /**
   * it was queued; it will never run
   */
  | 'CANCEL_OUTCOME_CANCELLED'
  | 1
  /**
   * it is running; its worker was told to stop it
   */
  | 'CANCEL_OUTCOME_RUNNING'
  | 2
  /**
   * it had already finished
   */
  | 'CANCEL_OUTCOME_FINISHED'
  | 3

export type CancelOutcome__Output = typeof CancelOutcome[keyof typeof CancelOutcome]
