package io.sergeant.client;

import io.sergeant.v1.Compressor;
import io.sergeant.v1.DuplicateTask;
import io.sergeant.v1.Priority;
import io.sergeant.v1.PushResponse;
import io.sergeant.v1.Serializer;
import io.sergeant.v1.Task;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The packed form of a push (PackedTasks, version 1; docs/protocol.md, "The packed batch"): a batch as one msgpack
 * array of task arrays {@code [id, kwargs, priority, not_before_unix_s, max_attempts, timeout_s, idempotency_key,
 * trace_id, serializer, compressor]}. Plain msgpack kwargs travel as the map itself, compressed ones as bin; a
 * default is nil, and each array ends at its last field that is not the default. Pure: no I/O.
 */
final class Packed {
    static final int VERSION = 1;

    private Packed() {}

    /** PackedTasks.tasks of these tasks. */
    static byte[] tasks(List<Task> tasks) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(tasks.size());
            for (Task t : tasks) {
                boolean plain = t.getSerializerValue() <= Serializer.SERIALIZER_MSGPACK_VALUE
                        && t.getCompressorValue() <= Compressor.COMPRESSOR_NONE_VALUE;
                Object[] rest = {
                    t.getPriority() == Priority.PRIORITY_HIGH ? (Object) Priority.PRIORITY_HIGH_VALUE : null,
                    t.getNotBeforeUnixS() != 0 ? (Object) t.getNotBeforeUnixS() : null,
                    t.getMaxAttempts() != 0 ? (Object) t.getMaxAttempts() : null,
                    t.getTimeoutS() != 0 ? (Object) t.getTimeoutS() : null,
                    t.getIdempotencyKey().isEmpty() ? null : t.getIdempotencyKey(),
                    t.getTraceId().isEmpty() ? null : t.getTraceId(),
                    plain ? null : t.getSerializerValue(),
                    plain ? null : t.getCompressorValue(),
                };
                int n = rest.length;
                while (n > 0 && rest[n - 1] == null) {
                    n--;
                }
                p.packArrayHeader(2 + n);
                p.packString(t.getId());
                byte[] kwargs = t.getKwargs().toByteArray();
                if (plain) {
                    p.writePayload(kwargs);
                } else {
                    p.packBinaryHeader(kwargs.length);
                    p.writePayload(kwargs);
                }
                for (int i = 0; i < n; i++) {
                    Object v = rest[i];
                    if (v == null) {
                        p.packNil();
                    } else if (v instanceof Integer x) {
                        p.packInt(x);
                    } else if (v instanceof Double x) {
                        p.packDouble(x);
                    } else {
                        p.packString((String) v);
                    }
                }
            }
            return p.toByteArray();
        } catch (IOException e) {
            throw new EncodingException("could not pack the batch: " + e.getMessage(), e);
        }
    }

    /** The ids of a packed push in order, each duplicate's replaced by the id of the task pushed first. */
    static List<String> ids(List<Task> sent, PushResponse response) {
        if (response.getCount() != sent.size()) {
            throw new SergeantException(io.grpc.Status.Code.INTERNAL,
                    "pushed " + sent.size() + " tasks, the gateway counted " + response.getCount());
        }
        List<String> ids = new ArrayList<>(sent.size());
        for (Task t : sent) {
            ids.add(t.getId());
        }
        for (DuplicateTask d : response.getDuplicatesList()) {
            if (d.getIndex() >= ids.size()) {
                throw new SergeantException(io.grpc.Status.Code.INTERNAL,
                        "the gateway named duplicate " + d.getIndex() + " in a batch of " + ids.size());
            }
            ids.set(d.getIndex(), d.getId());
        }
        return ids;
    }
}
