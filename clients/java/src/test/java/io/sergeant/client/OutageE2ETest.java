package io.sergeant.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.sergeant.v1.GetVersionRequest;
import io.sergeant.v1.OperationsGrpc;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against a real gateway whose store (redis-server, SecantusDB) has stopped: a push with a 3 s deadline throws the
 * gateway's UNAVAILABLE, naming the store, before the deadline.
 */
@Tag("e2e")
@Timeout(180)
class OutageE2ETest {
    private static final Duration DEADLINE = Duration.ofSeconds(3);

    @ParameterizedTest
    @CsvSource({"redis, Redis at", "mongodb, MongoDB is unreachable"})
    void pushIsUnavailableBeforeTheDeadline(String store, String says) throws Exception {
        try (Backend backend = Backend.storeDown(store);
             SergeantClient client = SergeantClient.builder(backend.address).deadline(DEADLINE).build()) {
            // Connect first (GetVersion needs no store): a loaded JVM's first connection can take seconds.
            OperationsGrpc.newBlockingStub(client.channel()).getVersion(GetVersionRequest.getDefaultInstance());
            long started = System.nanoTime();
            SergeantException e = assertThrows(SergeantException.class, () -> client.push("outage", Map.of("n", 1)));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertEquals(Status.Code.UNAVAILABLE, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(says), e.getMessage());
            assertTrue(took.compareTo(DEADLINE) < 0, "the error came " + took + " after the push, past its deadline");
        }
    }
}
