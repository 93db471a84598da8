package sergeant

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/sergeant-queue/sergeant/clients/go/sergeantpb"
)

func TestRPCErrorKeepsStatus(t *testing.T) {
	err := rpcError("Push", status.Error(codes.PermissionDenied, "token may not produce to emails"))
	var e *Error
	if !errors.As(err, &e) || e.Op != "Push" || e.Code != codes.PermissionDenied {
		t.Fatalf("got %#v", err)
	}
	if status.Code(err) != codes.PermissionDenied {
		t.Fatalf("status.Code = %v", status.Code(err))
	}
	s, ok := status.FromError(err)
	if !ok || s.Code() != codes.PermissionDenied || s.Message() != "token may not produce to emails" {
		t.Fatalf("status.FromError = %v %v", s, ok)
	}
	if want := "sergeant: Push: PermissionDenied: token may not produce to emails"; err.Error() != want {
		t.Fatalf("message %q", err.Error())
	}
	// Wrapped by the caller, it still reads.
	if status.Code(fmt.Errorf("sending: %w", err)) != codes.PermissionDenied {
		t.Fatal("wrapped error lost its code")
	}
	if rpcError("Push", nil) != nil || rpcError("Push", err) != err {
		t.Fatal("nil or already converted errors changed")
	}
}

func TestRPCErrorContext(t *testing.T) {
	err := rpcError("GetTask", status.Error(codes.DeadlineExceeded, "deadline"))
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		t.Fatal("DeadlineExceeded does not match context.DeadlineExceeded")
	}
	if err := rpcError("Dial", context.Canceled); status.Code(err) != codes.Canceled || !errors.Is(err, context.Canceled) {
		t.Fatalf("a context error: %v", err)
	}
	if err := rpcError("Submit", io.EOF); status.Code(err) != codes.Unavailable {
		t.Fatalf("EOF: %v", err)
	}
}

func TestFailureOfTerminalEvents(t *testing.T) {
	if err := failure(Event{Kind: EventSucceeded}); err != nil {
		t.Fatal(err)
	}
	err := failure(Event{Queue: "q", TaskID: "t1", Kind: EventDead, Error: &TaskError{"ValueError", "boom", "tb"}})
	var f *TaskFailedError
	if !errors.As(err, &f) || f.State != StateDead || f.Type != "ValueError" || f.Message != "boom" || f.Traceback != "tb" ||
		f.TaskID != "t1" || f.Queue != "q" || f.Cancelled() {
		t.Fatalf("got %#v", err)
	}
	if err.Error() != "sergeant: task t1 dead: ValueError: boom" {
		t.Fatalf("message %q", err.Error())
	}
	err = failure(Event{TaskID: "t2", Kind: EventCancelled})
	if !errors.As(err, &f) || !f.Cancelled() || err.Error() != "sergeant: task t2 cancelled" {
		t.Fatalf("got %v", err)
	}
	if status.Code(failure(Event{Kind: EventStarted})) != codes.Internal {
		t.Fatal("a non-terminal event is not an outcome")
	}
}

func TestEventFromPB(t *testing.T) {
	ev, err := eventFromPB(&sergeantpb.TaskEvent{
		Queue: "q", TaskId: "t", Kind: sergeantpb.EventKind_EVENT_KIND_PROGRESS, AtUnixS: 1_700_000_000.5,
		Progress: 0.25, Message: "a quarter", Data: []byte{0x81, 0xa1, 'n', 0x01},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Kind != EventProgress || ev.Terminal() || ev.Progress != 0.25 || ev.Message != "a quarter" ||
		!ev.At.Equal(time.Unix(1_700_000_000, 500_000_000)) || ev.Data.(map[string]any)["n"] != int64(1) {
		t.Fatalf("got %#v", ev)
	}
	ev, err = eventFromPB(&sergeantpb.TaskEvent{TaskId: "t", Kind: sergeantpb.EventKind_EVENT_KIND_SUCCEEDED,
		Result: &sergeantpb.TaskResult{State: sergeantpb.TaskState_TASK_STATE_SUCCEEDED, Result: []byte{0x2a}}})
	if err != nil || !ev.Terminal() || ev.Result != int64(42) || ev.Error != nil {
		t.Fatalf("got %#v %v", ev, err)
	}
	ev, _ = eventFromPB(&sergeantpb.TaskEvent{Kind: sergeantpb.EventKind_EVENT_KIND_DEAD,
		Result: &sergeantpb.TaskResult{Error: &sergeantpb.TaskError{Type: "ValueError", Message: "m"}}})
	if ev.Kind != EventDead || ev.Result != nil || ev.Error == nil || ev.Error.Type != "ValueError" {
		t.Fatalf("got %#v", ev)
	}
	if _, err := eventFromPB(&sergeantpb.TaskEvent{Kind: sergeantpb.EventKind_EVENT_KIND_SUCCEEDED,
		Result: &sergeantpb.TaskResult{Result: []byte{0xc1}}}); status.Code(err) != codes.DataLoss {
		t.Fatalf("an undecodable result: %v", err)
	}
	if ev, _ := eventFromPB(&sergeantpb.TaskEvent{Kind: 99}); ev.Kind != EventUnknown {
		t.Fatalf("an unknown kind: %v", ev.Kind)
	}
}

func TestEnumNames(t *testing.T) {
	for pb, want := range map[sergeantpb.TaskState]TaskState{
		sergeantpb.TaskState_TASK_STATE_PENDING: StatePending, sergeantpb.TaskState_TASK_STATE_SCHEDULED: StateScheduled,
		sergeantpb.TaskState_TASK_STATE_ACTIVE: StateActive, sergeantpb.TaskState_TASK_STATE_SUCCEEDED: StateSucceeded,
		sergeantpb.TaskState_TASK_STATE_DEAD: StateDead, sergeantpb.TaskState_TASK_STATE_CANCELLED: StateCancelled,
		sergeantpb.TaskState_TASK_STATE_UNSPECIFIED: StateUnknown,
	} {
		if got := stateFromPB(pb); got != want {
			t.Errorf("%v: got %q", pb, got)
		}
	}
	for pb, want := range map[sergeantpb.EventKind]EventKind{
		sergeantpb.EventKind_EVENT_KIND_ACCEPTED: EventAccepted, sergeantpb.EventKind_EVENT_KIND_STARTED: EventStarted,
		sergeantpb.EventKind_EVENT_KIND_PROGRESS: EventProgress, sergeantpb.EventKind_EVENT_KIND_RETRYING: EventRetrying,
		sergeantpb.EventKind_EVENT_KIND_SUCCEEDED: EventSucceeded, sergeantpb.EventKind_EVENT_KIND_DEAD: EventDead,
		sergeantpb.EventKind_EVENT_KIND_CANCELLED: EventCancelled,
	} {
		if got := kindFromPB(pb); got != want {
			t.Errorf("%v: got %q", pb, got)
		}
	}
	for pb, want := range map[sergeantpb.CancelOutcome]CancelOutcome{
		sergeantpb.CancelOutcome_CANCEL_OUTCOME_CANCELLED: CancelCancelled,
		sergeantpb.CancelOutcome_CANCEL_OUTCOME_RUNNING:   CancelRunning,
		sergeantpb.CancelOutcome_CANCEL_OUTCOME_FINISHED:  CancelFinished,
		sergeantpb.CancelOutcome(9):                       CancelUnknown,
	} {
		if got := outcomeFromPB(pb); got != want {
			t.Errorf("%v: got %q", pb, got)
		}
	}
	for s, terminal := range map[TaskState]bool{StatePending: false, StateActive: false, StateSucceeded: true, StateDead: true, StateCancelled: true} {
		if s.Terminal() != terminal {
			t.Errorf("%s.Terminal() != %v", s, terminal)
		}
	}
}
