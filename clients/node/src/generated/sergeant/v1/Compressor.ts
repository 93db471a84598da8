// Original file: proto/sergeant/v1/task.proto

export const Compressor = {
  /**
   * treated as NONE
   */
  COMPRESSOR_UNSPECIFIED: 'COMPRESSOR_UNSPECIFIED',
  COMPRESSOR_NONE: 'COMPRESSOR_NONE',
  COMPRESSOR_ZLIB: 'COMPRESSOR_ZLIB',
  COMPRESSOR_GZIP: 'COMPRESSOR_GZIP',
  COMPRESSOR_BZIP2: 'COMPRESSOR_BZIP2',
  COMPRESSOR_LZMA: 'COMPRESSOR_LZMA',
  COMPRESSOR_ZSTD: 'COMPRESSOR_ZSTD',
  COMPRESSOR_LZ4: 'COMPRESSOR_LZ4',
} as const;

export type Compressor =
  /**
   * treated as NONE
   */
  | 'COMPRESSOR_UNSPECIFIED'
  | 0
  | 'COMPRESSOR_NONE'
  | 1
  | 'COMPRESSOR_ZLIB'
  | 2
  | 'COMPRESSOR_GZIP'
  | 3
  | 'COMPRESSOR_BZIP2'
  | 4
  | 'COMPRESSOR_LZMA'
  | 5
  | 'COMPRESSOR_ZSTD'
  | 6
  | 'COMPRESSOR_LZ4'
  | 7

export type Compressor__Output = typeof Compressor[keyof typeof Compressor]
