package io.sergeant.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against a live gateway whose Python echo workers return {"echo": kwargs, "keys": n}. */
@Tag("e2e")
@Timeout(120)
class GatewayE2ETest {
    private static final String QUEUE = "echo";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static Backend backend;
    private static SergeantClient client;

    @BeforeAll
    static void connect() throws Exception {
        backend = Backend.fromEnvironmentOrStart();
        client = SergeantClient.builder(backend.address).token(System.getenv("SERGEANT_TOKEN")).build();
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (client != null) {
            client.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static Map<Object, Object> echoed(Map<?, ?> kwargs) {
        Map<Object, Object> reply = new HashMap<>();
        reply.put("echo", kwargs);
        reply.put("keys", (long) kwargs.size());
        return reply;
    }

    private static Object resultOf(Submission s) throws Exception {
        try {
            return s.result(WAIT);
        } catch (TimeoutException e) {
            throw new AssertionError("task " + s.taskId() + " did not finish; events " + s.events()
                    + "\nbackend log:\n" + backend.logTail(), e);
        }
    }

    @Test
    void everyMsgpackTypeRoundTripsExactlyThroughAPythonWorker() throws Exception {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < 256; i++) {
            allBytes[i] = (byte) i;
        }
        BigInteger maxUint64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        // What we send, and what must come back where it differs in Java type (ints decode to Long, floats to
        // Double, arrays to List).
        Map<String, Object> kwargs = new LinkedHashMap<>();
        Map<Object, Object> expected = new LinkedHashMap<>();
        put(kwargs, expected, "nil", null, null);
        put(kwargs, expected, "true", true, true);
        put(kwargs, expected, "false", false, false);
        put(kwargs, expected, "zero", 0, 0L);
        put(kwargs, expected, "small_negative", -33, -33L);
        put(kwargs, expected, "int32_edge", 2147483648L, 2147483648L);
        put(kwargs, expected, "int64_min", Long.MIN_VALUE, Long.MIN_VALUE);
        put(kwargs, expected, "int64_max", Long.MAX_VALUE, Long.MAX_VALUE);
        put(kwargs, expected, "uint64_max", maxUint64, maxUint64);
        put(kwargs, expected, "pi", Math.PI, Math.PI);
        put(kwargs, expected, "tiny", -4.9e-324, -4.9e-324);
        put(kwargs, expected, "huge", Double.MAX_VALUE, Double.MAX_VALUE);
        put(kwargs, expected, "negative_zero", -0.0, -0.0);
        put(kwargs, expected, "infinity", Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        put(kwargs, expected, "nan", Double.NaN, Double.NaN);
        put(kwargs, expected, "float32", 0.25f, 0.25);
        put(kwargs, expected, "empty_string", "", "");
        put(kwargs, expected, "unicode", "héllo wörld — Ωμέγα, Привет, 中文, عربى", "héllo wörld — Ωμέγα, Привет, 中文, عربى");
        put(kwargs, expected, "non_bmp", "🦀🎉𝄞 \uD83D\uDE00", "🦀🎉𝄞 😀");
        put(kwargs, expected, "control", "nul\u0000tab\tnewline\n", "nul\u0000tab\tnewline\n");
        put(kwargs, expected, "bytes", allBytes, allBytes);
        put(kwargs, expected, "empty_bytes", new byte[0], new byte[0]);
        Instant micros = Instant.parse("2024-02-29T12:34:56.123456Z");
        put(kwargs, expected, "timestamp", micros, micros);
        put(kwargs, expected, "epoch", Instant.EPOCH, Instant.EPOCH);
        put(kwargs, expected, "before_1970", Instant.parse("1969-07-20T20:17:40.000001Z"),
                Instant.parse("1969-07-20T20:17:40.000001Z"));
        put(kwargs, expected, "year_9999", Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"));
        ZonedDateTime zoned = ZonedDateTime.of(2030, 6, 1, 8, 0, 0, 0, ZoneOffset.ofHours(-7));
        put(kwargs, expected, "zoned", zoned, zoned.toInstant());
        put(kwargs, expected, "list", List.of(1, "two", 3.0, List.of(), Map.of()),
                List.of(1L, "two", 3.0, List.of(), Map.of()));
        put(kwargs, expected, "array", new long[] {1, -1}, List.of(1L, -1L));
        Map<Object, Object> intKeys = new LinkedHashMap<>();
        intKeys.put(1L, "one");
        intKeys.put(-2L, "minus two");
        intKeys.put(Long.MAX_VALUE, "max");
        put(kwargs, expected, "int_keys", intKeys, intKeys);
        Map<String, Object> deep = Map.of("a", Map.of("b", List.of(Map.of("c", List.of(List.of(true)))),
                "bin", new byte[] {9}));
        put(kwargs, expected, "nested", Map.of("deep", deep), Map.of("deep", deep));
        put(kwargs, expected, "set", new LinkedHashSet<>(List.of("x", "y")), Set.of("x", "y"));
        List<Long> many = new ArrayList<>();
        for (long i = 0; i < 2000; i++) {
            many.add(i * 7919);
        }
        put(kwargs, expected, "big_list", many, many);

        Object result = resultOf(client.submit(QUEUE, kwargs));
        Map<Object, Object> want = echoed(expected);
        // Sets are unordered in Python: compare them as sets, everything else exactly, in order.
        Map<?, ?> got = assertInstanceOf(Map.class, result);
        Map<?, ?> echo = assertInstanceOf(Map.class, got.get("echo"));
        assertEquals(Set.of("x", "y"), echo.get("set"));
        assertInstanceOf(Set.class, echo.get("set"));
        Map<Object, Object> echoCopy = new LinkedHashMap<>(echo);
        echoCopy.put("set", ((Map<?, ?>) want.get("echo")).get("set"));
        Values.assertSame(want.get("echo"), echoCopy);
        assertEquals(want.get("keys"), got.get("keys"));
    }

    private static void put(Map<String, Object> kwargs, Map<Object, Object> expected, String key, Object sent,
                            Object back) {
        kwargs.put(key, sent);
        expected.put(key, back);
    }

    @Test
    void progressEventsReachTheCallback() throws Exception {
        List<Event> progress = new CopyOnWriteArrayList<>();
        Map<String, Object> kwargs = Map.of("progress", 3);
        Submission s = client.submit(QUEUE, kwargs, PushOptions.DEFAULT, progress::add);
        Values.assertSame(echoed(Map.of("progress", 3L)), resultOf(s));
        assertEquals(3, progress.size(), "progress events: " + progress);
        for (int i = 0; i < 3; i++) {  // the echo worker reports i/n, "step i", {"step": i}
            Event e = progress.get(i);
            assertEquals(Event.Kind.PROGRESS, e.kind());
            assertEquals(s.taskId(), e.taskId());
            assertEquals((i + 1) / 3.0, e.progress(), 1e-9);
            assertEquals("step " + (i + 1), e.message());
            Values.assertSame(Map.of("step", (long) i + 1), e.data());
        }
        List<Event.Kind> kinds = s.events().stream().map(Event::kind).toList();
        assertEquals(Event.Kind.ACCEPTED, kinds.get(0));
        assertTrue(kinds.contains(Event.Kind.STARTED), kinds.toString());
        assertEquals(Event.Kind.SUCCEEDED, kinds.get(kinds.size() - 1));
    }

    @Test
    void aPackedPushAnswersAKeysMatchWithTheFirstIdAndKeepsManyBatchesInOrder() {
        PushOptions keyed = PushOptions.builder().idempotencyKey("java-key-" + TaskIds.next()).build();
        List<String> first = client.pushMany(QUEUE, List.of(Map.of("n", 0)), keyed);
        assertEquals(first, client.pushMany(QUEUE, List.of(Map.of("n", 1)), keyed));
        List<Map<String, Object>> many = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            many.add(Map.of("n", i));
            ids.add("java-" + first.get(0) + "-" + i);
        }
        assertEquals(ids, client.pushMany(QUEUE, many, PushOptions.builder().taskIds(ids).batchSize(1000).build()));
    }

    @Test
    void aBatchIsPushedAtOnceAndWatchedToTheEnd() {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            batch.add(Map.of("i", i, "label", "task-" + i));
        }
        List<String> ids = client.pushMany(QUEUE, batch,
                PushOptions.builder().priority(PushOptions.Priority.HIGH).wantResults(true).build());
        assertEquals(200, ids.size());
        assertEquals(200, new HashSet<>(ids).size());

        Map<String, Object> results = new HashMap<>();
        try (EventStream events = client.watch(QUEUE, ids)) {
            while (events.hasNext()) {
                Event e = events.next();
                if (e.isTerminal()) {
                    assertEquals(Event.Kind.SUCCEEDED, e.kind(), e.toString());
                    results.put(e.taskId(), e.result());
                }
            }
        }
        assertEquals(new HashSet<>(ids), results.keySet());
        for (int i = 0; i < ids.size(); i++) {
            Map<Object, Object> kwargs = new LinkedHashMap<>();
            kwargs.put("i", (long) i);
            kwargs.put("label", "task-" + i);
            Map<?, ?> got = (Map<?, ?>) results.get(ids.get(i));
            assertEquals(new HashMap<>(kwargs), new HashMap<>((Map<?, ?>) got.get("echo")));
        }

        TaskStatus status = client.get(QUEUE, ids.get(7));
        assertEquals(TaskStatus.State.SUCCEEDED, status.state());
        assertEquals(ids.get(7), status.taskId());
        assertEquals(7L, ((Map<?, ?>) ((Map<?, ?>) status.result()).get("echo")).get("i"));
    }

    @Test
    void aRoundRobinClientOfADnsTargetReachesTheGateway() throws Exception {
        // Several gateways behind one name would share the calls; here the name resolves to the one under test.
        try (SergeantClient balanced = SergeantClient.builder("dns:///" + backend.address).roundRobin()
                .token(System.getenv("SERGEANT_TOKEN")).build()) {
            String id = balanced.push(QUEUE, Map.of("n", 1),
                    PushOptions.builder().delay(Duration.ofMinutes(10)).wantResults(true).build());
            assertEquals(TaskStatus.State.SCHEDULED, client.get(QUEUE, id).state());
            assertEquals(CancelOutcome.CANCELLED, balanced.cancel(QUEUE, id));
        }
    }

    @Test
    void aDelayedTaskCanBeCancelledBeforeItRuns() {
        String id = client.push(QUEUE, Map.of("n", 1),
                PushOptions.builder().delay(Duration.ofMinutes(10)).wantResults(true).build());
        assertEquals(TaskStatus.State.SCHEDULED, client.get(QUEUE, id).state());
        assertEquals(CancelOutcome.CANCELLED, client.cancel(QUEUE, id));
        assertEquals(TaskStatus.State.CANCELLED, client.get(QUEUE, id).state());
        try (EventStream events = client.watch(QUEUE, List.of(id))) {
            Event last = null;
            while (events.hasNext()) {
                last = events.next();
            }
            assertEquals(Event.Kind.CANCELLED, last == null ? null : last.kind());
        }
        assertEquals(CancelOutcome.FINISHED, client.cancel(QUEUE, id));
    }

    @Test
    void aRunningTaskCanBeCancelled() throws Exception {
        Submission s = client.submit(QUEUE, Map.of("sleep_s", 30));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (s.events().stream().noneMatch(e -> e.kind() == Event.Kind.STARTED)) {
            assertTrue(System.nanoTime() < deadline, "the task never started: " + s.events());
            Thread.sleep(50);
        }
        assertEquals(CancelOutcome.RUNNING, s.cancel());
        try (EventStream events = client.watch(QUEUE, List.of(s.taskId()))) {
            Event last = null;
            while (events.hasNext()) {
                last = events.next();
            }
            assertTrue(last != null && last.kind() == Event.Kind.CANCELLED, String.valueOf(last));
        }
        TaskFailedException failed = assertThrows(TaskFailedException.class, () -> resultOf(s));
        assertEquals(Event.Kind.CANCELLED, failed.kind(), failed.toString());
        assertEquals(s.taskId(), failed.taskId());
    }

    @Test
    void aFailingTaskSurfacesTheWorkersError() {
        Submission s = client.submit(QUEUE, Map.of("fail", "no such user: ☃"),
                PushOptions.builder().maxAttempts(1).build());
        TaskFailedException failed = assertThrows(TaskFailedException.class, () -> resultOf(s));
        assertEquals(Event.Kind.DEAD, failed.kind());
        assertEquals("ValueError", failed.errorType());
        assertEquals("asked to fail: no such user: ☃", failed.errorMessage());  // the echo worker's wording
        assertTrue(failed.traceback().contains("ValueError"), failed.traceback());
        TaskStatus status = client.get(QUEUE, s.taskId());
        assertEquals(TaskStatus.State.DEAD, status.state());
        assertEquals("ValueError", status.error().type());
    }

    @Test
    void anIdempotencyKeyReturnsTheFirstTask() throws Exception {
        // the first task keeps its result: the submit that matches its key follows it to that result
        PushOptions once = PushOptions.builder().idempotencyKey("java-e2e-" + TaskIds.next()).wantResults(true).build();
        String first = client.push(QUEUE, Map.of("n", 1), once);
        String second = client.push(QUEUE, Map.of("n", 2), once);
        assertEquals(first, second);
        Submission third = client.submit(QUEUE, Map.of("n", 3), once);
        Values.assertSame(echoed(Map.of("n", 1L)), resultOf(third));
        assertEquals(first, third.taskId());
    }

    @Test
    void aChosenTaskIdIsKept() throws Exception {
        String id = "java:" + TaskIds.next();
        assertEquals(id, client.push(QUEUE, Map.of(), PushOptions.builder().taskId(id).build()));
        Submission s = client.submit(QUEUE, Map.of("k", "v"), PushOptions.builder().taskId(id + "-2")
                .timeout(Duration.ofSeconds(20)).traceId("trace-123").build());
        assertEquals(id + "-2", s.taskId());
        Values.assertSame(echoed(Map.of("k", "v")), resultOf(s));
    }

    @Test
    void compressedKwargsAreReadByTheWorker() throws Exception {
        for (PushOptions.Compression c : PushOptions.Compression.values()) {
            Map<String, Object> kwargs = Map.of("text", "abc".repeat(1000), "how", c.name());
            Object result = resultOf(client.submit(QUEUE, kwargs, PushOptions.builder().compression(c).build()));
            Values.assertSame(echoed(new LinkedHashMap<>(kwargs)).get("keys"), ((Map<?, ?>) result).get("keys"));
            assertEquals(new HashMap<>(kwargs), new HashMap<>((Map<?, ?>) ((Map<?, ?>) result).get("echo")));
        }
    }

    @Test
    void badRequestsFailWithTheGatewaysCode() {
        SergeantException e = assertThrows(SergeantException.class, () -> client.push("no spaces allowed", Map.of()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.description().length() > 0);
        SergeantException missing = assertThrows(SergeantException.class,
                () -> client.get(QUEUE, "never-pushed-" + TaskIds.next()));
        assertEquals(Status.Code.NOT_FOUND, missing.code());
    }

    @Test
    void aStreamDeadlineEndsTheSubmission() throws Exception {
        try (SergeantClient impatient = SergeantClient.builder(backend.address)
                .token(System.getenv("SERGEANT_TOKEN")).streamDeadline(Duration.ofMillis(1500)).build()) {
            Submission s = impatient.submit(QUEUE, Map.of("sleep_s", 20));
            SergeantException e = assertThrows(SergeantException.class, () -> resultOf(s));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
            try {
                client.cancel(QUEUE, s.taskId());  // the task runs on without a follower: stop it
            } catch (SergeantException ignored) {
                // on a very slow machine the deadline may have passed before the push was stored
            }
        }
    }
}
