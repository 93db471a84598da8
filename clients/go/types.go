package sergeant

import (
	"math"
	"strings"
	"time"

	"github.com/sergeant-queue/sergeant/clients/go/sergeantpb"
)

// Priority of a task: HIGH tasks are leased before every NORMAL one.
type Priority string

const (
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
)

// EventKind says what happened to a task. Succeeded, Dead and Cancelled are terminal.
type EventKind string

const (
	EventAccepted  EventKind = "accepted" // the store holds the task
	EventStarted   EventKind = "started"  // a worker leased it
	EventProgress  EventKind = "progress"
	EventRetrying  EventKind = "retrying" // an attempt failed; it will run again
	EventSucceeded EventKind = "succeeded"
	EventDead      EventKind = "dead"
	EventCancelled EventKind = "cancelled"
	EventUnknown   EventKind = "unknown"
)

// Terminal reports whether no event follows this one.
func (k EventKind) Terminal() bool {
	return k == EventSucceeded || k == EventDead || k == EventCancelled
}

// TaskState is where a task is in its life.
type TaskState string

const (
	StatePending   TaskState = "pending"   // ready to be leased
	StateScheduled TaskState = "scheduled" // waiting for its not-before time (delayed, or backing off)
	StateActive    TaskState = "active"    // leased by a worker
	StateSucceeded TaskState = "succeeded"
	StateDead      TaskState = "dead"
	StateCancelled TaskState = "cancelled"
	StateUnknown   TaskState = "unknown"
)

// Terminal reports whether the task has finished for good.
func (s TaskState) Terminal() bool {
	return s == StateSucceeded || s == StateDead || s == StateCancelled
}

// CancelOutcome is what Cancel did.
type CancelOutcome string

const (
	CancelCancelled CancelOutcome = "cancelled" // it was queued; it will never run
	CancelRunning   CancelOutcome = "running"   // it is running; its worker was told to stop it
	CancelFinished  CancelOutcome = "finished"  // it had already finished
	CancelUnknown   CancelOutcome = "unknown"
)

// TaskError is what a worker reported about a failed task.
type TaskError struct {
	Type      string // e.g. "ValueError", "WorkerTimedout", "LeaseExpired"
	Message   string
	Traceback string
}

// Event is one record of a task's life, as Submit and Watch stream them.
type Event struct {
	Queue  string
	TaskID string
	Kind   EventKind
	At     time.Time

	Progress float64 // EventProgress: 0..1
	Message  string  // EventProgress: free text
	Data     any     // EventProgress: the decoded detail, if any
	RawData  []byte  // EventProgress: the detail's msgpack

	Result    any        // EventSucceeded: what the task returned, decoded (see Unmarshal)
	RawResult []byte     // EventSucceeded: its msgpack, for msgpack.Unmarshal into your own type
	Error     *TaskError // EventDead: the worker's error
}

// Terminal reports whether no event follows this one for its task.
func (e Event) Terminal() bool { return e.Kind.Terminal() }

// TaskStatus is what Get returns.
type TaskStatus struct {
	Queue      string
	TaskID     string
	State      TaskState
	Attempt    int        // attempts that already failed
	Result     any        // once succeeded: what the task returned, decoded
	RawResult  []byte     // its msgpack
	Error      *TaskError // once dead
	FinishedAt time.Time  // once terminal
}

func lowerName(name, prefix string) string {
	return strings.ToLower(strings.TrimPrefix(name, prefix))
}

func kindFromPB(k sergeantpb.EventKind) EventKind {
	if k == sergeantpb.EventKind_EVENT_KIND_UNSPECIFIED {
		return EventUnknown
	}
	if name, ok := sergeantpb.EventKind_name[int32(k)]; ok {
		return EventKind(lowerName(name, "EVENT_KIND_"))
	}
	return EventUnknown
}

func stateFromPB(s sergeantpb.TaskState) TaskState {
	if s == sergeantpb.TaskState_TASK_STATE_UNSPECIFIED {
		return StateUnknown
	}
	if name, ok := sergeantpb.TaskState_name[int32(s)]; ok {
		return TaskState(lowerName(name, "TASK_STATE_"))
	}
	return StateUnknown
}

func outcomeFromPB(o sergeantpb.CancelOutcome) CancelOutcome {
	if o == sergeantpb.CancelOutcome_CANCEL_OUTCOME_UNSPECIFIED {
		return CancelUnknown
	}
	if name, ok := sergeantpb.CancelOutcome_name[int32(o)]; ok {
		return CancelOutcome(lowerName(name, "CANCEL_OUTCOME_"))
	}
	return CancelUnknown
}

func unixTime(s float64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	sec, frac := math.Modf(s)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC()
}

func unixSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9
}

func errorFromPB(e *sergeantpb.TaskError) *TaskError {
	if e == nil {
		return nil
	}
	return &TaskError{Type: e.GetType(), Message: e.GetMessage(), Traceback: e.GetTraceback()}
}

// eventFromPB converts a streamed event. A result or detail that does not decode is an error (codes.DataLoss).
func eventFromPB(m *sergeantpb.TaskEvent) (Event, error) {
	e := Event{
		Queue: m.GetQueue(), TaskID: m.GetTaskId(), Kind: kindFromPB(m.GetKind()), At: unixTime(m.GetAtUnixS()),
		Progress: m.GetProgress(), Message: m.GetMessage(), RawData: m.GetData(),
	}
	var err error
	if e.Data, err = decodeOptional(e.RawData); err != nil {
		return e, decodeError("the progress detail of task "+e.TaskID, err)
	}
	if r := m.GetResult(); r != nil {
		e.RawResult = r.GetResult()
		e.Error = errorFromPB(r.GetError())
		if e.Result, err = decodeOptional(e.RawResult); err != nil {
			return e, decodeError("the result of task "+e.TaskID, err)
		}
	}
	return e, nil
}

func statusFromPB(queue, taskID string, m *sergeantpb.GetTaskResponse) (*TaskStatus, error) {
	s := &TaskStatus{Queue: queue, TaskID: taskID, State: stateFromPB(m.GetState()),
		Attempt: int(m.GetTask().GetAttempt())}
	if r := m.GetResult(); r != nil {
		s.RawResult = r.GetResult()
		s.Error = errorFromPB(r.GetError())
		s.FinishedAt = unixTime(r.GetFinishedAtUnixS())
		var err error
		if s.Result, err = decodeOptional(s.RawResult); err != nil {
			return s, decodeError("the result of task "+taskID, err)
		}
	}
	return s, nil
}
