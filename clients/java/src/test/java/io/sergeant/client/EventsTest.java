package io.sergeant.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusException;
import io.sergeant.v1.CancelOutcome;
import io.sergeant.v1.EventKind;
import io.sergeant.v1.GetTaskResponse;
import io.sergeant.v1.Task;
import io.sergeant.v1.TaskEvent;
import io.sergeant.v1.TaskResult;
import io.sergeant.v1.TaskState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsTest {
    private static TaskEvent.Builder event(EventKind kind) {
        return TaskEvent.newBuilder().setQueue("q").setTaskId("t1").setKind(kind).setAtUnixS(12.5);
    }

    @Test
    void grpcFailuresKeepTheirCodeAndMessage() {
        SergeantException e = SergeantException.from(
                Status.PERMISSION_DENIED.withDescription("token may not push to echo").asRuntimeException());
        assertEquals(Status.Code.PERMISSION_DENIED, e.code());
        assertEquals("token may not push to echo", e.description());
        assertEquals("PERMISSION_DENIED: token may not push to echo", e.getMessage());

        SergeantException checked = SergeantException.from(Status.UNAUTHENTICATED.asException());
        assertEquals(Status.Code.UNAUTHENTICATED, checked.code());
        assertEquals("", checked.description());
        assertTrue(checked.getCause() instanceof StatusException);

        SergeantException other = SergeantException.from(new IllegalStateException("boom"));
        assertEquals(Status.Code.UNKNOWN, other.code());
        assertSame(e, SergeantException.from(e));
    }

    @Test
    void succeededEventsCarryTheDecodedResult() {
        TaskEvent m = event(EventKind.EVENT_KIND_SUCCEEDED).setResult(TaskResult.newBuilder()
                .setState(TaskState.TASK_STATE_SUCCEEDED)
                .setResult(ByteString.copyFrom(Msgpack.encode(Map.of("ok", true))))).build();
        Event e = Event.fromProto(m);
        assertEquals(Event.Kind.SUCCEEDED, e.kind());
        assertTrue(e.isTerminal());
        assertEquals("q", e.queue());
        assertEquals("t1", e.taskId());
        assertEquals(12.5, e.at());
        assertEquals(Map.of("ok", true), e.result());
        assertEquals(Map.of("ok", true), e.outcome());
        assertNull(e.error());
    }

    @Test
    void anEmptyResultIsNull() {
        Event e = Event.fromProto(event(EventKind.EVENT_KIND_SUCCEEDED)
                .setResult(TaskResult.newBuilder().setState(TaskState.TASK_STATE_SUCCEEDED)).build());
        assertNull(e.outcome());
    }

    @Test
    void deadEventsBecomeTaskFailed() {
        TaskEvent m = event(EventKind.EVENT_KIND_DEAD).setResult(TaskResult.newBuilder()
                .setState(TaskState.TASK_STATE_DEAD)
                .setError(io.sergeant.v1.TaskError.newBuilder().setType("ValueError").setMessage("bad input")
                        .setTraceback("Traceback..."))).build();
        Event e = Event.fromProto(m);
        assertEquals(new TaskError("ValueError", "bad input", "Traceback..."), e.error());
        TaskFailedException failed = assertThrows(TaskFailedException.class, e::outcome);
        assertEquals(Event.Kind.DEAD, failed.kind());
        assertEquals("ValueError", failed.errorType());
        assertEquals("bad input", failed.errorMessage());
        assertEquals("Traceback...", failed.traceback());
        assertEquals("t1", failed.taskId());
        assertEquals("q", failed.queue());
        assertEquals("task t1 dead: ValueError: bad input", failed.getMessage());
    }

    @Test
    void cancelledEventsBecomeTaskFailedWithoutAnError() {
        Event e = Event.fromProto(event(EventKind.EVENT_KIND_CANCELLED)
                .setResult(TaskResult.newBuilder().setState(TaskState.TASK_STATE_CANCELLED)).build());
        TaskFailedException failed = assertThrows(TaskFailedException.class, e::outcome);
        assertEquals(Event.Kind.CANCELLED, failed.kind());
        assertEquals("", failed.errorType());
    }

    @Test
    void progressEventsCarryTheirData() {
        Event e = Event.fromProto(event(EventKind.EVENT_KIND_PROGRESS).setProgress(0.25).setMessage("a quarter")
                .setData(ByteString.copyFrom(Msgpack.encode(Map.of("step", 1)))).build());
        assertEquals(Event.Kind.PROGRESS, e.kind());
        assertFalse(e.isTerminal());
        assertEquals(0.25, e.progress());
        assertEquals("a quarter", e.message());
        assertEquals(Map.of("step", 1L), e.data());
        assertNull(e.result());
    }

    @Test
    void everyKindAndStateMaps() {
        assertEquals(Event.Kind.ACCEPTED, Event.Kind.fromProto(EventKind.EVENT_KIND_ACCEPTED));
        assertEquals(Event.Kind.STARTED, Event.Kind.fromProto(EventKind.EVENT_KIND_STARTED));
        assertEquals(Event.Kind.RETRYING, Event.Kind.fromProto(EventKind.EVENT_KIND_RETRYING));
        assertEquals(Event.Kind.UNKNOWN, Event.Kind.fromProto(EventKind.UNRECOGNIZED));
        assertEquals(TaskStatus.State.SCHEDULED, TaskStatus.State.fromProto(TaskState.TASK_STATE_SCHEDULED));
        assertEquals(TaskStatus.State.UNKNOWN, TaskStatus.State.fromProto(TaskState.TASK_STATE_UNSPECIFIED));
        assertEquals(io.sergeant.client.CancelOutcome.CANCELLED,
                io.sergeant.client.CancelOutcome.fromProto(CancelOutcome.CANCEL_OUTCOME_CANCELLED));
        assertEquals(io.sergeant.client.CancelOutcome.RUNNING,
                io.sergeant.client.CancelOutcome.fromProto(CancelOutcome.CANCEL_OUTCOME_RUNNING));
        assertEquals(io.sergeant.client.CancelOutcome.FINISHED,
                io.sergeant.client.CancelOutcome.fromProto(CancelOutcome.CANCEL_OUTCOME_FINISHED));
        assertEquals(io.sergeant.client.CancelOutcome.UNKNOWN,
                io.sergeant.client.CancelOutcome.fromProto(CancelOutcome.UNRECOGNIZED));
    }

    @Test
    void statusesDecode() {
        GetTaskResponse m = GetTaskResponse.newBuilder().setState(TaskState.TASK_STATE_DEAD)
                .setTask(Task.newBuilder().setAttempt(2))
                .setResult(TaskResult.newBuilder().setState(TaskState.TASK_STATE_DEAD)
                        .setError(io.sergeant.v1.TaskError.newBuilder().setType("WorkerTimedout")))
                .build();
        TaskStatus s = TaskStatus.fromProto("t9", m);
        assertEquals(new TaskStatus("t9", TaskStatus.State.DEAD, 2, null, new TaskError("WorkerTimedout", "", "")), s);
        assertTrue(s.state().isTerminal());
        TaskStatus pending = TaskStatus.fromProto("t", GetTaskResponse.newBuilder()
                .setState(TaskState.TASK_STATE_PENDING).build());
        assertNull(pending.result());
        assertFalse(pending.state().isTerminal());
    }
}
