// Original file: proto/sergeant/v1/task.proto

export const Priority = {
  /**
   * treated as NORMAL
   */
  PRIORITY_UNSPECIFIED: 'PRIORITY_UNSPECIFIED',
  PRIORITY_NORMAL: 'PRIORITY_NORMAL',
  /**
   * leased before every NORMAL task; FIFO among HIGH tasks
   */
  PRIORITY_HIGH: 'PRIORITY_HIGH',
} as const;

export type Priority =
  /**
   * treated as NORMAL
   */
  | 'PRIORITY_UNSPECIFIED'
  | 0
  | 'PRIORITY_NORMAL'
  | 1
  /**
   * leased before every NORMAL task; FIFO among HIGH tasks
   */
  | 'PRIORITY_HIGH'
  | 2

export type Priority__Output = typeof Priority[keyof typeof Priority]
