package io.sergeant.client;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to push a task. Immutable; start from {@link #builder()} or use {@link #DEFAULT}.
 *
 * <pre>{@code
 * PushOptions opts = PushOptions.builder().priority("high").delay(Duration.ofMinutes(5)).maxAttempts(3).build();
 * }</pre>
 */
public final class PushOptions {
    /** Normal priority, no delay, the gateway's default attempts, the worker's timeout, a generated id. */
    public static final PushOptions DEFAULT = builder().build();

    static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public enum Priority {
        NORMAL, HIGH;

        /** "normal" or "high" (any case). */
        public static Priority parse(String name) {
            Objects.requireNonNull(name, "priority");
            switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "normal": return NORMAL;
                case "high": return HIGH;
                default: throw new IllegalArgumentException("priority must be 'normal' or 'high', got '" + name + "'");
            }
        }
    }

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

    private PushOptions(Builder b) {
        this.priority = b.priority;
        this.delay = b.delay;
        this.maxAttempts = b.maxAttempts;
        this.timeout = b.timeout;
        this.idempotencyKey = b.idempotencyKey;
        this.traceId = b.traceId;
        this.taskId = b.taskId;
        this.compression = b.compression;
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

    @Override
    public String toString() {
        return "PushOptions{priority=" + priority + ", delay=" + delay + ", maxAttempts=" + maxAttempts
                + ", timeout=" + timeout + ", idempotencyKey='" + idempotencyKey + "', traceId='" + traceId
                + "', taskId='" + taskId + "', compression=" + compression + "}";
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

        private Builder() {}

        public Builder priority(Priority priority) {
            this.priority = Objects.requireNonNull(priority, "priority");
            return this;
        }

        /** "normal" or "high". */
        public Builder priority(String priority) {
            this.priority = Priority.parse(priority);
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

        public PushOptions build() {
            return new PushOptions(this);
        }
    }
}
