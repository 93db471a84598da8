package io.sergeant.client;

import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * Sergeant's msgpack mapping (the cross-language format of kwargs, results and progress data).
 *
 * <table>
 *   <caption>Java values and their msgpack form</caption>
 *   <tr><th>Java (encode)</th><th>msgpack</th><th>Java (decode)</th></tr>
 *   <tr><td>null, Boolean</td><td>nil, bool</td><td>null, Boolean</td></tr>
 *   <tr><td>Byte, Short, Integer, Long, BigInteger (-2^63 .. 2^64-1)</td><td>int</td>
 *       <td>Long; BigInteger above Long.MAX_VALUE</td></tr>
 *   <tr><td>Double (Float: float 32)</td><td>float</td><td>Double</td></tr>
 *   <tr><td>String, other CharSequence, Character, Enum (its name)</td><td>str</td><td>String</td></tr>
 *   <tr><td>byte[], ByteBuffer</td><td>bin</td><td>byte[]</td></tr>
 *   <tr><td>Instant, OffsetDateTime, ZonedDateTime, Date</td><td>ext -1 (Timestamp)</td><td>Instant</td></tr>
 *   <tr><td>List, other Collection, arrays</td><td>array</td><td>List (ArrayList)</td></tr>
 *   <tr><td>Map (any encodable keys)</td><td>map</td><td>Map (LinkedHashMap, in wire order)</td></tr>
 *   <tr><td>Set</td><td>ext 2 (a Python set)</td><td>Set (LinkedHashSet)</td></tr>
 *   <tr><td>-</td><td>ext 1 (a Python tuple)</td><td>List</td></tr>
 *   <tr><td>-</td><td>ext 3 (a Python frozenset)</td><td>unmodifiable Set</td></tr>
 * </table>
 *
 * <p>Anything else (including LocalDateTime, which names no instant) raises {@link EncodingException}.
 * Python workers decode timestamps with microsecond precision.
 */
public final class Msgpack {
    /** Ext types of Python's tuple, set and frozenset (see sergeant/encoder.py). */
    public static final byte EXT_TUPLE = 1;
    public static final byte EXT_SET = 2;
    public static final byte EXT_FROZENSET = 3;
    static final byte EXT_TIMESTAMP = -1;

    private static final BigInteger MIN_INT = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_UINT = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final int MAX_DEPTH = 512;
    private static final ThreadLocal<MessageBufferPacker> PACKER =
            ThreadLocal.withInitial(MessagePack::newDefaultBufferPacker);

    private Msgpack() {}

    /** The msgpack bytes of {@code value}. */
    public static byte[] encode(Object value) {
        // One packer per thread, its buffer reused: a new packer allocates 8 KiB, more than most kwargs need.
        MessageBufferPacker packer = PACKER.get();
        packer.clear();
        try {
            pack(packer, value, 0);
            packer.flush();
            return packer.toByteArray();
        } catch (IOException e) {
            throw new EncodingException("could not encode: " + e.getMessage(), e);
        } finally {
            packer.clear();
        }
    }

    /** One msgpack value; empty input decodes to null. */
    public static Object decode(byte[] data) {
        if (data == null || data.length == 0) {
            return null;
        }
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(data)) {
            Object value = unpack(unpacker, 0);
            if (unpacker.hasNext()) {
                throw new EncodingException("could not decode msgpack: extra bytes after the value");
            }
            return value;
        } catch (IOException | MessagePackException e) {
            throw new EncodingException("could not decode msgpack: " + e.getMessage(), e);
        }
    }

    private static void pack(MessagePacker p, Object v, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new EncodingException("cannot encode: nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
        if (v == null) {
            p.packNil();
        } else if (v instanceof Boolean b) {
            p.packBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            p.packLong(((Number) v).longValue());
        } else if (v instanceof BigInteger i) {
            if (i.compareTo(MIN_INT) < 0 || i.compareTo(MAX_UINT) > 0) {
                throw new EncodingException("cannot encode integer " + i + ": msgpack holds -2^63 .. 2^64-1");
            }
            p.packBigInteger(i);
        } else if (v instanceof Double d) {
            p.packDouble(d);
        } else if (v instanceof Float f) {
            p.packFloat(f);
        } else if (v instanceof CharSequence || v instanceof Character) {
            p.packString(v.toString());
        } else if (v instanceof Enum<?> e) {
            p.packString(e.name());
        } else if (v instanceof byte[] bytes) {
            p.packBinaryHeader(bytes.length);
            p.writePayload(bytes);
        } else if (v instanceof ByteBuffer buffer) {
            ByteBuffer view = buffer.duplicate();
            byte[] bytes = new byte[view.remaining()];
            view.get(bytes);
            p.packBinaryHeader(bytes.length);
            p.writePayload(bytes);
        } else if (v instanceof Instant instant) {
            p.packTimestamp(instant);
        } else if (v instanceof OffsetDateTime t) {
            p.packTimestamp(t.toInstant());
        } else if (v instanceof ZonedDateTime t) {
            p.packTimestamp(t.toInstant());
        } else if (v instanceof Date date) {
            p.packTimestamp(date.toInstant());
        } else if (v instanceof LocalDateTime || v instanceof LocalDate || v instanceof LocalTime) {
            throw new EncodingException("cannot encode " + v.getClass().getSimpleName() + " " + v
                    + ": it names no instant; use an Instant, OffsetDateTime or ZonedDateTime");
        } else if (v instanceof Map<?, ?> map) {
            p.packMapHeader(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                pack(p, entry.getKey(), depth + 1);
                pack(p, entry.getValue(), depth + 1);
            }
        } else if (v instanceof Set<?> set) {
            // A Set travels as a Python set (ext 2 holding an array); it decodes back to a Set.
            MessageBufferPacker inner = MessagePack.newDefaultBufferPacker();
            packArray(inner, set, depth + 1);
            inner.close();
            byte[] payload = inner.toByteArray();
            p.packExtensionTypeHeader(EXT_SET, payload.length);
            p.writePayload(payload);
        } else if (v instanceof Collection<?> items) {
            packArray(p, items, depth);
        } else if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            p.packArrayHeader(n);
            for (int i = 0; i < n; i++) {
                pack(p, Array.get(v, i), depth + 1);
            }
        } else {
            throw new EncodingException("cannot encode " + v.getClass().getName() + " with msgpack: supported are "
                    + "null, Boolean, integers, Float, Double, String, byte[], Instant (and zoned date-times), "
                    + "List, Set, Map and arrays; convert it first");
        }
    }

    private static void packArray(MessagePacker p, Collection<?> items, int depth) throws IOException {
        p.packArrayHeader(items.size());
        int written = 0;
        for (Object item : items) {
            pack(p, item, depth + 1);
            written++;
        }
        if (written != items.size()) {
            throw new EncodingException("cannot encode: the collection changed while it was encoded");
        }
    }

    private static Object unpack(MessageUnpacker u, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new EncodingException("could not decode msgpack: nested deeper than " + MAX_DEPTH + " levels");
        }
        MessageFormat format = u.getNextFormat();
        switch (format.getValueType()) {
            case NIL:
                u.unpackNil();
                return null;
            case BOOLEAN:
                return u.unpackBoolean();
            case INTEGER:
                if (format == MessageFormat.UINT64) {
                    BigInteger i = u.unpackBigInteger();
                    return i.bitLength() < 64 ? (Object) i.longValue() : i;
                }
                return u.unpackLong();
            case FLOAT:
                return u.unpackDouble();
            case STRING:
                return u.unpackString();
            case BINARY:
                return u.readPayload(u.unpackBinaryHeader());
            case ARRAY: {
                int n = u.unpackArrayHeader();
                List<Object> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    list.add(unpack(u, depth + 1));
                }
                return list;
            }
            case MAP: {
                int n = u.unpackMapHeader();
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object key = unpack(u, depth + 1);
                    map.put(key, unpack(u, depth + 1));
                }
                return map;
            }
            case EXTENSION: {
                ExtensionTypeHeader header = u.unpackExtensionTypeHeader();
                if (header.getType() == EXT_TIMESTAMP) {
                    return u.unpackTimestamp(header);
                }
                byte type = header.getType();
                if (type != EXT_TUPLE && type != EXT_SET && type != EXT_FROZENSET) {
                    throw new EncodingException("unknown msgpack extension type " + type);
                }
                Object items = decodeNested(u.readPayload(header.getLength()), depth);
                if (!(items instanceof List<?> list)) {
                    throw new EncodingException("msgpack extension type " + type + " must hold an array");
                }
                if (type == EXT_TUPLE) {
                    return list;
                }
                Set<Object> set = new LinkedHashSet<>(list);
                return type == EXT_SET ? set : Collections.unmodifiableSet(set);
            }
            default:
                throw new EncodingException("could not decode msgpack: unexpected " + format);
        }
    }

    private static Object decodeNested(byte[] payload, int depth) throws IOException {
        try (MessageUnpacker inner = MessagePack.newDefaultUnpacker(payload)) {
            Object value = unpack(inner, depth + 1);
            if (inner.hasNext()) {
                throw new EncodingException("could not decode msgpack: extra bytes in an extension");
            }
            return value;
        }
    }
}
