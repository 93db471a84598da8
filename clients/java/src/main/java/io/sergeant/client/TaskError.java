package io.sergeant.client;

/** Why a task died, as its worker reported it. */
public record TaskError(String type, String message, String traceback) {
    static TaskError fromProto(io.sergeant.v1.TaskError e) {
        return new TaskError(e.getType(), e.getMessage(), e.getTraceback());
    }
}
