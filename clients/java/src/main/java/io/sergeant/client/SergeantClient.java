package io.sergeant.client;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.sergeant.v1.CancelRequest;
import io.sergeant.v1.CancelResponse;
import io.sergeant.v1.GetTaskRequest;
import io.sergeant.v1.ProducerGrpc;
import io.sergeant.v1.PushRequest;
import io.sergeant.v1.PushResponse;
import io.sergeant.v1.SubmitRequest;
import io.sergeant.v1.Task;
import io.sergeant.v1.WatchRequest;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Sergeant producer client: push tasks to a gateway and await their results.
 *
 * <pre>{@code
 * try (SergeantClient client = SergeantClient.builder("127.0.0.1:50051").token("secret").build()) {
 *     String id = client.push("emails", Map.of("to", "a@example.com"));
 *     Object result = client.submit("echo", Map.of("n", 1)).result(Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Thread-safe; share one client (one HTTP/2 connection) in a process. Calls that fail with UNAVAILABLE are
 * retried (up to {@link Builder#retryAttempts(int)} attempts with backoff), but only while another attempt can
 * finish before the call's deadline: then the call throws that UNAVAILABLE, not DEADLINE_EXCEEDED (see
 * {@code Retries}). Pushes carry ids made by the client, so a retried push never duplicates a task. Failed calls throw {@link SergeantException}; tasks that end
 * DEAD or CANCELLED surface as {@link TaskFailedException}.
 */
public final class SergeantClient implements AutoCloseable {
    /** Calls of one pushMany kept in flight at once. */
    static final int PUSHES_IN_FLIGHT = 3;
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel managed;
    private final Channel channel;
    private final ProducerGrpc.ProducerBlockingStub blocking;
    private final ProducerGrpc.ProducerStub async;
    private final ProducerGrpc.ProducerFutureStub futures;
    private final Duration deadline;
    private final Duration streamDeadline;

    private SergeantClient(Builder b) {
        ManagedChannelBuilder<?> channelBuilder = b.channelBuilder != null ? b.channelBuilder
                : Grpc.newChannelBuilder(b.address, b.credentials());
        if (b.authority != null) {
            channelBuilder.overrideAuthority(b.authority);
        }
        configure(channelBuilder, b.maxMessageBytes, b.retryAttempts);
        if (b.roundRobin) {
            channelBuilder.defaultLoadBalancingPolicy("round_robin");
        }
        this.managed = channelBuilder.build();
        this.channel = b.token == null ? managed
                : ClientInterceptors.intercept(managed, MetadataUtils.newAttachHeadersInterceptor(authorization(b.token)));
        this.blocking = ProducerGrpc.newBlockingStub(channel);
        this.async = ProducerGrpc.newStub(channel);
        this.futures = ProducerGrpc.newFutureStub(channel);
        this.deadline = b.deadline;
        this.streamDeadline = b.streamDeadline;
    }

    /** A builder for a client of the gateway at {@code address} ("host:port", or any gRPC target). */
    public static Builder builder(String address) {
        return new Builder().address(address);
    }

    /** A builder for a client of the gateway at 127.0.0.1:50051. */
    public static Builder builder() {
        return new Builder();
    }

    // ---- pushing -------------------------------------------------------------------------------------------

    /** Pushes one task with default options; returns its id. */
    public String push(String queue, Map<String, ?> kwargs) {
        return push(queue, kwargs, PushOptions.DEFAULT);
    }

    /** Pushes one task; returns its id (the first task's id when an idempotency key matched). */
    public String push(String queue, Map<String, ?> kwargs, PushOptions options) {
        Objects.requireNonNull(kwargs, "kwargs");
        Task task = Requests.task(queue, kwargs, options, Requests.idFor(options), Requests.nowUnixS());
        PushResponse response = unary(stub -> stub.push(PushRequest.newBuilder().addTasks(task).build()));
        if (response.getTasksCount() != 1) {
            throw new SergeantException(io.grpc.Status.Code.INTERNAL,
                    "the gateway answered " + response.getTasksCount() + " ids for one task");
        }
        return response.getTasks(0).getId();
    }

    /** Pushes a batch with default options; returns the ids in order. See the next overload. */
    public List<String> pushMany(String queue, List<? extends Map<String, ?>> kwargs) {
        return pushMany(queue, kwargs, PushOptions.DEFAULT);
    }

    /**
     * Pushes a batch in the packed form; returns the ids in order (a task that matched an earlier push, by id or
     * idempotency key, gets that task's id). A batch beyond {@link PushOptions#batchSize()} (1,000) goes as several
     * calls, three in flight; each call is stored atomically. After a failed call no further call is made (the
     * calls already answered stay stored) and the failure is thrown.
     */
    public List<String> pushMany(String queue, List<? extends Map<String, ?>> kwargs, PushOptions options) {
        List<Task> tasks = Requests.tasks(queue, kwargs, options, Requests.nowUnixS());
        int size = options.batchSize();
        if (tasks.size() <= size) {
            return Packed.ids(tasks, unary(stub -> stub.push(Requests.packed(queue, tasks, options.wantResults()))));
        }
        List<List<Task>> batches = new ArrayList<>();
        for (int start = 0; start < tasks.size(); start += size) {
            batches.add(tasks.subList(start, Math.min(start + size, tasks.size())));
        }
        List<ListenableFuture<PushResponse>> calls = new ArrayList<>(batches.size());
        List<String> ids = new ArrayList<>(tasks.size());
        try {
            for (int i = 0; i < batches.size(); i++) {
                if (i >= PUSHES_IN_FLIGHT) {
                    ids.addAll(Packed.ids(batches.get(i - PUSHES_IN_FLIGHT), calls.get(i - PUSHES_IN_FLIGHT).get()));
                }
                PushRequest request = Requests.packed(queue, batches.get(i), options.wantResults());
                ProducerGrpc.ProducerFutureStub stub = deadline == null ? futures
                        : futures.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
                calls.add(stub.push(request));
            }
            for (int i = Math.max(0, batches.size() - PUSHES_IN_FLIGHT); i < batches.size(); i++) {
                ids.addAll(Packed.ids(batches.get(i), calls.get(i).get()));
            }
            return ids;
        } catch (ExecutionException e) {
            throw SergeantException.from(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SergeantException(io.grpc.Status.Code.CANCELLED, "interrupted while pushing", e);
        } finally {
            for (ListenableFuture<PushResponse> call : calls) {
                call.cancel(true);  // a no-op for answered calls; stops the rest after a failure
            }
        }
    }

    // ---- following -----------------------------------------------------------------------------------------

    /** Pushes one task and follows it; {@code submission.result()} returns what the task returned. */
    public Submission submit(String queue, Map<String, ?> kwargs) {
        return submit(queue, kwargs, PushOptions.DEFAULT, null);
    }

    public Submission submit(String queue, Map<String, ?> kwargs, PushOptions options) {
        return submit(queue, kwargs, options, null);
    }

    /**
     * Pushes one task and follows it. {@code onProgress} (may be null) receives its PROGRESS events, on a gRPC
     * thread: keep it short. The task runs whether or not anyone follows it.
     */
    public Submission submit(String queue, Map<String, ?> kwargs, PushOptions options, Consumer<Event> onProgress) {
        Task task = Requests.task(queue, kwargs, options, Requests.idFor(options), Requests.nowUnixS());
        SubmitRequest request = SubmitRequest.newBuilder().setTask(task).setProgress(onProgress != null).build();
        Deadline deadline = streamDeadline == null ? null
                : Deadline.after(streamDeadline.toNanos(), TimeUnit.NANOSECONDS);
        Submission submission = new Submission(this, queue, task.getId(), onProgress, deadline);
        async.withDeadline(deadline).submit(request, submission.observer());
        return submission;
    }

    /** Follows an accepted task on after its Submit stream broke. */
    void follow(Submission submission, boolean progress) {
        WatchRequest request = WatchRequest.newBuilder().setQueue(submission.queue())
                .addTaskIds(submission.taskId()).setProgress(progress).build();
        async.withDeadline(submission.deadline()).watch(request, submission.observer());
    }

    /** The events of these tasks until all are terminal (no PROGRESS events). */
    public EventStream watch(String queue, Collection<String> taskIds) {
        return watch(queue, taskIds, false);
    }

    /**
     * The events of these tasks until all are terminal; with no ids, of every task of the queue, forever.
     * Close the stream to stop early.
     */
    public EventStream watch(String queue, Collection<String> taskIds, boolean progress) {
        WatchRequest request = WatchRequest.newBuilder().setQueue(queue).addAllTaskIds(taskIds).setProgress(progress)
                .build();
        ProducerGrpc.ProducerBlockingStub stub = streamDeadline == null ? blocking
                : blocking.withDeadlineAfter(streamDeadline.toNanos(), TimeUnit.NANOSECONDS);
        Context.CancellableContext context = Context.current().withCancellation();
        Context previous = context.attach();
        try {
            Iterator<io.sergeant.v1.TaskEvent> messages = stub.watch(request);
            return new EventStream(context, messages);
        } catch (StatusRuntimeException e) {
            context.cancel(e);
            throw SergeantException.from(e);
        } finally {
            context.detach(previous);
        }
    }

    /** What the store knows of a task. */
    public TaskStatus get(String queue, String taskId) {
        GetTaskRequest request = GetTaskRequest.newBuilder().setQueue(queue).setTaskId(taskId).build();
        return TaskStatus.fromProto(taskId, unary(stub -> stub.getTask(request)));
    }

    /**
     * Cancels a task: CANCELLED (it was queued; it will never run), RUNNING (its worker was told to stop it) or
     * FINISHED (it had already ended).
     */
    public CancelOutcome cancel(String queue, String taskId) {
        CancelRequest request = CancelRequest.newBuilder().setQueue(queue).setTaskId(taskId).build();
        CancelResponse response = unary(stub -> stub.cancel(request));
        return CancelOutcome.fromProto(response.getOutcome());
    }

    /**
     * The channel, with this client's token attached: for the generated stubs of the other services, e.g.
     * {@code OperationsGrpc.newBlockingStub(client.channel())}.
     */
    public Channel channel() {
        return channel;
    }

    /** Closes the connection; waits up to 5 s for calls in flight. */
    @Override
    public void close() {
        managed.shutdown();
        try {
            if (!managed.awaitTermination(5, TimeUnit.SECONDS)) {
                managed.shutdownNow();
            }
        } catch (InterruptedException e) {
            managed.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private <T> T unary(Function<ProducerGrpc.ProducerBlockingStub, T> call) {
        ProducerGrpc.ProducerBlockingStub stub = deadline == null ? blocking
                : blocking.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
        try {
            return call.apply(stub);
        } catch (StatusRuntimeException e) {
            throw SergeantException.from(e);
        }
    }

    // ---- configuration -------------------------------------------------------------------------------------

    static Metadata authorization(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return headers;
    }

    /** UNAVAILABLE is retried by {@link Retries} on every call of the channel (Producer and Operations alike). */
    static void configure(ManagedChannelBuilder<?> builder, int maxMessageBytes, int retryAttempts) {
        builder.maxInboundMessageSize(maxMessageBytes).intercept(new Retries(retryAttempts));
    }

    /** Options of a {@link SergeantClient}. */
    public static final class Builder {
        private String address = "127.0.0.1:50051";
        private String token;
        private boolean tls;
        private File trustedCertificates;
        private ChannelCredentials credentials;
        private String authority;
        private Duration deadline = Duration.ofSeconds(30);
        private Duration streamDeadline;
        private int maxMessageBytes = 16 << 20;
        private int retryAttempts = 5;
        private boolean roundRobin;
        private ManagedChannelBuilder<?> channelBuilder;

        private Builder() {}

        /** The gateway: "host:port" or any gRPC target. */
        public Builder address(String address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Sends {@code authorization: Bearer <token>} with every call (null: none). */
        public Builder token(String token) {
            this.token = token == null || token.isEmpty() ? null : token;
            return this;
        }

        /** TLS, trusting the system's root certificates. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** TLS, trusting the PEM root certificate(s) in this file (e.g. the CA that signed the gateway's cert). */
        public Builder tls(Path trustedCertificatesPem) {
            this.tls = true;
            this.trustedCertificates = trustedCertificatesPem.toFile();
            return this;
        }

        /** Any gRPC channel credentials (mutual TLS, ...); overrides {@link #tls()}. */
        public Builder credentials(ChannelCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** The authority (TLS server name) to expect instead of the address's host. */
        public Builder authority(String authority) {
            this.authority = authority;
            return this;
        }

        /** The deadline of each unary call (push, pushMany, get, cancel); null: none. Default 30 s. */
        public Builder deadline(Duration deadline) {
            this.deadline = positiveOrNull(deadline, "deadline");
            return this;
        }

        /** The deadline of submit and watch streams; null (the default): none. */
        public Builder streamDeadline(Duration deadline) {
            this.streamDeadline = positiveOrNull(deadline, "streamDeadline");
            return this;
        }

        /** The largest message to send or receive; default 16 MiB. */
        public Builder maxMessageBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be positive");
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /** Attempts of a call that fails with UNAVAILABLE (gRPC retries with backoff); 1: no retries. Default 5. */
        public Builder retryAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("retryAttempts must be at least 1");
            }
            this.retryAttempts = attempts;
            return this;
        }

        /**
         * Sends calls round robin over every address the target resolves to, one connection to each, instead of
         * gRPC's default of all to the first that answers: several gateways behind one name, e.g.
         * {@code builder("dns:///gateways.internal:50051").roundRobin()}.
         */
        public Builder roundRobin() {
            this.roundRobin = true;
            return this;
        }

        /**
         * Uses this channel builder instead of address and TLS (e.g. an in-process channel in tests); the client
         * still applies its retry policy, message size and token.
         */
        public Builder channelBuilder(ManagedChannelBuilder<?> channelBuilder) {
            this.channelBuilder = channelBuilder;
            return this;
        }

        public SergeantClient build() {
            return new SergeantClient(this);
        }

        ChannelCredentials credentials() {
            if (credentials != null) {
                return credentials;
            }
            if (!tls) {
                return InsecureChannelCredentials.create();
            }
            if (trustedCertificates == null) {
                return TlsChannelCredentials.create();
            }
            try {
                return TlsChannelCredentials.newBuilder().trustManager(trustedCertificates).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + trustedCertificates, e);
            }
        }

        private static Duration positiveOrNull(Duration d, String what) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new IllegalArgumentException(what + " must be positive (null: none)");
            }
            return d;
        }
    }
}
