package io.sergeant.client;

import io.grpc.Deadline;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.sergeant.v1.TaskEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A submitted task being followed: {@link #future()} completes with what the task returned, or exceptionally with
 * {@link TaskFailedException} (the task ended DEAD or CANCELLED) or {@link SergeantException} (the call failed).
 * Cancelling the future only stops following the task; {@link #cancel()} cancels the task itself. When the stream
 * breaks (UNAVAILABLE) after the gateway accepted the task, the submission follows the task on with Watch.
 */
public final class Submission {
    private static final int MAX_RESUMES = 5;

    private final SergeantClient client;
    private final String queue;
    private final Consumer<Event> onProgress;
    private final Deadline deadline;
    private final CompletableFuture<Object> future = new CompletableFuture<>();
    private final CompletableFuture<Event> started = new CompletableFuture<>();
    private final List<Event> events = new ArrayList<>();
    private volatile String taskId;
    private volatile ClientCallStreamObserver<?> call;
    private volatile boolean accepted;
    private int resumes;  // only touched from the call's serialized callbacks

    Submission(SergeantClient client, String queue, String taskId, Consumer<Event> onProgress, Deadline deadline) {
        this.client = client;
        this.queue = queue;
        this.taskId = taskId;
        this.onProgress = onProgress;
        this.deadline = deadline;
        future.whenComplete((value, error) -> {
            if (error != null) {
                started.completeExceptionally(error);
            }
            ClientCallStreamObserver<?> c = call;
            if (error instanceof CancellationException && c != null) {
                c.cancel("the caller stopped following the task", null);
            }
        });
    }

    /** The deadline of following the task (the client's stream deadline), null when none. */
    Deadline deadline() {
        return deadline;
    }

    public String queue() {
        return queue;
    }

    /** The task's id; when an idempotency key matched an earlier task, that task's id (once ACCEPTED). */
    public String taskId() {
        return taskId;
    }

    /** Completes with the task's result (decoded msgpack), or exceptionally as described above. */
    public CompletableFuture<Object> future() {
        return future;
    }

    /** Waits for the task's result; throws {@link TaskFailedException} or {@link SergeantException}. */
    public Object result() throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /** As {@link #result()}, waiting at most {@code timeout}. */
    public Object result(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /**
     * Completes once a worker has the task: with its STARTED event, or with the first later event that shows it ran
     * (PROGRESS, RETRYING, SUCCEEDED, DEAD) when STARTED itself was missed while the stream was resumed.
     * Completes exceptionally as {@link #future()} does when the task ends without running (cancelled while queued)
     * or following it fails. Cancelling this future does not cancel the task.
     */
    public CompletableFuture<Event> started() {
        return started;
    }

    /** Waits until a worker has the task (see {@link #started()}); returns that event. */
    public Event awaitStarted(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return started.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    public boolean isDone() {
        return future.isDone();
    }

    /** The events received so far (ACCEPTED, STARTED, PROGRESS..., the terminal one). */
    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Cancels the task: CANCELLED (it was queued), RUNNING (its worker was told to stop it) or FINISHED. */
    public CancelOutcome cancel() {
        return client.cancel(queue, taskId);
    }

    private static RuntimeException unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return SergeantException.from(cause);
    }

    /** Receives the Submit stream, and the Watch streams that resume it. */
    <Q> ClientResponseObserver<Q, TaskEvent> observer() {
        return new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
                call = requestStream;
                if (future.isCancelled()) {
                    requestStream.cancel("the caller stopped following the task", null);
                }
            }

            @Override
            public void onNext(TaskEvent message) {
                if (future.isDone()) {
                    return;
                }
                try {
                    Event event = Event.fromProto(message);
                    if (event.kind() == Event.Kind.ACCEPTED) {
                        accepted = true;
                        if (!event.taskId().isEmpty()) {
                            taskId = event.taskId();  // differs when an idempotency key matched an earlier task
                        }
                    }
                    synchronized (events) {
                        events.add(event);
                    }
                    if (event.kind() != Event.Kind.ACCEPTED && event.kind() != Event.Kind.CANCELLED
                            && event.kind() != Event.Kind.UNKNOWN) {
                        started.complete(event);
                    }
                    if (event.kind() == Event.Kind.PROGRESS && onProgress != null) {
                        onProgress.accept(event);
                    }
                    if (event.isTerminal()) {
                        try {
                            future.complete(event.outcome());
                        } catch (TaskFailedException failed) {
                            future.completeExceptionally(failed);
                        }
                    }
                } catch (RuntimeException e) {  // a bad payload or a throwing callback: stop following
                    future.completeExceptionally(e);
                    call.cancel("the client failed to handle an event", e);
                }
            }

            @Override
            public void onError(Throwable t) {
                SergeantException e = SergeantException.from(t);
                // The store holds the task and it runs regardless: when the connection broke, follow it on.
                if (e.code() == io.grpc.Status.Code.UNAVAILABLE && accepted && !future.isDone()
                        && resumes++ < MAX_RESUMES) {
                    client.follow(Submission.this, onProgress != null);
                    return;
                }
                future.completeExceptionally(e);
            }

            @Override
            public void onCompleted() {
                future.completeExceptionally(new SergeantException(io.grpc.Status.Code.UNKNOWN,
                        "the event stream of task " + taskId + " ended before a terminal event"));
            }
        };
    }
}
