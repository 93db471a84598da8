package io.sergeant.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sergeant.v1.Compressor;
import io.sergeant.v1.Priority;
import io.sergeant.v1.Serializer;
import io.sergeant.v1.Task;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

class RequestsTest {
    private static final Map<String, Object> KWARGS = Map.of("to", "alice");

    @Test
    void defaultsLeaveEveryOptionToTheGateway() {
        Task t = Requests.task("emails", KWARGS, PushOptions.DEFAULT, "id-1", 1000.0);
        assertEquals("id-1", t.getId());
        assertEquals("emails", t.getQueue());
        assertEquals(Map.of("to", "alice"), Msgpack.decode(t.getKwargs().toByteArray()));
        assertEquals("81a2746fa5616c696365", java.util.HexFormat.of().formatHex(t.getKwargs().toByteArray()));
        assertEquals(Serializer.SERIALIZER_MSGPACK, t.getSerializer());
        assertEquals(Compressor.COMPRESSOR_NONE, t.getCompressor());
        assertEquals(Priority.PRIORITY_NORMAL, t.getPriority());
        assertEquals(0.0, t.getNotBeforeUnixS());
        assertEquals(0, t.getMaxAttempts());
        assertEquals(0.0, t.getTimeoutS());
        assertEquals("", t.getIdempotencyKey());
        assertEquals("", t.getTraceId());
        assertEquals(0, t.getAttempt());
    }

    @Test
    void optionsFillTheEnvelope() {
        PushOptions opts = PushOptions.builder().priority(PushOptions.Priority.HIGH).delay(Duration.ofMillis(2500)).maxAttempts(3)
                .timeout(Duration.ofMillis(1500)).idempotencyKey("order-7").traceId("trace-1").build();
        Task t = Requests.task("emails", KWARGS, opts, "id-2", 1000.0);
        assertEquals(Priority.PRIORITY_HIGH, t.getPriority());
        assertEquals(1002.5, t.getNotBeforeUnixS());
        assertEquals(3, t.getMaxAttempts());
        assertEquals(1.5, t.getTimeoutS());
        assertEquals("order-7", t.getIdempotencyKey());
        assertEquals("trace-1", t.getTraceId());
    }

    @Test
    void delaySetsNotBeforeFromNow() {
        double before = Requests.nowUnixS();
        Task t = Requests.task("q", KWARGS, PushOptions.builder().delay(Duration.ofSeconds(60)).build(), "x",
                Requests.nowUnixS());
        assertTrue(t.getNotBeforeUnixS() >= before + 60 && t.getNotBeforeUnixS() < before + 61);
    }

    @Test
    void compressionIsRecordedAndReadable() throws IOException {
        for (PushOptions.Compression c : PushOptions.Compression.values()) {
            Task t = Requests.task("q", KWARGS, PushOptions.builder().compression(c).build(), "x", 0);
            byte[] raw = t.getKwargs().toByteArray();
            InputStream in = new ByteArrayInputStream(raw);
            switch (c) {
                case ZLIB:
                    assertEquals(Compressor.COMPRESSOR_ZLIB, t.getCompressor());
                    in = new InflaterInputStream(in);
                    break;
                case GZIP:
                    assertEquals(Compressor.COMPRESSOR_GZIP, t.getCompressor());
                    in = new GZIPInputStream(in);
                    break;
                default:
                    assertEquals(Compressor.COMPRESSOR_NONE, t.getCompressor());
            }
            assertEquals(KWARGS, Msgpack.decode(in.readAllBytes()));
        }
    }

    @Test
    void batchesGetDistinctClientMadeIds() {
        List<Map<String, Object>> many = List.of(Map.of("n", 1), Map.of("n", 2), Map.of("n", 3));
        List<Task> r = Requests.tasks("q", many, PushOptions.DEFAULT, 0);
        assertEquals(3, r.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Task t = r.get(i);
            assertTrue(PushOptions.TASK_ID.matcher(t.getId()).matches(), t.getId());
            ids.add(t.getId());
            assertEquals(Map.of("n", (long) i + 1), Msgpack.decode(t.getKwargs().toByteArray()));
        }
        assertEquals(3, ids.size());
    }

    @Test
    void aChosenIdIsKept() {
        assertEquals("mine:1", Requests.tasks("q", List.of(KWARGS), PushOptions.builder().taskId("mine:1").build(), 0)
                .get(0).getId());
        List<Task> two = Requests.tasks("q", List.of(KWARGS, KWARGS),
                PushOptions.builder().taskIds(List.of("a", "b")).build(), 0);
        assertEquals(List.of("a", "b"), List.of(two.get(0).getId(), two.get(1).getId()));
    }

    @Test
    void refusesBatchesThatCannotBeRight() {
        List<Map<String, Object>> two = List.of(KWARGS, KWARGS);
        assertThrows(IllegalArgumentException.class,
                () -> Requests.tasks("q", two, PushOptions.builder().taskId("a").build(), 0));
        assertThrows(IllegalArgumentException.class,
                () -> Requests.tasks("q", two, PushOptions.builder().idempotencyKey("k").build(), 0));
        assertThrows(IllegalArgumentException.class, () -> Requests.tasks("q", List.of(), PushOptions.DEFAULT, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Requests.tasks("q", two, PushOptions.builder().taskIds(List.of("a")).build(), 0));
        assertThrows(IllegalArgumentException.class, () -> PushOptions.builder().taskIds(List.of("a", "b c")));
        assertThrows(IllegalArgumentException.class, () -> PushOptions.builder().batchSize(0));
        assertThrows(EncodingException.class,
                () -> Requests.tasks("q", List.of(Map.of("x", new Object())), PushOptions.DEFAULT, 0));
    }

    @Test
    void optionsAreValidated() {
        assertEquals(PushOptions.Priority.NORMAL, PushOptions.DEFAULT.priority());
        assertThrows(NullPointerException.class, () -> PushOptions.builder().priority(null));
        assertThrows(IllegalArgumentException.class, () -> PushOptions.builder().delay(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> PushOptions.builder().timeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> PushOptions.builder().maxAttempts(-1));
        assertThrows(IllegalArgumentException.class, () -> PushOptions.builder().taskId("has space"));
        assertThrows(IllegalArgumentException.class, () -> PushOptions.builder().taskId("x".repeat(129)));
        PushOptions.builder().taskId("A-z_0.9:x".repeat(14));  // 126 characters: fine
    }

    @Test
    void toBuilderKeepsEveryOption() {
        PushOptions a = PushOptions.builder().priority(PushOptions.Priority.HIGH).delay(Duration.ofSeconds(1)).maxAttempts(2)
                .timeout(Duration.ofSeconds(3)).idempotencyKey("k").traceId("t").taskId("i")
                .compression(PushOptions.Compression.GZIP).build();
        assertEquals(a.toString(), a.toBuilder().build().toString());
        assertEquals(1, a.toBuilder().maxAttempts(1).build().maxAttempts());
        assertEquals(2, a.maxAttempts());
    }

    @Test
    void taskIdsAreUniqueValidAndIncreasing() {
        String previous = TaskIds.next();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = TaskIds.next();
            assertTrue(PushOptions.TASK_ID.matcher(id).matches());
            assertTrue(id.compareTo(previous) > 0);
            assertTrue(seen.add(id));
            previous = id;
        }
        assertEquals(26, previous.length());
        assertNotEquals(previous.substring(14), "000000000000");
    }
}
