package io.sergeant.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.sergeant.v1.ProducerGrpc;
import io.sergeant.v1.PushRequest;
import io.sergeant.v1.PushResponse;
import io.sergeant.v1.SubmitRequest;
import io.sergeant.v1.TaskEvent;
import io.sergeant.v1.WatchRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Retries stay inside the caller's deadline: against a real gRPC server (in process) that answers UNAVAILABLE after
 * a second, as a gateway waiting for an unreachable store does, a call ends with that UNAVAILABLE before its
 * deadline, never with DEADLINE_EXCEEDED.
 */
class RetryDeadlineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final long STORE_WAIT_MS = 1000;

    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger attempts = new AtomicInteger();
    private Server server;
    private SergeantClient client;

    /** Every call waits for the store, then answers UNAVAILABLE. */
    private final class DownGateway extends ProducerGrpc.ProducerImplBase {
        private void down(StreamObserver<?> response) {
            attempts.incrementAndGet();
            later.schedule(() -> response.onError(
                    Status.UNAVAILABLE.withDescription("store unreachable").asRuntimeException()),
                    STORE_WAIT_MS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void push(PushRequest request, StreamObserver<PushResponse> response) {
            down(response);
        }

        @Override
        public void submit(SubmitRequest request, StreamObserver<TaskEvent> response) {
            down(response);
        }

        @Override
        public void watch(WatchRequest request, StreamObserver<TaskEvent> response) {
            down(response);
        }
    }

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(new DownGateway()).build().start();
        client = SergeantClient.builder().channelBuilder(InProcessChannelBuilder.forName(name))
                .deadline(DEADLINE).streamDeadline(DEADLINE).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
        later.shutdownNow();
    }

    private void unavailableInTime(Executable call) {
        attempts.set(0);
        long started = System.nanoTime();
        SergeantException e = assertThrows(SergeantException.class, call);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(Status.Code.UNAVAILABLE, e.code(), e.getMessage());  // not DEADLINE_EXCEEDED
        assertTrue(e.getMessage().contains("store unreachable"), e.getMessage());
        assertTrue(took.compareTo(DEADLINE) < 0, "the error came " + took + " after the call, past its deadline");
        assertEquals(2, attempts.get());  // at 1 s a second attempt fits; at 2 s a third would not
    }

    @Test
    void pushDuringAnOutageIsUnavailableBeforeTheDeadline() {
        unavailableInTime(() -> client.push("q", Map.of("n", 1)));
        unavailableInTime(() -> client.pushMany("q", List.of(Map.of("n", 1), Map.of("n", 2))));
    }

    @Test
    void submitAndWatchDuringAnOutageAreUnavailableBeforeTheDeadline() {
        unavailableInTime(() -> client.submit("q", Map.of("n", 1)).result());
        unavailableInTime(() -> {
            try (EventStream events = client.watch("q", List.of("t1"))) {
                events.hasNext();
            }
        });
    }
}
