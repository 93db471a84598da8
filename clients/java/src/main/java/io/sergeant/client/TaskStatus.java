package io.sergeant.client;

import io.sergeant.v1.GetTaskResponse;

/**
 * What the store knows of a task.
 *
 * @param taskId the task's id
 * @param state where it is in its life
 * @param attempt attempts that already failed
 * @param result once SUCCEEDED: what it returned, decoded from msgpack
 * @param error once DEAD: the worker's error (null otherwise)
 */
public record TaskStatus(String taskId, State state, int attempt, Object result, TaskError error) {

    public enum State {
        PENDING, SCHEDULED, ACTIVE, SUCCEEDED, DEAD, CANCELLED, UNKNOWN;

        public boolean isTerminal() {
            return this == SUCCEEDED || this == DEAD || this == CANCELLED;
        }

        static State fromProto(io.sergeant.v1.TaskState state) {
            switch (state) {
                case TASK_STATE_PENDING: return PENDING;
                case TASK_STATE_SCHEDULED: return SCHEDULED;
                case TASK_STATE_ACTIVE: return ACTIVE;
                case TASK_STATE_SUCCEEDED: return SUCCEEDED;
                case TASK_STATE_DEAD: return DEAD;
                case TASK_STATE_CANCELLED: return CANCELLED;
                default: return UNKNOWN;
            }
        }
    }

    static TaskStatus fromProto(String taskId, GetTaskResponse m) {
        Object result = null;
        TaskError error = null;
        if (m.hasResult()) {
            result = Msgpack.decode(m.getResult().getResult().toByteArray());
            if (m.getResult().hasError()) {
                error = TaskError.fromProto(m.getResult().getError());
            }
        }
        return new TaskStatus(taskId, State.fromProto(m.getState()), m.getTask().getAttempt(), result, error);
    }
}
