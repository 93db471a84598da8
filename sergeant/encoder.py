"""Turn task kwargs and results into bytes and back: a serializer, then a compressor.

The envelope records which serializer and compressor produced ``Task.kwargs``;
decoding always uses those recorded values, never the consumer's own
configuration, so any worker or gateway can read any task.

msgpack (the default) is the cross-language format.  Values map as follows:

=====================  ======================================================
Python                 msgpack
=====================  ======================================================
None, bool, int        nil, bool, int (-2**63 .. 2**64-1; wider ints fail)
float                  float 64
str                    str (UTF-8)
bytes, bytearray,      bin
memoryview
list                   array (decodes to list)
dict                   map; keys may be any of these types, e.g. ints
datetime (aware)       ext -1, the standard msgpack Timestamp; decodes to a
                       datetime in UTC (same instant, microsecond precision)
tuple                  ext 1: payload is a msgpack array of the elements
set                    ext 2: payload is a msgpack array of the elements
frozenset              ext 3: payload is a msgpack array of the elements
=====================  ======================================================

Ext payloads are encoded with these same rules, so they nest (a tuple of sets
is ext 1 whose array holds ext 2 values).  Clients in other languages that do
not care about the distinction may decode ext 1-3 as plain arrays.  Subclasses
of the types above (IntEnum, StrEnum, OrderedDict, namedtuple...) encode as
their base type.  Naive datetimes are refused: a wall-clock time without a
zone means different instants to different workers.  Anything else (objects,
exceptions, dates, Decimals) raises ``EncodingError``; convert it first, or opt
in to ``Serializer.PICKLE``.

pickle is Python-only and opt-in.  Unpickling runs code chosen by whoever wrote
the bytes, so only use it where every producer is trusted.

Compressors: none, zlib, gzip, bzip2, lzma (stdlib), zstd (``zstandard``) and
lz4 (``lz4.frame``); the last two come with ``pip install 'sergeant[compression]'``.
"""

from __future__ import annotations

import bz2
import dataclasses
import datetime
import gzip
import lzma
import pickle
import threading
import zlib
from collections.abc import Callable
from typing import Any

# No stubs ship with msgpack; unused-ignore keeps this clean once the project adds an override.
import msgpack  # type: ignore[import-untyped, unused-ignore]

from sergeant.errors import EncodingError
from sergeant.task import Compressor, Serializer

__all__ = [
    "EXT_FROZENSET",
    "EXT_SET",
    "EXT_TUPLE",
    "Encoder",
    "decode",
    "decode_kwargs",
    "encode",
]

EXT_TUPLE = 1
EXT_SET = 2
EXT_FROZENSET = 3

# Protocol 5 (Python 3.8+): every Python a worker may run reads it, and it is the fastest.
_PICKLE_PROTOCOL = 5
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _reason(exc: BaseException) -> str:
    # Some library errors (msgpack's FormatError) carry no message; the class name still helps.
    return str(exc) or type(exc).__name__


def _type_name(value: object) -> str:
    cls = type(value)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


# --- msgpack -----------------------------------------------------------------------------------


def _pack_default(value: Any) -> Any:
    """Called by the packer for every value that is not exactly a native msgpack type.

    The packer runs with ``strict_types=True`` so that tuples reach this hook
    instead of silently becoming arrays; the price is that subclasses of native
    types arrive here too, and are reduced to their base type.
    """
    if isinstance(value, tuple):
        return msgpack.ExtType(EXT_TUPLE, _pack_nested(list(value)))
    if isinstance(value, set):
        return msgpack.ExtType(EXT_SET, _pack_nested(list(value)))
    if isinstance(value, frozenset):
        return msgpack.ExtType(EXT_FROZENSET, _pack_nested(list(value)))
    if isinstance(value, datetime.datetime):
        # Exact aware datetimes never get here (the packer's datetime=True handles them);
        # naive ones and subclasses do.
        if value.tzinfo is None or value.utcoffset() is None:
            raise EncodingError(
                f"cannot encode naive datetime {value.isoformat()}: attach a timezone "
                "(e.g. datetime.now(timezone.utc) or value.replace(tzinfo=...))",
                op="encoder.encode",
            )
        # Integer timedelta arithmetic: Timestamp.from_datetime went through a float before
        # msgpack 1.1 and lost a second for pre-1970 instants with microseconds.
        delta = value - _EPOCH
        return msgpack.Timestamp(delta.days * 86400 + delta.seconds, delta.microseconds * 1000)
    if isinstance(value, int):
        return int.__int__(value)  # not int(value): a subclass may override __int__
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, str):
        return str.__str__(value)  # not str(value): StrEnum-like subclasses override __str__
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    raise EncodingError(
        f"cannot encode {_type_name(value)} with msgpack: supported types are None, bool, int, float, "
        "str, bytes, list, dict, tuple, set, frozenset and timezone-aware datetime; convert it first, "
        "or use Serializer.PICKLE (Python-only)",
        op="encoder.encode",
    )


def _new_packer() -> msgpack.Packer:
    return msgpack.Packer(use_bin_type=True, datetime=True, strict_types=True, default=_pack_default)


# One Packer per thread, not one per module: a Packer writes into its own buffer, and while
# its default hook runs Python code another thread can enter the same Packer and interleave
# bytes (seen: corrupt output with 4 threads).  A Packer per call would be safe too, but
# allocates its buffer every time.  encode() reads _local.packer inline: a helper function
# call costs about as much as the lookup itself.
_local = threading.local()


def _pack_nested(items: list[Any]) -> bytes:
    # Called from inside the thread's Packer.pack, which is busy: re-entering it would clobber
    # its buffer, so the ext payload gets a Packer of its own.  Only tuples/sets pay for this.
    packed: bytes = _new_packer().pack(items)
    return packed


def _ext_hook(code: int, data: bytes) -> Any:
    if code == EXT_TUPLE:
        return tuple(_unpack_array(data, code))
    if code == EXT_SET:
        return set(_unpack_array(data, code))
    if code == EXT_FROZENSET:
        return frozenset(_unpack_array(data, code))
    # An unknown code is not passed through as an ExtType: user code would get an object it
    # cannot use and fail later, far from the cause.
    raise EncodingError(f"unknown msgpack extension type {code}", op="encoder.decode")


def _unpack_array(data: bytes, code: int) -> list[Any]:
    items = _unpackb(data)
    if type(items) is not list:
        raise EncodingError(
            f"msgpack extension type {code} must hold an array, got {_type_name(items)}",
            op="encoder.decode",
        )
    return items


def _unpackb(data: bytes) -> Any:
    # timestamp=3: ext -1 decodes to an aware datetime in UTC.  strict_map_key=False: maps may
    # have int (or tuple) keys.  unpackb keeps no state, so it is thread-safe.  A plain def, not
    # functools.partial: merging stored keywords made a partial ~2x slower than this call.
    return msgpack.unpackb(data, raw=False, timestamp=3, strict_map_key=False, ext_hook=_ext_hook)


# --- compressors -------------------------------------------------------------------------------

_MISSING_COMPRESSION = "pip install 'sergeant[compression]'"


def _import_zstd() -> Any:
    # Imported on first use so that msgpack-only deployments need neither package.
    try:
        import zstandard
    except ImportError as exc:
        raise EncodingError(
            f"zstd compression needs the zstandard package: {_MISSING_COMPRESSION}", op="encoder"
        ) from exc
    return zstandard


def _import_lz4() -> Any:
    try:
        import lz4.frame
    except ImportError as exc:
        raise EncodingError(
            f"lz4 compression needs the lz4 package: {_MISSING_COMPRESSION}", op="encoder"
        ) from exc
    return lz4.frame


def _gzip_compress(data: bytes) -> bytes:
    # mtime=0: equal payloads give equal bytes (gzip otherwise stamps the current time).
    # Level 6 as zlib: gzip.compress defaults to 9, much slower for little gain.
    return gzip.compress(data, compresslevel=6, mtime=0)


def _zstd_compress(data: bytes) -> bytes:
    # A ZstdCompressor is not safe to share between threads; creating one is cheap.
    # It writes the content size into the frame header, which readers may use to preallocate.
    compressed: bytes = _import_zstd().ZstdCompressor().compress(data)
    return compressed


def _zstd_decompress(data: bytes) -> bytes:
    # decompressobj, not ZstdDecompressor.decompress: the latter needs the content size in the
    # frame header, which streaming encoders in other languages may omit, and it silently
    # ignores anything after the first frame.  Here every frame is read and truncation fails.
    dctx = _import_zstd().ZstdDecompressor()
    chunks: list[bytes] = []
    while True:
        dobj = dctx.decompressobj()
        chunks.append(dobj.decompress(data))
        if not dobj.eof:
            raise EncodingError("could not decompress zstd data: truncated frame", op="encoder.decode")
        data = dobj.unused_data
        if not data:
            return b"".join(chunks)


def _lz4_compress(data: bytes) -> bytes:
    compressed: bytes = _import_lz4().compress(data)
    return compressed


def _lz4_decompress(data: bytes) -> bytes:
    raw: bytes = _import_lz4().decompress(data)
    return raw


_Codec = Callable[[bytes], bytes]

# Keyed by Compressor; a StrEnum hashes as its value, so a plain "zstd" string finds it too.
_COMPRESS: dict[str, _Codec] = {
    Compressor.ZLIB: zlib.compress,
    Compressor.GZIP: _gzip_compress,
    Compressor.BZIP2: bz2.compress,
    Compressor.LZMA: lzma.compress,
    Compressor.ZSTD: _zstd_compress,
    Compressor.LZ4: _lz4_compress,
}
_DECOMPRESS: dict[str, _Codec] = {
    Compressor.ZLIB: zlib.decompress,
    Compressor.GZIP: gzip.decompress,
    Compressor.BZIP2: bz2.decompress,
    Compressor.LZMA: lzma.decompress,
    Compressor.ZSTD: _zstd_decompress,
    Compressor.LZ4: _lz4_decompress,
}


def _lookup(table: dict[str, _Codec], compressor: Compressor, op: str) -> _Codec:
    try:
        return table[compressor]
    except KeyError:
        raise EncodingError(f"unknown compressor {str(compressor)!r}", op=op) from None


# --- public API --------------------------------------------------------------------------------

# Looking up an Enum member costs ~200 ns on Python 3.11, as much as packing a small dict; the
# hot path compares against these instead.  == (not is) so that plain strings work too.
_MSGPACK = Serializer.MSGPACK
_PICKLE = Serializer.PICKLE
_NONE = Compressor.NONE


def encode(value: Any, serializer: Serializer, compressor: Compressor) -> bytes:
    """Serialize ``value`` with ``serializer``, then compress it with ``compressor``."""
    try:
        if serializer == _MSGPACK:
            try:
                packer = _local.packer
            except AttributeError:
                packer = _local.packer = _new_packer()
            data: bytes = packer.pack(value)
        elif serializer == _PICKLE:
            data = pickle.dumps(value, protocol=_PICKLE_PROTOCOL)
        else:
            raise EncodingError(f"unknown serializer {str(serializer)!r}", op="encoder.encode")
    except EncodingError:
        raise
    except Exception as exc:  # OverflowError (int too wide), ValueError (too deep), PicklingError...
        raise EncodingError(
            f"cannot encode {_type_name(value)} with {serializer}: {_reason(exc)}", op="encoder.encode"
        ) from exc
    if compressor == _NONE:
        return data
    compress = _lookup(_COMPRESS, compressor, "encoder.encode")
    try:
        return compress(data)
    except EncodingError:
        raise
    except Exception as exc:
        raise EncodingError(
            f"could not compress with {compressor}: {_reason(exc)}", op="encoder.encode"
        ) from exc


def decode(data: bytes, serializer: Serializer, compressor: Compressor) -> Any:
    """Undo :func:`encode`; pass the serializer and compressor the envelope records."""
    if compressor != _NONE:
        decompress = _lookup(_DECOMPRESS, compressor, "encoder.decode")
        try:
            data = decompress(data)
        except EncodingError:
            raise
        except Exception as exc:  # each library has its own errors: zlib.error, OSError, EOFError...
            raise EncodingError(
                f"could not decompress {compressor} data: {_reason(exc)}", op="encoder.decode"
            ) from exc
    try:
        if serializer == _MSGPACK:
            return _unpackb(data)
        if serializer == _PICKLE:
            return pickle.loads(data)
    except EncodingError:
        raise
    except Exception as exc:  # ExtraData, FormatError, UnpicklingError, UnicodeDecodeError...
        raise EncodingError(
            f"could not decode {serializer} data: {_reason(exc)}", op="encoder.decode"
        ) from exc
    raise EncodingError(f"unknown serializer {str(serializer)!r}", op="encoder.decode")


def decode_kwargs(data: bytes, serializer: Serializer, compressor: Compressor) -> dict[Any, Any]:
    """Decode a task's kwargs, which must be a map (the gateway and workers both check this)."""
    value = decode(data, serializer, compressor)
    if not isinstance(value, dict):
        raise EncodingError(
            f"kwargs must decode to a map, got {_type_name(value)}", op="encoder.decode_kwargs"
        )
    return value


@dataclasses.dataclass(frozen=True, slots=True)
class Encoder:
    """A producer's choice of serializer and compressor.

    Consumers should decode with what the envelope records (``decode(task.kwargs,
    task.serializer, task.compressor)``), not with their own Encoder's settings.
    """

    serializer: Serializer = Serializer.MSGPACK
    compressor: Compressor = Compressor.NONE

    def encode(self, value: Any) -> bytes:
        return encode(value, self.serializer, self.compressor)

    def decode(self, data: bytes) -> Any:
        return decode(data, self.serializer, self.compressor)


def new_packer() -> msgpack.Packer:
    """A Packer that encodes as :func:`encode` does with msgpack, ext types included. A Packer is not thread-safe:
    use one per thread or per call."""
    return _new_packer()


def new_unpacker(max_buffer_size: int) -> msgpack.Unpacker:
    """A streaming Unpacker that decodes as :func:`decode` does with msgpack (``feed`` it, then read)."""
    return msgpack.Unpacker(raw=False, timestamp=3, strict_map_key=False, ext_hook=_ext_hook,
                            max_buffer_size=max_buffer_size)
