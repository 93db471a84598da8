// Original file: proto/sergeant/v1/task.proto

export const EventKind = {
  EVENT_KIND_UNSPECIFIED: 'EVENT_KIND_UNSPECIFIED',
  /**
   * the store holds the task
   */
  EVENT_KIND_ACCEPTED: 'EVENT_KIND_ACCEPTED',
  /**
   * a worker leased it
   */
  EVENT_KIND_STARTED: 'EVENT_KIND_STARTED',
  EVENT_KIND_PROGRESS: 'EVENT_KIND_PROGRESS',
  /**
   * an attempt failed; it will run again
   */
  EVENT_KIND_RETRYING: 'EVENT_KIND_RETRYING',
  /**
   * terminal
   */
  EVENT_KIND_SUCCEEDED: 'EVENT_KIND_SUCCEEDED',
  /**
   * terminal
   */
  EVENT_KIND_DEAD: 'EVENT_KIND_DEAD',
  /**
   * terminal
   */
  EVENT_KIND_CANCELLED: 'EVENT_KIND_CANCELLED',
} as const;

export type EventKind =
  | 'EVENT_KIND_UNSPECIFIED'
  | 0
  /**
   * the store holds the task
   */
  | 'EVENT_KIND_ACCEPTED'
  | 1
  /**
   * a worker leased it
   */
  | 'EVENT_KIND_STARTED'
  | 2
  | 'EVENT_KIND_PROGRESS'
  | 3
  /**
   * an attempt failed; it will run again
   */
  | 'EVENT_KIND_RETRYING'
  | 4
  /**
   * terminal
   */
  | 'EVENT_KIND_SUCCEEDED'
  | 5
  /**
   * terminal
   */
  | 'EVENT_KIND_DEAD'
  | 6
  /**
   * terminal
   */
  | 'EVENT_KIND_CANCELLED'
  | 7

export type EventKind__Output = typeof EventKind[keyof typeof EventKind]
