// Original file: proto/sergeant/v1/worker.proto

import type { Long } from '@grpc/proto-loader';

export interface Heartbeat {
  'inFlight'?: (number);
  /**
   * the worker process and its children
   */
  'rssBytes'?: (number | string | Long);
  'tasksDone'?: (number | string | Long);
  'currentTasks'?: (string)[];
}

export interface Heartbeat__Output {
  'inFlight': (number);
  /**
   * the worker process and its children
   */
  'rssBytes': (string);
  'tasksDone': (string);
  'currentTasks': (string)[];
}
