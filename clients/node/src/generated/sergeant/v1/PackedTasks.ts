// Original file: proto/sergeant/v1/producer.proto


/**
 * A batch of one queue's tasks, packed. See docs/protocol.md, "The packed batch", for the format of each version.
 */
export interface PackedTasks {
  /**
   * 1; any other is refused with INVALID_ARGUMENT
   */
  'version'?: (number);
  'queue'?: (string);
  /**
   * msgpack array of task arrays; version 1:
   * [id, kwargs, priority, not_before_unix_s, max_attempts, timeout_s, idempotency_key, trace_id,
   * serializer, compressor]
   * id (string, required: clients make ids) and kwargs (a msgpack map, or bin encoded as serializer and
   * compressor say) come first; the rest may be left off from the end, and nil or 0 means the default.
   */
  'tasks'?: (Buffer | Uint8Array | string);
  /**
   * keep each task's result (and per-task state) for GetTask and Watch
   */
  'wantResults'?: (boolean);
}

/**
 * A batch of one queue's tasks, packed. See docs/protocol.md, "The packed batch", for the format of each version.
 */
export interface PackedTasks__Output {
  /**
   * 1; any other is refused with INVALID_ARGUMENT
   */
  'version': (number);
  'queue': (string);
  /**
   * msgpack array of task arrays; version 1:
   * [id, kwargs, priority, not_before_unix_s, max_attempts, timeout_s, idempotency_key, trace_id,
   * serializer, compressor]
   * id (string, required: clients make ids) and kwargs (a msgpack map, or bin encoded as serializer and
   * compressor say) come first; the rest may be left off from the end, and nil or 0 means the default.
   */
  'tasks': (Buffer);
  /**
   * keep each task's result (and per-task state) for GetTask and Watch
   */
  'wantResults': (boolean);
}
