// Original file: proto/sergeant/v1/operations.proto

import type { QueueInfo as _sergeant_v1_QueueInfo, QueueInfo__Output as _sergeant_v1_QueueInfo__Output } from '../../sergeant/v1/QueueInfo';

export interface ListQueuesResponse {
  'queues'?: (_sergeant_v1_QueueInfo)[];
  /**
   * empty on the last page
   */
  'nextPageToken'?: (string);
}

export interface ListQueuesResponse__Output {
  'queues': (_sergeant_v1_QueueInfo__Output)[];
  /**
   * empty on the last page
   */
  'nextPageToken': (string);
}
