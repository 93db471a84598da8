// Original file: proto/sergeant/v1/operations.proto


/**
 * Queues in name order, a page at a time.  page_size 0 means 100; at most 1000.
 */
export interface ListQueuesRequest {
  'pageSize'?: (number);
  /**
   * next_page_token of the previous page; empty for the first page
   */
  'pageToken'?: (string);
}

/**
 * Queues in name order, a page at a time.  page_size 0 means 100; at most 1000.
 */
export interface ListQueuesRequest__Output {
  'pageSize': (number);
  /**
   * next_page_token of the previous page; empty for the first page
   */
  'pageToken': (string);
}
