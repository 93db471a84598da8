package sergeant

// The wrapper against an in-process fake gateway (bufconn): what it sends, how it retries, how it follows
// a submitted task. No network, no backend.

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/sergeant-queue/sergeant/clients/go/sergeantpb"
)

type fakeProducer struct {
	sergeantpb.UnimplementedProducerServer
	mu          sync.Mutex
	pushes      []*sergeantpb.PushRequest
	auth        []string
	deadlines   []bool
	unavailable int           // fail this many calls with UNAVAILABLE first
	slow        time.Duration // ...each after this long, as a gateway waiting for an unreachable store
	submit      func(*sergeantpb.SubmitRequest, grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error
	watch       func(*sergeantpb.WatchRequest, grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error
	watches     []*sergeantpb.WatchRequest
	stored      map[string]bool // ids of packed pushes, to answer duplicates as the gateway does
	inFlight    int
	maxInFlight int
}

func (f *fakeProducer) note(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	md, _ := metadata.FromIncomingContext(ctx)
	f.auth = append(f.auth, md.Get("authorization")...)
	_, ok := ctx.Deadline()
	f.deadlines = append(f.deadlines, ok)
	if f.unavailable > 0 {
		f.unavailable--
		f.mu.Unlock()
		time.Sleep(f.slow)
		f.mu.Lock()
		return status.Error(codes.Unavailable, "store unreachable")
	}
	return nil
}

func (f *fakeProducer) Push(ctx context.Context, req *sergeantpb.PushRequest) (*sergeantpb.PushResponse, error) {
	f.mu.Lock()
	f.pushes = append(f.pushes, req)
	f.mu.Unlock()
	if err := f.note(ctx); err != nil {
		return nil, err
	}
	if req.GetPacked() != nil {
		return f.pushPacked(req.GetPacked())
	}
	resp := &sergeantpb.PushResponse{}
	for _, t := range req.GetTasks() {
		resp.Tasks = append(resp.Tasks, &sergeantpb.PushedTask{Id: t.GetId(), Created: true})
	}
	return resp, nil
}

func (f *fakeProducer) GetTask(ctx context.Context, req *sergeantpb.GetTaskRequest) (*sergeantpb.GetTaskResponse, error) {
	if err := f.note(ctx); err != nil {
		return nil, err
	}
	if req.GetTaskId() == "missing" {
		return nil, status.Error(codes.NotFound, "no task missing in q")
	}
	return &sergeantpb.GetTaskResponse{
		State: sergeantpb.TaskState_TASK_STATE_DEAD, Task: &sergeantpb.Task{Attempt: 3},
		Result: &sergeantpb.TaskResult{State: sergeantpb.TaskState_TASK_STATE_DEAD, FinishedAtUnixS: 1_700_000_000,
			Error: &sergeantpb.TaskError{Type: "ValueError", Message: "boom"}},
	}, nil
}

func (f *fakeProducer) Cancel(ctx context.Context, req *sergeantpb.CancelRequest) (*sergeantpb.CancelResponse, error) {
	if err := f.note(ctx); err != nil {
		return nil, err
	}
	return &sergeantpb.CancelResponse{Outcome: sergeantpb.CancelOutcome_CANCEL_OUTCOME_RUNNING}, nil
}

func (f *fakeProducer) Submit(req *sergeantpb.SubmitRequest, stream grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error {
	if err := f.note(stream.Context()); err != nil {
		return err
	}
	return f.submit(req, stream)
}

func (f *fakeProducer) Watch(req *sergeantpb.WatchRequest, stream grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error {
	f.mu.Lock()
	f.watches = append(f.watches, req)
	f.mu.Unlock()
	if err := f.note(stream.Context()); err != nil {
		return err
	}
	return f.watch(req, stream)
}

func startFake(t *testing.T, f *fakeProducer, opts ...Option) *Client {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	server := grpc.NewServer()
	sergeantpb.RegisterProducerServer(server, f)
	go server.Serve(lis)
	t.Cleanup(server.Stop)
	opts = append([]Option{WithDialOptions(grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
		return lis.DialContext(ctx)
	}))}, opts...)
	client, err := Dial(context.Background(), "passthrough:///fake", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

func event(taskID string, kind sergeantpb.EventKind) *sergeantpb.TaskEvent {
	return &sergeantpb.TaskEvent{Queue: "q", TaskId: taskID, Kind: kind, AtUnixS: float64(time.Now().UnixNano()) / 1e9}
}

func succeeded(taskID string, result []byte) *sergeantpb.TaskEvent {
	e := event(taskID, sergeantpb.EventKind_EVENT_KIND_SUCCEEDED)
	e.Result = &sergeantpb.TaskResult{State: sergeantpb.TaskState_TASK_STATE_SUCCEEDED, Result: result}
	return e
}

func TestPushSendsTokenAndDeadline(t *testing.T) {
	f := &fakeProducer{}
	client := startFake(t, f, WithToken("s3cret"), WithTimeout(5*time.Second))
	ids, err := client.PushMany(context.Background(), "q", []map[string]any{{"n": 1}, {"n": 2}}, WithMaxAttempts(2))
	if err != nil {
		t.Fatal(err)
	}
	sent := unpack(t, f.pushes[0].GetPacked().GetTasks())
	if len(ids) != 2 || ids[0] != sent[0][0] || ids[0] == ids[1] {
		t.Fatalf("ids %v", ids)
	}
	if f.auth[0] != "Bearer s3cret" || !f.deadlines[0] {
		t.Fatalf("auth %v deadlines %v", f.auth, f.deadlines)
	}
	if len(sent[1]) != 5 || sent[1][4] != int8(2) {
		t.Fatalf("max attempts not sent: %v", sent[1])
	}
}

func TestNoTokenNoHeaderNoTimeout(t *testing.T) {
	f := &fakeProducer{}
	client := startFake(t, f, WithTimeout(0))
	if _, err := client.Push(context.Background(), "q", map[string]any{}); err != nil {
		t.Fatal(err)
	}
	if len(f.auth) != 0 || f.deadlines[0] {
		t.Fatalf("auth %v deadline %v", f.auth, f.deadlines)
	}
}

// UNAVAILABLE is retried with the same task ids, so the store dedupes a push that did land.
func TestPushRetriesUnavailableWithSameIDs(t *testing.T) {
	f := &fakeProducer{unavailable: 2}
	client := startFake(t, f)
	id, err := client.Push(context.Background(), "q", map[string]any{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.pushes) != 3 {
		t.Fatalf("%d attempts, want 3", len(f.pushes))
	}
	for _, p := range f.pushes {
		if p.GetTasks()[0].GetId() != id {
			t.Fatalf("a retry changed the id: %s vs %s", p.GetTasks()[0].GetId(), id)
		}
	}
}

func TestRetriesRunOut(t *testing.T) {
	f := &fakeProducer{unavailable: 10}
	client := startFake(t, f, WithRetries(2))
	_, err := client.Push(context.Background(), "q", map[string]any{})
	if status.Code(err) != codes.Unavailable || len(f.pushes) != 2 {
		t.Fatalf("err %v after %d attempts", err, len(f.pushes))
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != "Push" || !strings.Contains(e.Message, "store unreachable") {
		t.Fatalf("got %#v", err)
	}
}

func TestInvalidArgumentsNeverCall(t *testing.T) {
	f := &fakeProducer{}
	client := startFake(t, f)
	if _, err := client.Push(context.Background(), "q", nil, WithPriority("low")); status.Code(err) != codes.InvalidArgument {
		t.Fatal(err)
	}
	if len(f.pushes) != 0 {
		t.Fatal("called the gateway")
	}
}

func TestGetAndCancel(t *testing.T) {
	client := startFake(t, &fakeProducer{})
	s, err := client.Get(context.Background(), "q", "t1")
	if err != nil {
		t.Fatal(err)
	}
	if s.State != StateDead || s.Attempt != 3 || s.Error.Type != "ValueError" || s.TaskID != "t1" || s.FinishedAt.Unix() != 1_700_000_000 {
		t.Fatalf("got %#v", s)
	}
	if _, err := client.Get(context.Background(), "q", "missing"); status.Code(err) != codes.NotFound {
		t.Fatalf("got %v", err)
	}
	if out, err := client.Cancel(context.Background(), "q", "t1"); err != nil || out != CancelRunning {
		t.Fatalf("got %v %v", out, err)
	}
}

func TestSubmitFollowsToResult(t *testing.T) {
	f := &fakeProducer{submit: func(req *sergeantpb.SubmitRequest, stream grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error {
		id := req.GetTask().GetId()
		if !req.GetProgress() {
			return status.Error(codes.InvalidArgument, "progress not asked")
		}
		stream.Send(event(id, sergeantpb.EventKind_EVENT_KIND_ACCEPTED))
		stream.Send(event(id, sergeantpb.EventKind_EVENT_KIND_STARTED))
		p := event(id, sergeantpb.EventKind_EVENT_KIND_PROGRESS)
		p.Progress, p.Message = 0.5, "half"
		stream.Send(p)
		return stream.Send(succeeded(id, []byte{0x81, 0xa2, 'o', 'k', 0xc3}))
	}}
	client := startFake(t, f)
	sub, err := client.Submit(context.Background(), "q", map[string]any{"x": 1})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []EventKind
	for ev := range sub.Events() {
		kinds = append(kinds, ev.Kind)
		if ev.Kind == EventProgress && (ev.Progress != 0.5 || ev.Message != "half") {
			t.Fatalf("progress %#v", ev)
		}
	}
	if want := []EventKind{EventAccepted, EventStarted, EventProgress, EventSucceeded}; !equalKinds(kinds, want) {
		t.Fatalf("events %v, want %v", kinds, want)
	}
	result, err := sub.Result(context.Background())
	if err != nil || result.(map[string]any)["ok"] != true {
		t.Fatalf("got %v %v", result, err)
	}
	var typed struct {
		OK bool `msgpack:"ok"`
	}
	if err := sub.ResultInto(context.Background(), &typed); err != nil || !typed.OK {
		t.Fatalf("ResultInto: %v %v", typed, err)
	}
}

func equalKinds(a, b []EventKind) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSubmitDeadIsTaskFailed(t *testing.T) {
	f := &fakeProducer{submit: func(req *sergeantpb.SubmitRequest, stream grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error {
		id := req.GetTask().GetId()
		stream.Send(event(id, sergeantpb.EventKind_EVENT_KIND_ACCEPTED))
		dead := event(id, sergeantpb.EventKind_EVENT_KIND_DEAD)
		dead.Result = &sergeantpb.TaskResult{State: sergeantpb.TaskState_TASK_STATE_DEAD,
			Error: &sergeantpb.TaskError{Type: "ValueError", Message: "no such user"}}
		return stream.Send(dead)
	}}
	client := startFake(t, f)
	sub, err := client.Submit(context.Background(), "q", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sub.Result(context.Background())
	var failed *TaskFailedError
	if !errors.As(err, &failed) || failed.Type != "ValueError" || failed.Message != "no such user" || failed.TaskID != sub.TaskID {
		t.Fatalf("got %#v", err)
	}
}

func TestSubmitRejectedReturnsError(t *testing.T) {
	f := &fakeProducer{submit: func(*sergeantpb.SubmitRequest, grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error {
		return status.Error(codes.PermissionDenied, "no produce role")
	}}
	client := startFake(t, f)
	if _, err := client.Submit(context.Background(), "q", nil); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("got %v", err)
	}
}

// The gateway goes away after ACCEPTED: the submission follows the task again with Watch.
func TestSubmitResumesWithWatch(t *testing.T) {
	resumeBackoff = time.Millisecond
	f := &fakeProducer{}
	f.submit = func(req *sergeantpb.SubmitRequest, stream grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error {
		stream.Send(event(req.GetTask().GetId(), sergeantpb.EventKind_EVENT_KIND_ACCEPTED))
		return status.Error(codes.Unavailable, "gateway stopping")
	}
	calls := 0
	f.watch = func(req *sergeantpb.WatchRequest, stream grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error {
		if calls++; calls == 1 {
			return nil // ended without a terminal event: resume again
		}
		return stream.Send(succeeded(req.GetTaskIds()[0], []byte{0x07}))
	}
	client := startFake(t, f)
	sub, err := client.Submit(context.Background(), "q", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if result, err := sub.Result(ctx); err != nil || result != int64(7) {
		t.Fatalf("got %v %v", result, err)
	}
	if len(f.watches) != 2 || f.watches[0].GetTaskIds()[0] != sub.TaskID || f.watches[0].GetQueue() != "q" || !f.watches[0].GetProgress() {
		t.Fatalf("watches %v", f.watches)
	}
}

func TestSubmitIdempotencyKeyFollowsFirstTask(t *testing.T) {
	f := &fakeProducer{submit: func(req *sergeantpb.SubmitRequest, stream grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error {
		stream.Send(event("first", sergeantpb.EventKind_EVENT_KIND_ACCEPTED))
		return stream.Send(succeeded("first", []byte{0x01}))
	}}
	client := startFake(t, f)
	sub, err := client.Submit(context.Background(), "q", nil, WithIdempotencyKey("k"))
	if err != nil {
		t.Fatal(err)
	}
	if result, err := sub.Result(context.Background()); sub.TaskID != "first" || result != int64(1) || err != nil {
		t.Fatalf("followed %s: %v %v", sub.TaskID, result, err)
	}
}

func TestResultContextAndClose(t *testing.T) {
	release := make(chan struct{})
	f := &fakeProducer{submit: func(req *sergeantpb.SubmitRequest, stream grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error {
		stream.Send(event(req.GetTask().GetId(), sergeantpb.EventKind_EVENT_KIND_ACCEPTED))
		select {
		case <-release:
		case <-stream.Context().Done():
		}
		return nil
	}}
	defer close(release)
	client := startFake(t, f)
	sub, err := client.Submit(context.Background(), "q", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := sub.Result(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	events := sub.Events()
	if ev := <-events; ev.Kind != EventAccepted {
		t.Fatalf("first event %v", ev.Kind)
	}
	sub.Close()
	if _, err := sub.Result(context.Background()); status.Code(err) != codes.Canceled {
		t.Fatalf("after Close: %v", err)
	}
	for range events { // closes
	}
}

func TestWatchEndsWhenAllTerminal(t *testing.T) {
	f := &fakeProducer{watch: func(req *sergeantpb.WatchRequest, stream grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error {
		for _, id := range req.GetTaskIds() {
			stream.Send(succeeded(id, nil))
		}
		return nil
	}}
	client := startFake(t, f)
	var got []string
	for ev, err := range client.Watch(context.Background(), "q", []string{"a", "b"}, WithProgressEvents()) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev.TaskID)
	}
	if len(got) != 2 || got[0] != "a" || got[1] != "b" || !f.watches[0].GetProgress() {
		t.Fatalf("got %v", got)
	}
}

func TestWatchError(t *testing.T) {
	f := &fakeProducer{watch: func(*sergeantpb.WatchRequest, grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error {
		return status.Error(codes.InvalidArgument, "bad id")
	}}
	client := startFake(t, f)
	n := 0
	for _, err := range client.Watch(context.Background(), "q", []string{"?"}) {
		n++
		if status.Code(err) != codes.InvalidArgument {
			t.Fatalf("got %v", err)
		}
	}
	if n != 1 {
		t.Fatalf("%d items", n)
	}
}

func TestDialBlockHonoursContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := Dial(ctx, "127.0.0.1:1", WithBlock())
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("got %v", err)
	}
	if _, err := Dial(ctx, "x", WithRootCA([]byte("not pem"))); err == nil {
		t.Fatal("bad PEM accepted")
	}
	if _, err := Dial(ctx, "x", WithRetries(0)); err == nil {
		t.Fatal("0 retries accepted")
	}
}
