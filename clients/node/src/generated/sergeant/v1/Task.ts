// Original file: proto/sergeant/v1/task.proto

import type { Serializer as _sergeant_v1_Serializer, Serializer__Output as _sergeant_v1_Serializer__Output } from '../../sergeant/v1/Serializer';
import type { Compressor as _sergeant_v1_Compressor, Compressor__Output as _sergeant_v1_Compressor__Output } from '../../sergeant/v1/Compressor';
import type { Priority as _sergeant_v1_Priority, Priority__Output as _sergeant_v1_Priority__Output } from '../../sergeant/v1/Priority';

/**
 * A task. Producers fill queue and kwargs (and any option); the gateway assigns
 * id when it is empty, and created_at_unix_s. attempt is maintained by the store.
 */
export interface Task {
  /**
   * optional on push: 1-128 of [A-Za-z0-9._:-]; a live task's id is pushed only once
   */
  'id'?: (string);
  /**
   * required: 1-128 of [A-Za-z0-9._-], starting with a letter or digit
   */
  'queue'?: (string);
  /**
   * required: a map, encoded as serializer/compressor say
   */
  'kwargs'?: (Buffer | Uint8Array | string);
  'serializer'?: (_sergeant_v1_Serializer);
  'compressor'?: (_sergeant_v1_Compressor);
  'priority'?: (_sergeant_v1_Priority);
  /**
   * 0: as soon as possible
   */
  'notBeforeUnixS'?: (number | string);
  /**
   * attempts that already failed; read-only for producers
   */
  'attempt'?: (number);
  /**
   * 0: the gateway default (5); a task dies after this many failed attempts
   */
  'maxAttempts'?: (number);
  /**
   * 0: the worker's configured timeout
   */
  'timeoutS'?: (number | string);
  /**
   * a second push with the same key within the window returns the first id
   */
  'idempotencyKey'?: (string);
  'traceId'?: (string);
  'createdAtUnixS'?: (number | string);
  /**
   * Keep this task's result (and its per-task state) for GetTask and Watch once it is done. Submit always
   * does; a task pushed without it leaves no record once it is done (docs/protocol.md, "Results").
   */
  'wantResult'?: (boolean);
}

/**
 * A task. Producers fill queue and kwargs (and any option); the gateway assigns
 * id when it is empty, and created_at_unix_s. attempt is maintained by the store.
 */
export interface Task__Output {
  /**
   * optional on push: 1-128 of [A-Za-z0-9._:-]; a live task's id is pushed only once
   */
  'id': (string);
  /**
   * required: 1-128 of [A-Za-z0-9._-], starting with a letter or digit
   */
  'queue': (string);
  /**
   * required: a map, encoded as serializer/compressor say
   */
  'kwargs': (Buffer);
  'serializer': (_sergeant_v1_Serializer__Output);
  'compressor': (_sergeant_v1_Compressor__Output);
  'priority': (_sergeant_v1_Priority__Output);
  /**
   * 0: as soon as possible
   */
  'notBeforeUnixS': (number);
  /**
   * attempts that already failed; read-only for producers
   */
  'attempt': (number);
  /**
   * 0: the gateway default (5); a task dies after this many failed attempts
   */
  'maxAttempts': (number);
  /**
   * 0: the worker's configured timeout
   */
  'timeoutS': (number);
  /**
   * a second push with the same key within the window returns the first id
   */
  'idempotencyKey': (string);
  'traceId': (string);
  'createdAtUnixS': (number);
  /**
   * Keep this task's result (and its per-task state) for GetTask and Watch once it is done. Submit always
   * does; a task pushed without it leaves no record once it is done (docs/protocol.md, "Results").
   */
  'wantResult': (boolean);
}
