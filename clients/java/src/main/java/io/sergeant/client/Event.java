package io.sergeant.client;

import io.sergeant.v1.TaskEvent;

/**
 * One event of a task's life: ACCEPTED, STARTED, PROGRESS..., RETRYING, then a terminal SUCCEEDED, DEAD or
 * CANCELLED.
 *
 * @param queue the task's queue
 * @param taskId the task's id
 * @param kind what happened
 * @param at when, in Unix seconds
 * @param progress PROGRESS: 0..1
 * @param message PROGRESS: free text
 * @param data PROGRESS: the worker's detail, decoded from msgpack (null when none)
 * @param result SUCCEEDED: what the task returned, decoded from msgpack
 * @param error DEAD: the worker's error (null otherwise)
 */
public record Event(String queue, String taskId, Kind kind, double at, double progress, String message, Object data,
                    Object result, TaskError error) {

    public enum Kind {
        ACCEPTED, STARTED, PROGRESS, RETRYING, SUCCEEDED, DEAD, CANCELLED, UNKNOWN;

        /** SUCCEEDED, DEAD and CANCELLED end a task's life. */
        public boolean isTerminal() {
            return this == SUCCEEDED || this == DEAD || this == CANCELLED;
        }

        static Kind fromProto(io.sergeant.v1.EventKind kind) {
            switch (kind) {
                case EVENT_KIND_ACCEPTED: return ACCEPTED;
                case EVENT_KIND_STARTED: return STARTED;
                case EVENT_KIND_PROGRESS: return PROGRESS;
                case EVENT_KIND_RETRYING: return RETRYING;
                case EVENT_KIND_SUCCEEDED: return SUCCEEDED;
                case EVENT_KIND_DEAD: return DEAD;
                case EVENT_KIND_CANCELLED: return CANCELLED;
                default: return UNKNOWN;
            }
        }
    }

    public boolean isTerminal() {
        return kind.isTerminal();
    }

    static Event fromProto(TaskEvent m) {
        Object result = null;
        TaskError error = null;
        if (m.hasResult()) {
            result = Msgpack.decode(m.getResult().getResult().toByteArray());
            if (m.getResult().hasError()) {
                error = TaskError.fromProto(m.getResult().getError());
            }
        }
        return new Event(m.getQueue(), m.getTaskId(), Kind.fromProto(m.getKind()), m.getAtUnixS(), m.getProgress(),
                m.getMessage(), Msgpack.decode(m.getData().toByteArray()), result, error);
    }

    /** The result of a terminal event; throws {@link TaskFailedException} for DEAD and CANCELLED. */
    Object outcome() {
        if (kind == Kind.SUCCEEDED) {
            return result;
        }
        throw new TaskFailedException(queue, taskId, kind, error);
    }
}
