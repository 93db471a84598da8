package sergeant

import (
	"context"
	"errors"
	"fmt"
	"io"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Error is a call that failed: the gRPC status code and message, from the gateway or from gRPC itself.
// status.Code(err) and status.FromError(err) read it; errors.Is(err, context.DeadlineExceeded) and
// errors.Is(err, context.Canceled) hold for those codes. Invalid arguments caught before any call
// (a bad priority, kwargs that do not encode) are Errors with codes.InvalidArgument too.
type Error struct {
	Op      string // the call: "Push", "Submit", "Watch", "GetTask", "Cancel"
	Code    codes.Code
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("sergeant: %s: %s: %s", e.Op, e.Code, e.Message)
}

// GRPCStatus makes status.FromError and status.Code work on an Error.
func (e *Error) GRPCStatus() *status.Status { return status.New(e.Code, e.Message) }

// Is matches context.DeadlineExceeded and context.Canceled for the corresponding codes.
func (e *Error) Is(target error) bool {
	return (target == context.DeadlineExceeded && e.Code == codes.DeadlineExceeded) ||
		(target == context.Canceled && e.Code == codes.Canceled)
}

// TaskFailedError is a task that ended dead (its attempts ran out, or its worker gave up on it) or cancelled.
// Type and Message are the worker's error, e.g. "ValueError" and the exception's text.
type TaskFailedError struct {
	Queue     string
	TaskID    string
	State     TaskState // StateDead or StateCancelled
	Type      string
	Message   string
	Traceback string
}

func (e *TaskFailedError) Error() string {
	if e.Type == "" && e.Message == "" {
		return fmt.Sprintf("sergeant: task %s %s", e.TaskID, e.State)
	}
	return fmt.Sprintf("sergeant: task %s %s: %s: %s", e.TaskID, e.State, e.Type, e.Message)
}

// Cancelled reports whether the task was cancelled rather than dead.
func (e *TaskFailedError) Cancelled() bool { return e.State == StateCancelled }

// rpcError turns what gRPC returned into an *Error (nil stays nil).
func rpcError(op string, err error) error {
	if err == nil {
		return nil
	}
	var mine *Error
	if errors.As(err, &mine) {
		return err
	}
	if errors.Is(err, io.EOF) {
		return &Error{Op: op, Code: codes.Unavailable, Message: "the stream ended early"}
	}
	s := status.Convert(err)
	if s.Code() == codes.Unknown {
		if ctxErr := status.FromContextError(err); ctxErr.Code() != codes.Unknown {
			s = ctxErr
		}
	}
	return &Error{Op: op, Code: s.Code(), Message: s.Message()}
}

func invalidArgument(op, format string, args ...any) error {
	return &Error{Op: op, Code: codes.InvalidArgument, Message: fmt.Sprintf(format, args...)}
}

func decodeError(what string, err error) error {
	return &Error{Op: "decode", Code: codes.DataLoss, Message: fmt.Sprintf("%s does not decode: %v", what, err)}
}

// failure is the error of a terminal event: nil when it succeeded.
func failure(e Event) error {
	switch e.Kind {
	case EventSucceeded:
		return nil
	case EventDead, EventCancelled:
		f := &TaskFailedError{Queue: e.Queue, TaskID: e.TaskID, State: TaskState(e.Kind)}
		if e.Error != nil {
			f.Type, f.Message, f.Traceback = e.Error.Type, e.Error.Message, e.Error.Traceback
		}
		return f
	}
	return &Error{Op: "Submit", Code: codes.Internal, Message: fmt.Sprintf("%s is not a terminal event", e.Kind)}
}
