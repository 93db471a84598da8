// Original file: proto/sergeant/v1/task.proto

export const TaskState = {
  TASK_STATE_UNSPECIFIED: 'TASK_STATE_UNSPECIFIED',
  /**
   * ready to be leased
   */
  TASK_STATE_PENDING: 'TASK_STATE_PENDING',
  /**
   * waiting for its not-before time (delayed, or backing off before a retry)
   */
  TASK_STATE_SCHEDULED: 'TASK_STATE_SCHEDULED',
  /**
   * leased by a worker
   */
  TASK_STATE_ACTIVE: 'TASK_STATE_ACTIVE',
  TASK_STATE_SUCCEEDED: 'TASK_STATE_SUCCEEDED',
  /**
   * failed for good; listed in the dead letters until replayed or purged
   */
  TASK_STATE_DEAD: 'TASK_STATE_DEAD',
  TASK_STATE_CANCELLED: 'TASK_STATE_CANCELLED',
} as const;

export type TaskState =
  | 'TASK_STATE_UNSPECIFIED'
  | 0
  /**
   * ready to be leased
   */
  | 'TASK_STATE_PENDING'
  | 1
  /**
   * waiting for its not-before time (delayed, or backing off before a retry)
   */
  | 'TASK_STATE_SCHEDULED'
  | 2
  /**
   * leased by a worker
   */
  | 'TASK_STATE_ACTIVE'
  | 3
  | 'TASK_STATE_SUCCEEDED'
  | 4
  /**
   * failed for good; listed in the dead letters until replayed or purged
   */
  | 'TASK_STATE_DEAD'
  | 5
  | 'TASK_STATE_CANCELLED'
  | 6

export type TaskState__Output = typeof TaskState[keyof typeof TaskState]
