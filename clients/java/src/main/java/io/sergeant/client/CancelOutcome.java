package io.sergeant.client;

/** What {@link SergeantClient#cancel(String, String)} did. */
public enum CancelOutcome {
    /** The task was queued: it will never run. */
    CANCELLED,
    /** The task is running: its worker was told to stop it. */
    RUNNING,
    /** The task had already ended: nothing changed. */
    FINISHED,
    /** An outcome this client does not know (a newer gateway). */
    UNKNOWN;

    static CancelOutcome fromProto(io.sergeant.v1.CancelOutcome outcome) {
        switch (outcome) {
            case CANCEL_OUTCOME_CANCELLED: return CANCELLED;
            case CANCEL_OUTCOME_RUNNING: return RUNNING;
            case CANCEL_OUTCOME_FINISHED: return FINISHED;
            default: return UNKNOWN;
        }
    }
}
