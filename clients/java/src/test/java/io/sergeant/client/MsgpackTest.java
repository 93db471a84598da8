package io.sergeant.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MsgpackTest {
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static String hex(Object value) {
        return HexFormat.of().formatHex(Msgpack.encode(value));
    }

    private static Object fromHex(String hex) {
        return Msgpack.decode(HexFormat.of().parseHex(hex));
    }

    @Test
    void scalarsEncodeToTheSmallestForm() {
        assertEquals("c0", hex(null));
        assertEquals("c3", hex(true));
        assertEquals("c2", hex(false));
        assertEquals("01", hex(1));
        assertEquals("ff", hex(-1L));
        assertEquals("cd0100", hex((short) 256));
        assertEquals("d38000000000000000", hex(Long.MIN_VALUE));
        assertEquals("cf7fffffffffffffff", hex(Long.MAX_VALUE));
        assertEquals("cfffffffffffffffff", hex(MAX_UINT64));
        assertEquals("cb3ff8000000000000", hex(1.5));
        assertEquals("ca3fc00000", hex(1.5f));
        assertEquals("a161", hex("a"));
        assertEquals("a178", hex('x'));
        assertEquals("c4020001", hex(new byte[] {0, 1}));
        assertEquals("c4020001", hex(ByteBuffer.wrap(new byte[] {0, 1})));
        assertEquals("920102", hex(List.of(1, 2)));
        assertEquals("920102", hex(new int[] {1, 2}));
        assertEquals("92a178c0", hex(new Object[] {"x", null}));
        assertEquals("80", hex(Map.of()));
        assertEquals("a74d494e55544553", hex(java.util.concurrent.TimeUnit.MINUTES));  // an enum: its name
    }

    /** Bytes made by the Python encoder (sergeant/encoder.py) for the same values. */
    @Test
    void matchesThePythonEncoderByteForByte() {
        Map<String, Object> big = new LinkedHashMap<>();
        big.put("max", MAX_UINT64);
        big.put("min", Long.MIN_VALUE);
        big.put("i63", Long.MAX_VALUE);
        assertEquals("83a36d6178cfffffffffffffffffa36d696ed38000000000000000a3693633cf7fffffffffffffff", hex(big));

        Map<String, Object> mixed = new LinkedHashMap<>();
        mixed.put("s", "é😀");
        mixed.put("b", new byte[] {0, 1});
        mixed.put("f", 1.5);
        mixed.put("n", null);
        mixed.put("t", true);
        mixed.put("l", List.of(1, List.of(2)));
        mixed.put("m", Map.of(1, "x"));
        String mixedHex = "87a173a6c3a9f09f9880a162c4020001a166cb3ff8000000000000a16ec0a174c3a16c92019102a16d8101a178";
        assertEquals(mixedHex, hex(mixed));

        assertEquals("d6ff5fee6600", hex(Instant.parse("2021-01-01T00:00:00Z")));
        assertEquals("d7ff1d6f28005fee6600", hex(Instant.parse("2021-01-01T00:00:00.123456Z")));
        assertEquals("c70cff1dcd6500ffffffffffffffff", hex(Instant.parse("1969-12-31T23:59:59.5Z")));
        assertEquals("c7030291a161", hex(Set.of("a")));
    }

    @Test
    void decodesWhatPythonSends() {
        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put("max", MAX_UINT64);
        expected.put("min", Long.MIN_VALUE);
        expected.put("i63", Long.MAX_VALUE);
        Values.assertSame(expected,
                fromHex("83a36d6178cfffffffffffffffffa36d696ed38000000000000000a3693633cf7fffffffffffffff"));

        Object mixed = fromHex(
                "87a173a6c3a9f09f9880a162c4020001a166cb3ff8000000000000a16ec0a174c3a16c92019102a16d8101a178");
        Map<Object, Object> want = new LinkedHashMap<>();
        want.put("s", "é😀");
        want.put("b", new byte[] {0, 1});
        want.put("f", 1.5);
        want.put("n", null);
        want.put("t", true);
        want.put("l", List.of(1L, List.of(2L)));
        want.put("m", Map.of(1L, "x"));
        Values.assertSame(want, mixed);

        assertEquals(Instant.parse("2021-01-01T00:00:00Z"), fromHex("d6ff5fee6600"));
        assertEquals(Instant.parse("2021-01-01T00:00:00.123456Z"), fromHex("d7ff1d6f28005fee6600"));
        assertEquals(Instant.parse("1969-12-31T23:59:59.5Z"), fromHex("c70cff1dcd6500ffffffffffffffff"));
    }

    @Test
    void pythonTuplesAndSetsDecodeToListsAndSets() {
        Values.assertSame(new ArrayList<>(List.of(1L, 2L)), fromHex("c70301920102"));  // (1, 2)
        Object set = fromHex("c7030291a161");  // {"a"}
        assertEquals(Set.of("a"), set);
        assertTrue(set instanceof LinkedHashSet);
        Object frozen = fromHex("d5039101");  // frozenset({1})
        assertEquals(Set.of(1L), frozen);
        assertThrows(UnsupportedOperationException.class, () -> ((Set<Object>) frozen).add(2L));
        assertEquals(Set.of("a", "b"), Msgpack.decode(Msgpack.encode(new LinkedHashSet<>(List.of("a", "b")))));
    }

    @Test
    void integersDecodeToLongUnlessTheyNeedMore() {
        assertEquals(1L, Msgpack.decode(Msgpack.encode((byte) 1)));
        assertEquals(Long.MAX_VALUE, fromHex("cf7fffffffffffffff"));
        assertEquals(MAX_UINT64, fromHex("cfffffffffffffffff"));
        assertEquals(BigInteger.ONE.shiftLeft(63), fromHex("cf8000000000000000"));
        assertEquals(2L, Msgpack.decode(Msgpack.encode(BigInteger.TWO)));
    }

    @Test
    void floatsDecodeToDouble() {
        assertEquals(1.5, Msgpack.decode(Msgpack.encode(1.5f)));
        assertEquals(Double.NEGATIVE_INFINITY, Msgpack.decode(Msgpack.encode(Double.NEGATIVE_INFINITY)));
        assertTrue(Double.isNaN((Double) Msgpack.decode(Msgpack.encode(Double.NaN))));
        assertEquals(-0.0, Msgpack.decode(Msgpack.encode(-0.0)));
    }

    @Test
    void zonedDateTimesEncodeAsTheirInstant() {
        OffsetDateTime t = OffsetDateTime.of(2024, 2, 29, 12, 0, 0, 1000, ZoneOffset.ofHours(5));
        assertEquals(t.toInstant(), Msgpack.decode(Msgpack.encode(t)));
        assertEquals(t.toInstant(), Msgpack.decode(Msgpack.encode(t.toZonedDateTime())));
        assertEquals(Instant.ofEpochMilli(1234), Msgpack.decode(Msgpack.encode(new java.util.Date(1234))));
    }

    @Test
    void roundTripsNestedValues() {
        Map<Object, Object> value = new LinkedHashMap<>();
        value.put("list", List.of(List.of(), Map.of("k", List.of(true, false))));
        value.put(7L, "int key");
        value.put("bytes", new byte[] {(byte) 0xff, 0});
        value.put("emoji", "🦀 и 中文");
        value.put("nil", null);
        Values.assertSame(value, Msgpack.decode(Msgpack.encode(value)));
    }

    @Test
    void refusesWhatHasNoMsgpackForm() {
        assertThrows(EncodingException.class, () -> Msgpack.encode(new Object()));
        assertThrows(EncodingException.class, () -> Msgpack.encode(Map.of("d", new java.math.BigDecimal("1.5"))));
        EncodingException naive = assertThrows(EncodingException.class,
                () -> Msgpack.encode(LocalDateTime.of(2020, 1, 1, 0, 0)));
        assertTrue(naive.getMessage().contains("no instant"), naive.getMessage());
        assertThrows(EncodingException.class, () -> Msgpack.encode(MAX_UINT64.add(BigInteger.ONE)));
        assertThrows(EncodingException.class,
                () -> Msgpack.encode(BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE)));
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThrows(EncodingException.class, () -> Msgpack.encode(cycle));
    }

    @Test
    void refusesBytesThatAreNotOneValue() {
        assertThrows(EncodingException.class, () -> fromHex("d40500"));  // unknown ext 5
        assertThrows(EncodingException.class, () -> fromHex("0101"));  // trailing bytes
        assertThrows(EncodingException.class, () -> fromHex("92"));  // truncated
        assertThrows(EncodingException.class, () -> fromHex("d50301"));  // ext 1 without an array inside
        assertNull(Msgpack.decode(new byte[0]));
    }

    @Test
    void binaryIsByteArray() {
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) Msgpack.decode(Msgpack.encode(new byte[] {1, 2, 3})));
    }
}
