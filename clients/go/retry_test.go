package sergeant

// Retries stay inside the caller's deadline: against a real gRPC server (in process) that answers UNAVAILABLE,
// slowly like a gateway whose store is down, or at once, a call ends with that UNAVAILABLE before its deadline.

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/sergeant-queue/sergeant/clients/go/sergeantpb"
)

const outageDeadline = 3 * time.Second

// late: when an attempt that should have fitted is cut short by the deadline (a loaded machine makes attempts slower
// than the last one), the UNAVAILABLE before it comes at the deadline, plus the time a goroutine takes to wake.
const late = 250 * time.Millisecond

// unavailableInTime checks that err is the gateway's UNAVAILABLE, returned by the deadline (limit after start).
func unavailableInTime(t *testing.T, err error, start time.Time, limit time.Duration) {
	t.Helper()
	took := time.Since(start)
	if status.Code(err) != codes.Unavailable || !strings.Contains(err.Error(), "store unreachable") {
		t.Fatalf("got %v after %s, want the gateway's UNAVAILABLE", err, took)
	}
	if took >= limit+late {
		t.Fatalf("the error came %s after the call; the deadline was %s", took, limit)
	}
}

func TestPushDuringAnOutageIsUnavailableBeforeTheDeadline(t *testing.T) {
	f := &fakeProducer{unavailable: 100, slow: time.Second}
	client := startFake(t, f, WithTimeout(outageDeadline))
	start := time.Now()
	_, err := client.Push(context.Background(), "q", map[string]any{"n": 1})
	unavailableInTime(t, err, start, outageDeadline)
	if len(f.pushes) != 2 { // at 1 s a second attempt fits; at 2 s a third would not
		t.Fatalf("%d attempts, want 2", len(f.pushes))
	}
}

func TestUnavailableAtOnceStaysInsideAShortDeadline(t *testing.T) {
	for range 5 { // the backoff is random: give a pause past the deadline a few chances to show
		f := &fakeProducer{unavailable: 100}
		client := startFake(t, f, WithTimeout(300*time.Millisecond))
		start := time.Now()
		_, err := client.Push(context.Background(), "q", map[string]any{"n": 1})
		unavailableInTime(t, err, start, 300*time.Millisecond)
	}
}

func TestSubmitAndWatchDuringAnOutageAreUnavailableBeforeTheDeadline(t *testing.T) {
	f := &fakeProducer{unavailable: 100, slow: time.Second}
	client := startFake(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), outageDeadline)
	defer cancel()
	start := time.Now()
	_, err := client.Submit(ctx, "q", map[string]any{"n": 1})
	unavailableInTime(t, err, start, outageDeadline)

	ctx, cancel = context.WithTimeout(context.Background(), outageDeadline)
	defer cancel()
	start = time.Now()
	for _, err := range client.Watch(ctx, "q", []string{"t1"}) {
		unavailableInTime(t, err, start, outageDeadline)
	}
	if len(f.watches) != 2 {
		t.Fatalf("%d Watch attempts, want 2", len(f.watches))
	}
}

// A Submit that failed before its first event is opened again with the same task id, and then followed.
func TestSubmitRetriedWithTheSameTask(t *testing.T) {
	var ids []string
	f := &fakeProducer{unavailable: 2}
	f.submit = func(req *sergeantpb.SubmitRequest, stream grpc.ServerStreamingServer[sergeantpb.TaskEvent]) error {
		f.mu.Lock()
		ids = append(ids, req.GetTask().GetId())
		f.mu.Unlock()
		return stream.Send(succeeded(req.GetTask().GetId(), nil))
	}
	client := startFake(t, f)
	sub, err := client.Submit(context.Background(), "q", map[string]any{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sub.Result(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(ids) != 1 || ids[0] != sub.TaskID {
		t.Fatalf("followed %v, submitted %s", ids, sub.TaskID)
	}
}

// Against a real gateway whose store (redis-server, SecantusDB) has stopped: the UNAVAILABLE names the store.
func TestE2EStoreDownIsUnavailableBeforeTheDeadline(t *testing.T) {
	for store, says := range map[string]string{"redis": "Redis at", "mongodb": "MongoDB is unreachable"} {
		t.Run(store, func(t *testing.T) {
			addr, err := startBackend("--down", store)
			if err != nil {
				t.Fatal(err)
			}
			client := dialE2E(t, addr, WithTimeout(outageDeadline))
			start := time.Now()
			_, err = client.Push(context.Background(), "outage", map[string]any{"n": 1})
			took := time.Since(start)
			if status.Code(err) != codes.Unavailable || !strings.Contains(err.Error(), says) || took >= outageDeadline {
				t.Fatalf("got %v after %s, want UNAVAILABLE saying %q before %s", err, took, says, outageDeadline)
			}
		})
	}
}
