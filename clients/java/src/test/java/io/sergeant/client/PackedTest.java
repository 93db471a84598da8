package io.sergeant.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sergeant.v1.DuplicateTask;
import io.sergeant.v1.PushRequest;
import io.sergeant.v1.PushResponse;
import io.sergeant.v1.Task;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packed form of a push, PackedTasks version 1, decoded with msgpack-core as the gateway reads it. */
class PackedTest {
    /** The task arrays of a packed request. */
    @SuppressWarnings("unchecked")
    static List<Object> rows(PushRequest request) {
        assertEquals(1, request.getPacked().getVersion());
        return (List<Object>) Msgpack.decode(request.getPacked().getTasks().toByteArray());
    }

    @Test
    void eachTaskIsIdKwargsMapAndTheOptionsSetCutAfterTheLast() {
        Map<String, Object> kwargs = Map.of("s", "a\u0000😀", "big", BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        PushOptions full = PushOptions.builder().priority(PushOptions.Priority.HIGH).delay(Duration.ofMillis(1500))
                .timeout(Duration.ofMillis(2500)).idempotencyKey("k").traceId("t").build();
        Task plain = Requests.task("q", kwargs, PushOptions.DEFAULT, "a", 100);
        Task all = Requests.task("q", Map.of(), full, "b", 100);
        Task zipped = Requests.task("q", Map.of("n", 1), PushOptions.builder().compression(PushOptions.Compression.ZLIB)
                .maxAttempts(3).build(), "c", 100);
        List<Object> rows = rows(Requests.packed("q", List.of(plain, all, zipped), true));
        assertEquals(List.of("a", kwargs), rows.get(0));
        assertEquals(Arrays.asList("b", Map.of(), 2L, 101.5, null, 2.5, "k", "t"), rows.get(1));
        List<?> third = (List<?>) rows.get(2);
        assertEquals(10, third.size());
        assertArrayEquals(zipped.getKwargs().toByteArray(), (byte[]) third.get(1));  // compressed: bin
        assertEquals(Arrays.asList("c", null, 3L, null, null, null, null, 1L, 2L),
                Arrays.asList(third.get(0), third.get(2), third.get(4), third.get(5), third.get(6), third.get(7),
                        third.get(3), third.get(8), third.get(9)));
    }

    @Test
    void idsComeBackInOrderWithEachDuplicatesFirstId() {
        List<Task> sent = List.of(Task.newBuilder().setId("a").build(), Task.newBuilder().setId("b").build());
        PushResponse reply = PushResponse.newBuilder().setCount(2)
                .addDuplicates(DuplicateTask.newBuilder().setIndex(1).setId("first")).build();
        assertEquals(List.of("a", "first"), Packed.ids(sent, reply));
        assertThrows(SergeantException.class, () -> Packed.ids(sent, PushResponse.newBuilder().setCount(1).build()));
        assertThrows(SergeantException.class, () -> Packed.ids(sent, PushResponse.newBuilder().setCount(2)
                .addDuplicates(DuplicateTask.newBuilder().setIndex(2).setId("x")).build()));
    }
}
