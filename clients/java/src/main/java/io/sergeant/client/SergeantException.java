package io.sergeant.client;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;

/**
 * A call to the gateway failed: {@link #code()} is the gRPC status code (UNAUTHENTICATED, PERMISSION_DENIED,
 * INVALID_ARGUMENT, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, UNAVAILABLE...) and {@link #description()} the
 * gateway's message.
 */
public class SergeantException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status.Code code;
    private final String description;

    public SergeantException(Status.Code code, String description) {
        this(code, description, null);
    }

    public SergeantException(Status.Code code, String description, Throwable cause) {
        super(code + ": " + (description == null ? "" : description), cause);
        this.code = code;
        this.description = description == null ? "" : description;
    }

    /** The gRPC status code. */
    public Status.Code code() {
        return code;
    }

    /** The gateway's message (the gRPC status description), "" when it sent none. */
    public String description() {
        return description;
    }

    /** The exception for a failed call: StatusRuntimeException and StatusException keep their code; others are UNKNOWN. */
    public static SergeantException from(Throwable t) {
        if (t instanceof SergeantException e) {
            return e;
        }
        Status status = null;
        if (t instanceof StatusRuntimeException e) {
            status = e.getStatus();
        } else if (t instanceof StatusException e) {
            status = e.getStatus();
        }
        if (status == null) {
            status = Status.fromThrowable(t);
        }
        String description = status.getDescription();
        if (description == null && status.getCause() != null) {
            description = status.getCause().toString();
        }
        return new SergeantException(status.getCode(), description, t);
    }
}
