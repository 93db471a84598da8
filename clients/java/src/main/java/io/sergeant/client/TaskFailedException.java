package io.sergeant.client;

/**
 * The task ended DEAD (its worker failed it for good) or CANCELLED. {@link #errorType()} and
 * {@link #errorMessage()} come from the worker, e.g. "ValueError" and its message; a cancelled task may carry none.
 */
public class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String queue;
    private final String taskId;
    private final Event.Kind kind;
    private final String errorType;
    private final String errorMessage;
    private final String traceback;

    public TaskFailedException(String queue, String taskId, Event.Kind kind, TaskError error) {
        super("task " + taskId + " " + kind.name().toLowerCase() + ": "
                + (error == null ? "" : error.type() + ": " + error.message()));
        this.queue = queue;
        this.taskId = taskId;
        this.kind = kind;
        this.errorType = error == null ? "" : error.type();
        this.errorMessage = error == null ? "" : error.message();
        this.traceback = error == null ? "" : error.traceback();
    }

    public String queue() {
        return queue;
    }

    public String taskId() {
        return taskId;
    }

    /** {@link Event.Kind#DEAD} or {@link Event.Kind#CANCELLED}. */
    public Event.Kind kind() {
        return kind;
    }

    /** The worker's error type, e.g. "ValueError", "WorkerTimedout"; "" when none was recorded. */
    public String errorType() {
        return errorType;
    }

    /** The worker's error message; "" when none was recorded. */
    public String errorMessage() {
        return errorMessage;
    }

    /** The worker's traceback, when it sent one. */
    public String traceback() {
        return traceback;
    }
}
