package io.sergeant.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Retries of calls that fail UNAVAILABLE, inside the call's deadline (not gRPC's retry policy, which ends a call
 * DEADLINE_EXCEEDED once its backoff passes the deadline, hiding the gateway's UNAVAILABLE).
 *
 * <p>A call is tried up to {@code attempts} times with exponential backoff (0.1 s doubling to 2 s, with jitter),
 * every attempt under the call's own deadline. Another attempt starts only if its pause plus as long as the last
 * attempt took still fits before the deadline; otherwise the call ends with the UNAVAILABLE it has, never with the
 * DEADLINE_EXCEEDED that a retry cut short would end with. Calls that send one request (unary calls, and server
 * streams such as Submit and Watch) are retried only before their first response message. A retried push is safe:
 * its tasks carry client-made ids.
 */
final class Retries implements ClientInterceptor {
    static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(run -> {
        Thread thread = new Thread(run, "sergeant-retries");
        thread.setDaemon(true);
        return thread;
    });

    private final int attempts;

    Retries(int attempts) {
        this.attempts = attempts;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        if (attempts <= 1 || !method.getType().clientSendsOneMessage()) {
            return next.newCall(method, options);
        }
        return new RetryingCall<>(method, options, next);
    }

    /**
     * One call, made of attempts. Its state is guarded by its lock; the caller's listener is called outside it, and
     * in order: an attempt's callbacks are serialized, and the next attempt starts only after the last one closed.
     */
    private final class RetryingCall<Q, R> extends ClientCall<Q, R> {
        private final MethodDescriptor<Q, R> method;
        private final CallOptions options;
        private final Channel next;
        private final Context context = Context.current();  // retries run where the call was made (cancellation)
        private final Deadline deadline;
        private Listener<R> listener;
        private Metadata headers;
        private Q request;
        private int requested;
        private boolean halfClosed;
        private boolean cancelled;
        private boolean received;  // a response message came: the call is past retrying
        private boolean headersPassed;
        private ClientCall<Q, R> call;  // the current attempt
        private ScheduledFuture<?> pending;  // the next attempt, while pausing
        private int made;
        private long begun;  // System.nanoTime() at the current attempt's start
        private Status failure;  // the last failure worth reporting, and its trailers
        private Metadata failureTrailers;

        RetryingCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            this.method = method;
            this.options = options;
            this.next = next;
            Deadline own = options.getDeadline();
            Deadline inherited = context.getDeadline();
            this.deadline = own == null ? inherited : inherited == null ? own : own.minimum(inherited);
        }

        @Override
        public synchronized void start(Listener<R> listener, Metadata headers) {
            this.listener = listener;
            this.headers = headers;
            attempt();
        }

        private void attempt() {
            made++;
            begun = System.nanoTime();
            call = next.newCall(method, options);
            Metadata copy = new Metadata();
            copy.merge(headers);
            call.start(new AttemptListener(), copy);
            if (requested > 0) {
                call.request(requested);
            }
            if (request != null) {
                call.sendMessage(request);
            }
            if (halfClosed) {
                call.halfClose();
            }
        }

        @Override
        public synchronized void request(int count) {
            requested += count;
            call.request(count);
        }

        @Override
        public synchronized void sendMessage(Q message) {
            request = message;
            call.sendMessage(message);
        }

        @Override
        public synchronized void halfClose() {
            halfClosed = true;
            call.halfClose();
        }

        @Override
        public void cancel(String message, Throwable cause) {
            synchronized (this) {
                cancelled = true;
                if (pending == null) {
                    call.cancel(message, cause);
                    return;
                }
                pending.cancel(false);
                pending = null;
            }
            listener.onClose(Status.CANCELLED.withDescription(message).withCause(cause), new Metadata());
        }

        @Override
        public synchronized boolean isReady() {
            return pending == null && call.isReady();
        }

        /** The pause before the next attempt (ns), or -1: the call ends. */
        private long pause(Status status, Metadata trailers) {
            if (status.isOk() || received || cancelled || made >= attempts
                    || status.getCode() != Status.Code.UNAVAILABLE) {
                return -1;
            }
            failure = status;
            failureTrailers = trailers;
            long ceiling = Math.min(FIRST_PAUSE_NANOS << (made - 1), MAX_PAUSE_NANOS);
            long pause = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
            long took = System.nanoTime() - begun;
            if (deadline != null && deadline.timeRemaining(TimeUnit.NANOSECONDS) < pause + took) {
                return -1;
            }
            return pause;
        }

        private void closed(Status status, Metadata trailers) {
            synchronized (this) {
                if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && failure != null && !received) {
                    status = failure;  // the deadline cut a retry short: the failure before it stands
                    trailers = failureTrailers;
                } else {
                    long pause = pause(status, trailers);
                    if (pause >= 0) {
                        pending = TIMER.schedule(context.wrap(this::retry), pause, TimeUnit.NANOSECONDS);
                        return;
                    }
                }
            }
            listener.onClose(status, trailers);
        }

        private synchronized void retry() {
            if (pending != null) {  // else cancelled while pausing
                pending = null;
                attempt();
            }
        }

        private final class AttemptListener extends Listener<R> {
            @Override
            public void onHeaders(Metadata h) {
                synchronized (RetryingCall.this) {
                    if (headersPassed) {
                        return;  // a retry's headers: the caller had the first attempt's
                    }
                    headersPassed = true;
                }
                listener.onHeaders(h);
            }

            @Override
            public void onMessage(R message) {
                synchronized (RetryingCall.this) {
                    received = true;
                }
                listener.onMessage(message);
            }

            @Override
            public void onReady() {
                listener.onReady();
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                closed(status, trailers);
            }
        }
    }
}
