// Original file: proto/sergeant/v1/task.proto

export const Serializer = {
  /**
   * treated as MSGPACK
   */
  SERIALIZER_UNSPECIFIED: 'SERIALIZER_UNSPECIFIED',
  /**
   * the cross-language format
   */
  SERIALIZER_MSGPACK: 'SERIALIZER_MSGPACK',
  /**
   * Python only, opt-in; the gateway never unpickles
   */
  SERIALIZER_PICKLE: 'SERIALIZER_PICKLE',
} as const;

export type Serializer =
  /**
   * treated as MSGPACK
   */
  | 'SERIALIZER_UNSPECIFIED'
  | 0
  /**
   * the cross-language format
   */
  | 'SERIALIZER_MSGPACK'
  | 1
  /**
   * Python only, opt-in; the gateway never unpickles
   */
  | 'SERIALIZER_PICKLE'
  | 2

export type Serializer__Output = typeof Serializer[keyof typeof Serializer]
