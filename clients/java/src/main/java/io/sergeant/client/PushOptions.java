package io.sergeant.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to push a task. Immutable; start from {@link #builder()} or use {@link #DEFAULT}.
 *
 * <pre>{@code
 * PushOptions opts = PushOptions.builder().priority(Priority.HIGH).delay(Duration.ofMinutes(5)).maxAttempts(3).build();
 * }</pre>
 */
public final class PushOptions {
    /** Normal priority, no delay, the gateway's default attempts, the worker's timeout, a generated id. */
    public static final PushOptions DEFAULT = builder().build();

    static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** Tasks per call of pushMany unless {@link Builder#batchSize(int)} says otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 1000;

    /** HIGH tasks are leased before every NORMAL one. */
    public enum Priority { NORMAL, HIGH }

    /** How kwargs are compressed after msgpack; workers read whatever the envelope records. */
    public enum Compression { NONE, ZLIB, GZIP }

    private final Priority priority;
    private final Duration delay;
    private final int maxAttempts;
    private final Duration timeout;
    private final String idempotencyKey;
    private final String traceId;
    private final String taskId;
    private final Compression compression;
    private final List<String> taskIds;
    private final boolean wantResults;
    private final int batchSize;

    private PushOptions(Builder b) {
        this.priority = b.priority;
        this.delay = b.delay;
        this.maxAttempts = b.maxAttempts;
        this.timeout = b.timeout;
        this.idempotencyKey = b.idempotencyKey;
        this.traceId = b.traceId;
        this.taskId = b.taskId;
        this.compression = b.compression;
        this.taskIds = b.taskIds;
        this.wantResults = b.wantResults;
        this.batchSize = b.batchSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.priority = priority;
        b.delay = delay;
        b.maxAttempts = maxAttempts;
        b.timeout = timeout;
        b.idempotencyKey = idempotencyKey;
        b.traceId = traceId;
        b.taskId = taskId;
        b.compression = compression;
        b.taskIds = taskIds;
        b.wantResults = wantResults;
        b.batchSize = batchSize;
        return b;
    }

    public Priority priority() {
        return priority;
    }

    /** How long after the push the task may first run; zero: as soon as possible. */
    public Duration delay() {
        return delay;
    }

    /** 0: the gateway's default (5). */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Zero: the worker's configured timeout. */
    public Duration timeout() {
        return timeout;
    }

    /** "" when none. */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** "" when none. */
    public String traceId() {
        return traceId;
    }

    /** "" when the client makes one up (the usual case). */
    public String taskId() {
        return taskId;
    }

    public Compression compression() {
        return compression;
    }

    /** pushMany: the caller's ids, one per task in order; null when the client makes them up. */
    public List<String> taskIds() {
        return taskIds;
    }

    /** Whether the gateway keeps each task's result (and per-task state) for get and watch. */
    public boolean wantResults() {
        return wantResults;
    }

    /** pushMany: tasks per call; a larger batch goes as several calls, three in flight. */
    public int batchSize() {
        return batchSize;
    }

    @Override
    public String toString() {
        return "PushOptions{priority=" + priority + ", delay=" + delay + ", maxAttempts=" + maxAttempts
                + ", timeout=" + timeout + ", idempotencyKey='" + idempotencyKey + "', traceId='" + traceId
                + "', taskId='" + taskId + "', compression=" + compression + ", taskIds=" + taskIds
                + ", wantResults=" + wantResults + ", batchSize=" + batchSize + "}";
    }

    public static final class Builder {
        private Priority priority = Priority.NORMAL;
        private Duration delay = Duration.ZERO;
        private int maxAttempts = 0;
        private Duration timeout = Duration.ZERO;
        private String idempotencyKey = "";
        private String traceId = "";
        private String taskId = "";
        private Compression compression = Compression.NONE;
        private List<String> taskIds;
        private boolean wantResults;
        private int batchSize = DEFAULT_BATCH_SIZE;

        private Builder() {}

        public Builder priority(Priority priority) {
            this.priority = Objects.requireNonNull(priority, "priority");
            return this;
        }


        /** Run no earlier than this long after the push (sets not_before_unix_s = now + delay). */
        public Builder delay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, got " + delay);
            }
            this.delay = delay;
            return this;
        }

        /** The task dies after this many failed attempts; 0: the gateway's default. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 0) {
                throw new IllegalArgumentException("maxAttempts must not be negative, got " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** How long one attempt may run; zero: the worker's configured timeout. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** A second push with the same key within the gateway's window returns the first task's id. */
        public Builder idempotencyKey(String key) {
            this.idempotencyKey = key == null ? "" : key;
            return this;
        }

        public Builder traceId(String traceId) {
            this.traceId = traceId == null ? "" : traceId;
            return this;
        }

        /** Choose the task's id yourself: 1-128 of [A-Za-z0-9._:-]. By default the client makes one up. */
        public Builder taskId(String taskId) {
            if (taskId != null && !taskId.isEmpty() && !TASK_ID.matcher(taskId).matches()) {
                throw new IllegalArgumentException("invalid task id '" + taskId + "': use 1-128 of [A-Za-z0-9._:-]");
            }
            this.taskId = taskId == null ? "" : taskId;
            return this;
        }

        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        /** pushMany: name the tasks yourself, one id per task in order (each as {@link #taskId} checks it). */
        public Builder taskIds(List<String> ids) {
            if (ids != null) {
                for (String id : ids) {
                    if (id == null || !TASK_ID.matcher(id).matches()) {
                        throw new IllegalArgumentException("invalid task id '" + id + "': use 1-128 of [A-Za-z0-9._:-]");
                    }
                }
            }
            this.taskIds = ids == null ? null : List.copyOf(ids);
            return this;
        }

        /**
         * Keep each task's result and per-task state, so that get, watch and cancel can address it (see
         * docs/protocol.md for what they answer for a task that wants none). Off by default: the cheap path. Submit
         * always keeps its task's result.
         */
        public Builder wantResults(boolean wantResults) {
            this.wantResults = wantResults;
            return this;
        }

        /** pushMany: tasks per call (default 1,000; at most the gateway's --max-batch). Each call is atomic. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public PushOptions build() {
            return new PushOptions(this);
        }
    }
}
