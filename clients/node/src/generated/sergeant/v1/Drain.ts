// Original file: proto/sergeant/v1/worker.proto


export interface Drain {
  /**
   * stop leasing; finish running tasks within this many seconds
   */
  'deadlineS'?: (number | string);
}

export interface Drain__Output {
  /**
   * stop leasing; finish running tasks within this many seconds
   */
  'deadlineS': (number);
}
