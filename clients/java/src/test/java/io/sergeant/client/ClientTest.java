package io.sergeant.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.TlsTesting;
import io.sergeant.v1.CancelOutcome;
import io.sergeant.v1.CancelRequest;
import io.sergeant.v1.CancelResponse;
import io.sergeant.v1.EventKind;
import io.sergeant.v1.GetTaskRequest;
import io.sergeant.v1.GetTaskResponse;
import io.sergeant.v1.ProducerGrpc;
import io.sergeant.v1.PushRequest;
import io.sergeant.v1.PushResponse;
import io.sergeant.v1.PushedTask;
import io.sergeant.v1.SubmitRequest;
import io.sergeant.v1.Task;
import io.sergeant.v1.TaskEvent;
import io.sergeant.v1.TaskResult;
import io.sergeant.v1.TaskState;
import io.sergeant.v1.WatchRequest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against an in-process fake gateway: what goes on the wire, retries, deadlines, streams. */
class ClientTest {
    private final FakeProducer fake = new FakeProducer();
    private final List<Metadata> headers = new CopyOnWriteArrayList<>();
    private final List<Server> servers = new ArrayList<>();
    private final List<SergeantClient> clients = new ArrayList<>();
    private String name;

    @BeforeEach
    void start() throws Exception {
        name = InProcessServerBuilder.generateName();
        servers.add(InProcessServerBuilder.forName(name).addService(ServerInterceptors.intercept(fake, capture()))
                .build().start());
    }

    @AfterEach
    void stop() {
        clients.forEach(SergeantClient::close);
        servers.forEach(Server::shutdownNow);
    }

    private ServerInterceptor capture() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h,
                                                               ServerCallHandler<Q, R> next) {
                headers.add(h);
                return next.startCall(call, h);
            }
        };
    }

    private SergeantClient client(Consumer<SergeantClient.Builder> configure) {
        SergeantClient.Builder b = SergeantClient.builder().channelBuilder(InProcessChannelBuilder.forName(name));
        configure.accept(b);
        SergeantClient c = b.build();
        clients.add(c);
        return c;
    }

    private SergeantClient client() {
        return client(b -> { });
    }

    @Test
    void pushSendsTheTaskAndReturnsTheGatewaysId() {
        fake.pushIds = List.of("from-gateway");
        String id = client().push("emails", Map.of("to", "alice"),
                PushOptions.builder().priority(PushOptions.Priority.HIGH).maxAttempts(2).build());
        assertEquals("from-gateway", id);
        Task sent = fake.pushes.get(0).getTasks(0);
        assertEquals("emails", sent.getQueue());
        assertEquals(Map.of("to", "alice"), Msgpack.decode(sent.getKwargs().toByteArray()));
        assertEquals(2, sent.getMaxAttempts());
        assertEquals(io.sergeant.v1.Priority.PRIORITY_HIGH, sent.getPriority());
        assertTrue(PushOptions.TASK_ID.matcher(sent.getId()).matches());
    }

    @Test
    void pushManySendsOnePackedBatch() {
        List<String> ids = client().pushMany("q", List.of(Map.of("n", 1), Map.of("n", 2)));
        assertEquals(1, fake.pushes.size());
        List<Object> sent = PackedTest.rows(fake.pushes.get(0));
        assertEquals(2, sent.size());
        assertEquals(List.of(((List<?>) sent.get(0)).get(0), ((List<?>) sent.get(1)).get(0)), ids);
    }

    @Test
    void pushManyKeepsAFewBatchesInFlightAndReturnsTheFirstIdOfEachDuplicate() {
        fake.holdPushMillis = 30;
        fake.duplicateOf = Map.of("mine-1500", "earlier");
        List<Map<String, Object>> many = new java.util.ArrayList<>();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            many.add(Map.of("n", i));
            ids.add("mine-" + i);
        }
        List<String> got = client().pushMany("q", many,
                PushOptions.builder().taskIds(ids).batchSize(1000).wantResults(true).build());
        List<String> want = new java.util.ArrayList<>(ids);
        want.set(1500, "earlier");
        assertEquals(want, got);
        assertEquals(3, fake.pushes.size());
        assertTrue(fake.pushes.stream().allMatch(r -> r.getPacked().getWantResults() && r.getTasksCount() == 0));
        assertTrue(fake.mostInFlight.get() >= 2 && fake.mostInFlight.get() <= SergeantClient.PUSHES_IN_FLIGHT,
                fake.mostInFlight + " calls in flight");
    }

    @Test
    void theTokenTravelsAsBearerMetadata() {
        client(b -> b.token("s3cret")).push("q", Map.of());
        client().push("q", Map.of());
        assertEquals("Bearer s3cret", headers.get(0).get(SergeantClient.AUTHORIZATION));
        assertNull(headers.get(1).get(SergeantClient.AUTHORIZATION));
    }

    @Test
    void unavailableIsRetriedWithTheSameTaskId() {
        fake.failPushes.set(2);
        String id = client().push("q", Map.of("n", 1));
        assertEquals(3, fake.pushes.size());
        for (PushRequest attempt : fake.pushes) {
            assertEquals(id, attempt.getTasks(0).getId());
        }
    }

    @Test
    void retriesStopAtTheConfiguredAttempts() {
        fake.failPushes.set(100);
        SergeantException e = assertThrows(SergeantException.class,
                () -> client(b -> b.retryAttempts(3)).push("q", Map.of()));
        assertEquals(Status.Code.UNAVAILABLE, e.code());
        assertEquals(3, fake.pushes.size());
        fake.pushes.clear();
        assertThrows(SergeantException.class, () -> client(b -> b.retryAttempts(1)).push("q", Map.of()));
        assertEquals(1, fake.pushes.size());
    }

    @Test
    void anUnreachableGatewayIsUnavailable() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (SergeantClient c = SergeantClient.builder("127.0.0.1:" + port).retryAttempts(2).build()) {
            assertEquals(Status.Code.UNAVAILABLE,
                    assertThrows(SergeantException.class, () -> c.push("q", Map.of())).code());
        }
    }

    @Test
    void otherErrorsAreNotRetriedAndKeepTheirCode() {
        fake.pushError = Status.RESOURCE_EXHAUSTED.withDescription("queue q is full");
        SergeantException e = assertThrows(SergeantException.class, () -> client().push("q", Map.of()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.code());
        assertEquals("queue q is full", e.description());
        assertEquals(1, fake.pushes.size());
    }

    @Test
    void unaryCallsHaveADeadline() {
        fake.hangGet = true;
        long started = System.nanoTime();
        SergeantException e = assertThrows(SergeantException.class,
                () -> client(b -> b.deadline(Duration.ofMillis(300))).get("q", "t"));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void getAndCancel() {
        TaskStatus s = client().get("q", "t1");
        assertEquals(new TaskStatus("t1", TaskStatus.State.SUCCEEDED, 1, "done", null), s);
        assertEquals("q", fake.lastGet.getQueue());
        assertEquals(io.sergeant.client.CancelOutcome.RUNNING, client().cancel("q", "t1"));
        assertEquals("t1", fake.lastCancel.getTaskId());
    }

    @Test
    void submitFollowsTheTaskToItsResult() throws Exception {
        fake.submitEvents = List.of(
                kind(EventKind.EVENT_KIND_ACCEPTED).build(),
                kind(EventKind.EVENT_KIND_STARTED).build(),
                kind(EventKind.EVENT_KIND_PROGRESS).setProgress(0.5).setMessage("half").build(),
                kind(EventKind.EVENT_KIND_SUCCEEDED).setResult(TaskResult.newBuilder()
                        .setState(TaskState.TASK_STATE_SUCCEEDED)
                        .setResult(ByteString.copyFrom(Msgpack.encode(Map.of("sum", 3))))).build());
        List<Event> progress = new CopyOnWriteArrayList<>();
        Submission s = client().submit("echo", Map.of("a", 1), PushOptions.DEFAULT, progress::add);
        assertEquals(Map.of("sum", 3L), s.result(Duration.ofSeconds(5)));
        assertTrue(s.isDone());
        assertEquals(1, progress.size());
        assertEquals("half", progress.get(0).message());
        assertEquals(4, s.events().size());
        assertEquals(Event.Kind.STARTED, s.awaitStarted(Duration.ofSeconds(5)).kind());
        SubmitRequest sent = fake.lastSubmit;
        assertTrue(sent.getProgress());
        assertEquals(s.taskId(), sent.getTask().getId());
        assertEquals("echo", s.queue());
    }

    @Test
    void aTaskCancelledWhileQueuedNeverStarts() {
        fake.submitEvents = List.of(kind(EventKind.EVENT_KIND_ACCEPTED).build(), kind(EventKind.EVENT_KIND_CANCELLED)
                .setResult(TaskResult.newBuilder().setState(TaskState.TASK_STATE_CANCELLED)).build());
        Submission s = client().submit("echo", Map.of());
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> s.awaitStarted(Duration.ofSeconds(5)));
        assertEquals(Event.Kind.CANCELLED, e.kind());
    }

    @Test
    void submitWithoutACallbackAsksForNoProgress() throws Exception {
        fake.submitEvents = List.of(kind(EventKind.EVENT_KIND_SUCCEEDED).setResult(TaskResult.newBuilder()).build());
        assertNull(client().submit("echo", Map.of()).result(Duration.ofSeconds(5)));
        assertFalse(fake.lastSubmit.getProgress());
    }

    @Test
    void aDeadTaskFailsTheSubmission() {
        fake.submitEvents = List.of(kind(EventKind.EVENT_KIND_DEAD).setResult(TaskResult.newBuilder()
                .setState(TaskState.TASK_STATE_DEAD)
                .setError(io.sergeant.v1.TaskError.newBuilder().setType("ValueError").setMessage("no"))).build());
        Submission s = client().submit("echo", Map.of());
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> s.result(Duration.ofSeconds(5)));
        assertEquals("ValueError", e.errorType());
        assertEquals("no", e.errorMessage());
        assertTrue(s.future().isCompletedExceptionally());
    }

    @Test
    void aStreamThatEndsEarlyFailsTheSubmission() {
        fake.submitEvents = List.of(kind(EventKind.EVENT_KIND_ACCEPTED).build());
        Submission s = client().submit("echo", Map.of());
        SergeantException e = assertThrows(SergeantException.class, () -> s.result(Duration.ofSeconds(5)));
        assertEquals(Status.Code.UNKNOWN, e.code());
    }

    @Test
    void aFailedSubmitCallFailsTheSubmission() {
        fake.submitError = Status.PERMISSION_DENIED.withDescription("not yours");
        SergeantException e = assertThrows(SergeantException.class,
                () -> client().submit("echo", Map.of()).result(Duration.ofSeconds(5)));
        assertEquals(Status.Code.PERMISSION_DENIED, e.code());
        assertEquals("not yours", e.description());
    }

    @Test
    void aBrokenStreamAfterAcceptedFollowsTheTaskWithWatch() throws Exception {
        fake.submitEvents = List.of(kind(EventKind.EVENT_KIND_ACCEPTED).build());
        fake.submitBreaks = true;
        fake.watchEvents = List.of(kind(EventKind.EVENT_KIND_PROGRESS).setProgress(1).build(),
                kind(EventKind.EVENT_KIND_SUCCEEDED).setResult(TaskResult.newBuilder()
                        .setResult(ByteString.copyFrom(Msgpack.encode(42)))).build());
        List<Event> progress = new CopyOnWriteArrayList<>();
        Submission s = client().submit("echo", Map.of(), PushOptions.DEFAULT, progress::add);
        assertEquals(42L, s.result(Duration.ofSeconds(5)));
        assertEquals(List.of(s.taskId()), fake.lastWatch.getTaskIdsList());
        assertEquals("echo", fake.lastWatch.getQueue());
        assertTrue(fake.lastWatch.getProgress());
        assertEquals(1, progress.size());
    }

    @Test
    void aStreamThatBreaksBeforeAcceptedFails() {
        fake.submitError = Status.UNAVAILABLE.withDescription("gone");
        SergeantException e = assertThrows(SergeantException.class,
                () -> client(b -> b.retryAttempts(1)).submit("echo", Map.of()).result(Duration.ofSeconds(5)));
        assertEquals(Status.Code.UNAVAILABLE, e.code());
        assertNull(fake.lastWatch);
    }

    @Test
    void cancellingTheFutureStopsTheStream() throws Exception {
        fake.hangSubmit = new CountDownLatch(1);
        Submission s = client(b -> b.streamDeadline(Duration.ofSeconds(30))).submit("echo", Map.of());
        assertTrue(fake.submitStarted.await(5, TimeUnit.SECONDS));
        s.future().cancel(true);
        assertTrue(fake.submitCancelled.await(5, TimeUnit.SECONDS));
    }

    @Test
    void watchStreamsEventsUntilTheGatewayEndsIt() {
        fake.watchEvents = List.of(kind(EventKind.EVENT_KIND_STARTED).build(),
                kind(EventKind.EVENT_KIND_SUCCEEDED).setResult(TaskResult.newBuilder()).build());
        List<Event.Kind> kinds = new ArrayList<>();
        try (EventStream events = client().watch("q", List.of("t1", "t2"), true)) {
            events.forEachRemaining(e -> kinds.add(e.kind()));
        }
        assertEquals(List.of(Event.Kind.STARTED, Event.Kind.SUCCEEDED), kinds);
        assertEquals(List.of("t1", "t2"), fake.lastWatch.getTaskIdsList());
        assertTrue(fake.lastWatch.getProgress());
    }

    @Test
    void closingAWatchCancelsIt() throws Exception {
        fake.watchEvents = List.of(kind(EventKind.EVENT_KIND_STARTED).build());
        fake.hangWatch = true;
        EventStream events = client().watch("q", List.of());
        assertEquals(Event.Kind.STARTED, events.next().kind());
        events.close();
        assertFalse(events.hasNext());
        assertTrue(fake.watchCancelled.await(5, TimeUnit.SECONDS));
    }

    @Test
    void watchFailuresSurfaceWhileIterating() {
        fake.watchError = Status.INVALID_ARGUMENT.withDescription("bad queue");
        EventStream events = client().watch("bad queue", List.of());
        SergeantException e = assertThrows(SergeantException.class, events::hasNext);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
        assertFalse(events.hasNext());
    }

    @Test
    void tlsWithAPrivateCertificateAuthority(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca.pem");
        try (InputStream in = TlsTesting.loadCert("ca.pem")) {
            Files.copy(in, ca);
        }
        Server tls;
        try (InputStream cert = TlsTesting.loadCert("server1.pem"); InputStream key = TlsTesting.loadCert("server1.key")) {
            tls = Grpc.newServerBuilderForPort(0, TlsServerCredentials.create(cert, key)).addService(fake).build()
                    .start();
        }
        servers.add(tls);
        String address = "localhost:" + tls.getPort();
        // server1.pem is issued to *.test.google.fr: the client checks it against the expected authority.
        try (SergeantClient c = SergeantClient.builder(address).tls(ca).authority("foo.test.google.fr").build()) {
            assertEquals(io.sergeant.client.CancelOutcome.RUNNING, c.cancel("q", "t"));
        }
        try (SergeantClient wrongName = SergeantClient.builder(address).tls(ca).authority("example.com")
                .retryAttempts(1).build()) {
            assertEquals(Status.Code.UNAVAILABLE,
                    assertThrows(SergeantException.class, () -> wrongName.cancel("q", "t")).code());
        }
        try (SergeantClient plaintext = SergeantClient.builder(address).retryAttempts(1).build()) {
            assertEquals(Status.Code.UNAVAILABLE,
                    assertThrows(SergeantException.class, () -> plaintext.cancel("q", "t")).code());
        }
    }

    private static TaskEvent.Builder kind(EventKind kind) {
        return TaskEvent.newBuilder().setQueue("echo").setTaskId("t").setKind(kind);
    }

    /** A Producer that records requests and answers as each test sets it up. */
    static final class FakeProducer extends ProducerGrpc.ProducerImplBase {
        final List<PushRequest> pushes = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failPushes = new AtomicInteger();
        volatile List<String> pushIds;
        volatile Status pushError;
        volatile boolean hangGet;
        volatile GetTaskRequest lastGet;
        volatile CancelRequest lastCancel;
        volatile SubmitRequest lastSubmit;
        volatile List<TaskEvent> submitEvents = List.of();
        volatile Status submitError;
        volatile boolean submitBreaks;
        volatile CountDownLatch hangSubmit;
        final CountDownLatch submitStarted = new CountDownLatch(1);
        final CountDownLatch submitCancelled = new CountDownLatch(1);
        volatile WatchRequest lastWatch;
        volatile List<TaskEvent> watchEvents = List.of();
        volatile boolean hangWatch;
        volatile Status watchError;
        final CountDownLatch watchCancelled = new CountDownLatch(1);

        final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger mostInFlight = new java.util.concurrent.atomic.AtomicInteger();
        volatile long holdPushMillis;
        volatile Map<String, String> duplicateOf = Map.of();

        @Override
        public void push(PushRequest request, StreamObserver<PushResponse> response) {
            pushes.add(request);
            if (failPushes.getAndDecrement() > 0) {
                response.onError(Status.UNAVAILABLE.withDescription("store unreachable").asRuntimeException());
                return;
            }
            if (pushError != null) {
                response.onError(pushError.asRuntimeException());
                return;
            }
            PushResponse.Builder reply = PushResponse.newBuilder();
            if (request.hasPacked()) {
                int now = inFlight.incrementAndGet();
                mostInFlight.accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(holdPushMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inFlight.decrementAndGet();
                List<Object> rows = PackedTest.rows(request);
                reply.setCount(rows.size());
                for (int i = 0; i < rows.size(); i++) {
                    String first = duplicateOf.get((String) ((List<?>) rows.get(i)).get(0));
                    if (first != null) {
                        reply.addDuplicates(io.sergeant.v1.DuplicateTask.newBuilder().setIndex(i).setId(first));
                    }
                }
            }
            for (int i = 0; i < request.getTasksCount(); i++) {
                String id = pushIds != null ? pushIds.get(i) : request.getTasks(i).getId();
                reply.addTasks(PushedTask.newBuilder().setId(id).setCreated(true));
            }
            response.onNext(reply.build());
            response.onCompleted();
        }

        @Override
        public void getTask(GetTaskRequest request, StreamObserver<GetTaskResponse> response) {
            lastGet = request;
            if (hangGet) {
                return;
            }
            response.onNext(GetTaskResponse.newBuilder().setState(TaskState.TASK_STATE_SUCCEEDED)
                    .setTask(Task.newBuilder().setAttempt(1))
                    .setResult(TaskResult.newBuilder().setState(TaskState.TASK_STATE_SUCCEEDED)
                            .setResult(ByteString.copyFrom(Msgpack.encode("done"))))
                    .build());
            response.onCompleted();
        }

        @Override
        public void cancel(CancelRequest request, StreamObserver<CancelResponse> response) {
            lastCancel = request;
            response.onNext(CancelResponse.newBuilder().setOutcome(CancelOutcome.CANCEL_OUTCOME_RUNNING).build());
            response.onCompleted();
        }

        @Override
        public void submit(SubmitRequest request, StreamObserver<TaskEvent> response) {
            lastSubmit = request;
            submitStarted.countDown();
            if (hangSubmit != null) {
                ((io.grpc.stub.ServerCallStreamObserver<TaskEvent>) response).setOnCancelHandler(
                        submitCancelled::countDown);
                return;
            }
            if (submitError != null) {
                response.onError(submitError.asRuntimeException());
                return;
            }
            for (TaskEvent e : submitEvents) {
                response.onNext(e.toBuilder().setTaskId(request.getTask().getId()).build());
            }
            if (submitBreaks) {
                response.onError(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());
                return;
            }
            response.onCompleted();
        }

        @Override
        public void watch(WatchRequest request, StreamObserver<TaskEvent> response) {
            lastWatch = request;
            if (watchError != null) {
                response.onError(watchError.asRuntimeException());
                return;
            }
            watchEvents.forEach(response::onNext);
            if (hangWatch) {
                ((io.grpc.stub.ServerCallStreamObserver<TaskEvent>) response).setOnCancelHandler(
                        watchCancelled::countDown);
                return;
            }
            response.onCompleted();
        }
    }
}
