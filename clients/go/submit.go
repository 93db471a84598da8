package sergeant

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/vmihailenco/msgpack/v5"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/sergeant-queue/sergeant/clients/go/sergeantpb"
)

// How a Submission follows its task again when the gateway goes away mid-stream (UNAVAILABLE, or the
// stream ends without a terminal event): it watches the task id, which reports a task that finished in the
// meantime from the store.
var (
	resumeAttempts = 10
	resumeBackoff  = 100 * time.Millisecond
	resumeMaxDelay = 2 * time.Second
)

// Submission is a task pushed by Submit, followed until it finishes.
type Submission struct {
	Queue  string
	TaskID string // the followed task: the first task's id when an idempotency key matched an earlier push

	client *Client
	stop   context.CancelFunc
	done   chan struct{}

	mu       sync.Mutex
	cond     *sync.Cond
	history  []Event
	finished bool
	final    Event
	err      error

	eventsOnce sync.Once
	events     chan Event
	closeOnce  sync.Once
	closed     chan struct{}
}

// Submit pushes one task and follows it. It returns once the gateway has stored the task (the ACCEPTED
// event), or with the error that prevented it (e.g. codes.Unauthenticated, codes.InvalidArgument).
// The task is followed for as long as ctx allows; Result waits for its outcome, Events streams its events.
func (c *Client) Submit(ctx context.Context, queue string, kwargs map[string]any, opts ...TaskOption) (*Submission, error) {
	task, err := buildTask("Submit", queue, kwargs, collectOptions(opts))
	if err != nil {
		return nil, err
	}
	sctx, stop := context.WithCancel(ctx)
	stream, err := c.stub.Submit(sctx, &sergeantpb.SubmitRequest{Task: task, Progress: true})
	if err != nil {
		stop()
		return nil, rpcError("Submit", err)
	}
	first, err := stream.Recv()
	if err != nil {
		stop()
		return nil, rpcError("Submit", err)
	}
	ev, err := eventFromPB(first)
	if err != nil {
		stop()
		return nil, err
	}
	s := &Submission{
		Queue: queue, TaskID: task.GetId(), client: c, stop: stop,
		done: make(chan struct{}), closed: make(chan struct{}),
	}
	if ev.TaskID != "" {
		s.TaskID = ev.TaskID
	}
	s.cond = sync.NewCond(&s.mu)
	s.record(ev)
	if ev.Terminal() {
		s.finish(ev, failure(ev))
	} else {
		go s.follow(sctx, stream)
	}
	return s, nil
}

func (s *Submission) follow(ctx context.Context, stream grpc.ServerStreamingClient[sergeantpb.TaskEvent]) {
	resumes := 0
	for {
		m, err := stream.Recv()
		if err != nil {
			if resumes < resumeAttempts && ctx.Err() == nil && resumable(err) {
				delay := min(resumeBackoff<<resumes, resumeMaxDelay)
				resumes++
				select {
				case <-time.After(delay):
				case <-ctx.Done():
					s.finish(Event{}, rpcError("Submit", ctx.Err()))
					return
				}
				req := &sergeantpb.WatchRequest{Queue: s.Queue, TaskIds: []string{s.TaskID}, Progress: true}
				if stream, err = s.client.stub.Watch(ctx, req); err == nil {
					continue
				}
			}
			s.finish(Event{}, rpcError("Submit", err))
			return
		}
		ev, err := eventFromPB(m)
		if err != nil {
			s.finish(ev, err)
			return
		}
		if ev.TaskID != s.TaskID {
			continue
		}
		s.record(ev)
		if ev.Terminal() {
			s.finish(ev, failure(ev))
			return
		}
	}
}

func isEOF(err error) bool { return errors.Is(err, io.EOF) }

func resumable(err error) bool {
	return isEOF(err) || status.Code(err) == codes.Unavailable
}

func (s *Submission) record(ev Event) {
	s.mu.Lock()
	s.history = append(s.history, ev)
	s.mu.Unlock()
	s.cond.Broadcast()
}

func (s *Submission) finish(ev Event, err error) {
	s.mu.Lock()
	s.final, s.err, s.finished = ev, err, true
	s.mu.Unlock()
	s.cond.Broadcast()
	close(s.done)
	s.stop()
}

// Done is closed once the outcome is known (Result then returns without waiting).
func (s *Submission) Done() <-chan struct{} { return s.done }

// Result waits for the task's outcome: what it returned, decoded as Unmarshal does; a *TaskFailedError when
// it ended dead or cancelled; an *Error when following it failed; ctx.Err() when ctx ends first (the
// task goes on: call Result again, or Cancel it).
func (s *Submission) Result(ctx context.Context) (any, error) {
	select {
	case <-s.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if s.err != nil {
		return nil, s.err
	}
	return s.final.Result, nil
}

// ResultInto waits as Result does, then decodes the result's msgpack into v with msgpack.Unmarshal.
func (s *Submission) ResultInto(ctx context.Context, v any) error {
	if _, err := s.Result(ctx); err != nil {
		return err
	}
	if len(s.final.RawResult) == 0 {
		return nil
	}
	if err := msgpack.Unmarshal(s.final.RawResult, v); err != nil {
		return decodeError("the result of task "+s.TaskID, err)
	}
	return nil
}

// Events streams the task's events from the first (EventAccepted) to the terminal one, then closes.
// Progress events are included. Events are kept until read, so reading them is optional, but once you
// call Events, drain the channel or Close the Submission.
func (s *Submission) Events() <-chan Event {
	s.eventsOnce.Do(func() {
		s.events = make(chan Event)
		go s.pump()
	})
	return s.events
}

func (s *Submission) pump() {
	defer close(s.events)
	for i := 0; ; i++ {
		s.mu.Lock()
		for i >= len(s.history) && !s.finished {
			s.cond.Wait()
		}
		if i >= len(s.history) {
			s.mu.Unlock()
			return
		}
		ev := s.history[i]
		s.mu.Unlock()
		select {
		case s.events <- ev:
		case <-s.closed:
			return
		}
	}
}

// Cancel cancels the task (see Client.Cancel). Result then returns a *TaskFailedError with StateCancelled,
// or StateDead when the worker was already running it and gave up.
func (s *Submission) Cancel(ctx context.Context) (CancelOutcome, error) {
	return s.client.Cancel(ctx, s.Queue, s.TaskID)
}

// Close stops following the task (the task itself goes on) and closes the Events channel.
func (s *Submission) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
	s.stop()
}
