package io.sergeant.client;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.sergeant.v1.TaskEvent;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The events of watched tasks, blocking for each. Ends once every watched task is terminal (never when watching a
 * whole queue); {@link #close()} stops it early. Failures surface as {@link SergeantException}.
 */
public final class EventStream implements Iterator<Event>, AutoCloseable {
    private final Context.CancellableContext context;
    private final Iterator<TaskEvent> messages;
    private volatile boolean closed;

    EventStream(Context.CancellableContext context, Iterator<TaskEvent> messages) {
        this.context = context;
        this.messages = messages;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        try {
            boolean more = messages.hasNext();
            if (!more) {
                close();
            }
            return more;
        } catch (StatusRuntimeException e) {
            if (closed) {
                return false;
            }
            close();
            throw SergeantException.from(e);
        }
    }

    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return Event.fromProto(messages.next());
    }

    /** Stops watching (cancels the stream); safe to call more than once. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            context.cancel(null);
        }
    }
}
