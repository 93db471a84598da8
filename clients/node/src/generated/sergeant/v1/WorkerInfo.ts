// Original file: proto/sergeant/v1/operations.proto

import type { Long } from '@grpc/proto-loader';

export interface WorkerInfo {
  'workerId'?: (string);
  'queue'?: (string);
  'pid'?: (number);
  'host'?: (string);
  'executor'?: (string);
  'concurrency'?: (number);
  'inFlight'?: (number);
  'rssBytes'?: (number | string | Long);
  'tasksDone'?: (number | string | Long);
  'lastHeartbeatUnixS'?: (number | string);
  'currentTasks'?: (string)[];
}

export interface WorkerInfo__Output {
  'workerId': (string);
  'queue': (string);
  'pid': (number);
  'host': (string);
  'executor': (string);
  'concurrency': (number);
  'inFlight': (number);
  'rssBytes': (string);
  'tasksDone': (string);
  'lastHeartbeatUnixS': (number);
  'currentTasks': (string)[];
}
