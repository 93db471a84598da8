package io.sergeant.client;

import com.google.protobuf.ByteString;
import io.sergeant.v1.Compressor;
import io.sergeant.v1.PackedTasks;
import io.sergeant.v1.Priority;
import io.sergeant.v1.PushRequest;
import io.sergeant.v1.Serializer;
import io.sergeant.v1.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Builds the protobuf requests from kwargs and options. Pure: no I/O. */
final class Requests {
    private Requests() {}

    /** The envelope of one task; {@code nowUnixS} anchors the delay. */
    static Task task(String queue, Map<String, ?> kwargs, PushOptions opts, String taskId, double nowUnixS) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(kwargs, "kwargs");
        Objects.requireNonNull(opts, "options");
        Task.Builder t = Task.newBuilder()
                .setId(taskId)
                .setQueue(queue)
                .setKwargs(ByteString.copyFrom(compress(Msgpack.encode(kwargs), opts.compression())))
                .setSerializer(Serializer.SERIALIZER_MSGPACK)
                .setCompressor(compressor(opts.compression()))
                .setPriority(opts.priority() == PushOptions.Priority.HIGH ? Priority.PRIORITY_HIGH
                        : Priority.PRIORITY_NORMAL)
                .setMaxAttempts(opts.maxAttempts())
                .setTimeoutS(seconds(opts.timeout()))
                .setIdempotencyKey(opts.idempotencyKey())
                .setTraceId(opts.traceId())
                .setWantResult(opts.wantResults());
        if (!opts.delay().isZero()) {
            t.setNotBeforeUnixS(nowUnixS + seconds(opts.delay()));
        }
        return t.build();
    }

    /**
     * The tasks of a batch; each gets its own client-made id unless the options name them (taskIds, or taskId for a
     * single task).
     */
    static List<Task> tasks(String queue, List<? extends Map<String, ?>> many, PushOptions opts, double nowUnixS) {
        Objects.requireNonNull(many, "kwargs list");
        if (many.isEmpty()) {
            throw new IllegalArgumentException("pushMany needs at least one task");
        }
        if (many.size() > 1 && !opts.taskId().isEmpty()) {
            throw new IllegalArgumentException("a task id names one task: give a batch taskIds");
        }
        if (many.size() > 1 && !opts.idempotencyKey().isEmpty()) {
            throw new IllegalArgumentException("an idempotency key names one task: leave it unset to push a batch");
        }
        List<String> ids = opts.taskIds();
        if (ids != null && ids.size() != many.size()) {
            throw new IllegalArgumentException("taskIds has " + ids.size() + " ids for " + many.size() + " tasks");
        }
        List<Task> tasks = new ArrayList<>(many.size());
        for (int i = 0; i < many.size(); i++) {
            tasks.add(task(queue, many.get(i), opts, ids != null ? ids.get(i) : idFor(opts), nowUnixS));
        }
        return tasks;
    }

    /** The packed request of one batch. */
    static PushRequest packed(String queue, List<Task> tasks, boolean wantResults) {
        return PushRequest.newBuilder().setPacked(PackedTasks.newBuilder().setVersion(Packed.VERSION).setQueue(queue)
                .setTasks(ByteString.copyFrom(Packed.tasks(tasks))).setWantResults(wantResults)).build();
    }

    static String idFor(PushOptions opts) {
        return opts.taskId().isEmpty() ? TaskIds.next() : opts.taskId();
    }

    static double nowUnixS() {
        return System.currentTimeMillis() / 1000.0;
    }

    static double seconds(java.time.Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }

    static Compressor compressor(PushOptions.Compression c) {
        switch (c) {
            case ZLIB: return Compressor.COMPRESSOR_ZLIB;
            case GZIP: return Compressor.COMPRESSOR_GZIP;
            default: return Compressor.COMPRESSOR_NONE;
        }
    }

    static byte[] compress(byte[] data, PushOptions.Compression c) {
        if (c == PushOptions.Compression.NONE) {
            return data;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 32);
        try (OutputStream z = c == PushOptions.Compression.ZLIB ? new DeflaterOutputStream(out)
                : new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
