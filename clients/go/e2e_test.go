package sergeant

// End-to-end: this client against a live gateway with Python echo workers (tests/crosslang/backend.py).
// SERGEANT_GATEWAY=host:port uses a running one; otherwise the first test that needs it starts backend.py
// (from the repository root, with $SERGEANT_PYTHON or python). The auth tests always start their own, with a
// tokens file. `go test -short` skips them all.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

const echoQueue = "echo"

var (
	backendsMu sync.Mutex
	backends   []*exec.Cmd
	logFiles   []string
	sharedOnce sync.Once
	sharedAddr string
	sharedErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	backendsMu.Lock()
	for _, cmd := range backends {
		stopBackend(cmd)
	}
	if code == 0 {
		for _, name := range logFiles {
			os.Remove(name)
		}
	}
	backendsMu.Unlock()
	os.Exit(code)
}

func stopBackend(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// startBackend runs backend.py and returns the address it prints once it serves.
func startBackend(args ...string) (string, error) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return "", err
	}
	python := os.Getenv("SERGEANT_PYTHON")
	if python == "" {
		python = "python"
	}
	logFile, err := os.CreateTemp("", "sergeant-go-backend-*.log")
	if err != nil {
		return "", err
	}
	cmd := exec.Command(python, append([]string{filepath.Join(root, "tests", "crosslang", "backend.py")}, args...)...)
	cmd.Dir = root
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("starting backend.py: %w", err)
	}
	backendsMu.Lock()
	backends = append(backends, cmd)
	logFiles = append(logFiles, logFile.Name())
	backendsMu.Unlock()
	ready := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if addr, ok := strings.CutPrefix(scanner.Text(), "READY "); ok {
				ready <- strings.TrimSpace(addr)
				break
			}
		}
		for scanner.Scan() { // keep draining so the backend never blocks on a full pipe
		}
		close(ready)
	}()
	select {
	case addr, ok := <-ready:
		if ok {
			return addr, nil
		}
	case <-time.After(90 * time.Second):
	}
	log, _ := os.ReadFile(logFile.Name())
	if len(log) > 4000 {
		log = log[len(log)-4000:]
	}
	return "", fmt.Errorf("backend.py did not print READY; its stderr ends:\n%s", log)
}

func gatewayAddr(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: needs a gateway")
	}
	if addr := os.Getenv("SERGEANT_GATEWAY"); addr != "" {
		return addr
	}
	sharedOnce.Do(func() { sharedAddr, sharedErr = startBackend() })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedAddr
}

func dialE2E(t *testing.T, addr string, opts ...Option) *Client {
	t.Helper()
	client, err := Dial(context.Background(), addr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

func e2eContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// echoResult checks the echo worker's answer: {"echo": kwargs as received, "keys": len(kwargs)}.
func echoResult(t *testing.T, result any, kwargs map[string]any) {
	t.Helper()
	m, ok := result.(map[string]any)
	if !ok {
		t.Fatalf("result %#v is not a map", result)
	}
	if m["keys"] != int64(len(kwargs)) {
		t.Errorf("keys = %#v, want %d", m["keys"], len(kwargs))
	}
	if !reflect.DeepEqual(m["echo"], kwargs) {
		echo, _ := m["echo"].(map[string]any)
		for k, want := range kwargs {
			if !reflect.DeepEqual(echo[k], want) {
				t.Errorf("%q came back as %#v, sent %#v", k, echo[k], want)
			}
		}
		for k := range echo {
			if _, sent := kwargs[k]; !sent {
				t.Errorf("%q came back but was not sent", k)
			}
		}
		t.FailNow()
	}
}

// Every msgpack type Go can express goes through a Python worker and back exactly. The values are written
// in the form Unmarshal returns (int64/uint64, float64, []any, ...) so that equality is exact.
func TestE2ERoundTripEveryType(t *testing.T) {
	client := dialE2E(t, gatewayAddr(t))
	ctx := e2eContext(t)
	big := make([]byte, 70_000) // bin 32
	for i := range big {
		big[i] = byte(i)
	}
	list20 := make([]any, 20) // array 16
	for i := range list20 {
		list20[i] = int64(i * i)
	}
	kwargs := map[string]any{
		// nil and booleans
		"nil": nil, "true": true, "false": false,
		// integers, up to the 64-bit edges
		"zero": int64(0), "small": int64(7), "negative": int64(-33), "int16": int64(-30_000),
		"int32": int64(2_000_000_000), "uint32_max": int64(math.MaxUint32),
		"int64_min": int64(math.MinInt64), "int64_max": int64(math.MaxInt64), "uint64_max": uint64(math.MaxUint64),
		// floats
		"float": 3.141592653589793, "float_neg": -2.5e-300, "float_max": math.MaxFloat64, "float_tiny": 5e-324,
		"inf": math.Inf(1), "minus_inf": math.Inf(-1), "whole_float": 2.0, "float_nzero": math.Copysign(0, -1),
		// strings, with non-BMP characters, a NUL and a str 32
		"ascii": "hello", "empty_str": "", "unicode": "héllo wörld, 日本語, Ελληνικά", "emoji": "🎉👍🏽 𝄞 😀",
		"nul": "a\x00b", "long_str": strings.Repeat("ß", 40_000), "ключ 🔑": "a non-ASCII key",
		// bytes, with a bin 32
		"bytes": []byte{0, 1, 2, 0x7f, 0x80, 0xfe, 0xff}, "empty_bytes": []byte{}, "big_bytes": big,
		// lists and maps, nested, with an array 16 and non-string keys
		"list": []any{int64(1), "two", 3.5, nil, true, []byte("six")}, "empty_list": []any{}, "list20": list20,
		"nested":     map[string]any{"a": map[string]any{"b": map[string]any{"c": []any{map[string]any{"d": "deep"}}}}},
		"empty_map":  map[string]any{},
		"int_keys":   map[any]any{int64(1): "one", int64(-2): "minus two", int64(math.MaxInt64): "max"},
		"mixed_keys": map[any]any{"s": int64(1), int64(2): "i", true: "b", 1.5: "f"},
		// timestamps (ext -1, in its 32-, 64- and 96-bit layouts), at microsecond precision as Python keeps them
		"time": time.Date(2024, 2, 29, 23, 59, 59, 123456000, time.UTC), "time_whole": time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		"time_epoch": time.Unix(0, 0).UTC(), "time_1900": time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
		"time_2300": time.Date(2300, 6, 1, 12, 0, 0, 1000, time.UTC), "times": []any{time.Unix(1_700_000_000, 999_999_000).UTC()},
	}
	sub, err := client.Submit(ctx, echoQueue, kwargs)
	if err != nil {
		t.Fatal(err)
	}
	result, err := sub.Result(ctx)
	if err != nil {
		t.Fatal(err)
	}
	echoResult(t, result, kwargs)
	if z := result.(map[string]any)["echo"].(map[string]any)["float_nzero"].(float64); !math.Signbit(z) {
		t.Error("-0.0 lost its sign")
	}

	// NaN, which no equality check sees as itself.
	sub, err = client.Submit(ctx, echoQueue, map[string]any{"nan": math.NaN()})
	if err != nil {
		t.Fatal(err)
	}
	if result, err = sub.Result(ctx); err != nil {
		t.Fatal(err)
	}
	if nan, _ := result.(map[string]any)["echo"].(map[string]any)["nan"].(float64); !math.IsNaN(nan) {
		t.Errorf("NaN came back as %#v", result)
	}

	// Go values of other types arrive as their msgpack equivalents.
	type user struct {
		Name string `msgpack:"name"`
		Age  uint8  `msgpack:"age"`
	}
	in := map[string]any{"struct": user{"ana", 30}, "ints": []int{1, 2}, "f32": float32(0.5), "local": time.Date(2024, 1, 1, 12, 0, 0, 0, time.FixedZone("X", 3600))}
	sub, err = client.Submit(ctx, echoQueue, in)
	if err != nil {
		t.Fatal(err)
	}
	result, err = sub.Result(ctx)
	if err != nil {
		t.Fatal(err)
	}
	echoResult(t, result, map[string]any{"struct": map[string]any{"name": "ana", "age": int64(30)}, "ints": []any{int64(1), int64(2)},
		"f32": 0.5, "local": time.Date(2024, 1, 1, 11, 0, 0, 0, time.UTC)})
}

func TestE2EProgressEvents(t *testing.T) {
	client := dialE2E(t, gatewayAddr(t))
	ctx := e2eContext(t)
	kwargs := map[string]any{"progress": int64(3), "tag": "p"}
	sub, err := client.Submit(ctx, echoQueue, kwargs, WithPriority(PriorityHigh), WithTraceID("go-e2e-progress"))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []EventKind
	var progress []float64
	for ev := range sub.Events() {
		if ev.TaskID != sub.TaskID || ev.Queue != echoQueue || ev.At.IsZero() {
			t.Errorf("event %#v", ev)
		}
		kinds = append(kinds, ev.Kind)
		if ev.Kind == EventProgress {
			progress = append(progress, ev.Progress)
			step := int64(len(progress))
			if ev.Message != fmt.Sprintf("step %d", step) || !reflect.DeepEqual(ev.Data, map[string]any{"step": step}) {
				t.Errorf("progress event %d: message %q data %#v", step, ev.Message, ev.Data)
			}
		}
	}
	if len(kinds) < 2 || kinds[0] != EventAccepted || kinds[len(kinds)-1] != EventSucceeded {
		t.Fatalf("events %v", kinds)
	}
	if len(progress) != 3 {
		t.Fatalf("%d progress events, want 3 (events %v)", len(progress), kinds)
	}
	for i := 1; i < len(progress); i++ {
		if progress[i] < progress[i-1] || progress[i] > 1 {
			t.Fatalf("progress %v", progress)
		}
	}
	result, err := sub.Result(ctx)
	if err != nil {
		t.Fatal(err)
	}
	echoResult(t, result, kwargs)
}

// A packed push-many answers a task whose idempotency key matched an earlier push with the first task's id, and one
// of several batches (three in flight) keeps the caller's ids in order.
func TestE2EPushManyBatchesAndDuplicates(t *testing.T) {
	client := dialE2E(t, gatewayAddr(t))
	ctx := e2eContext(t)
	key := "e2e-key-" + NewTaskID()
	first, err := client.PushMany(ctx, echoQueue, []map[string]any{{"n": int64(0)}}, WithIdempotencyKey(key))
	if err != nil || len(first) != 1 {
		t.Fatalf("%v %v", first, err)
	}
	again, err := client.PushMany(ctx, echoQueue, []map[string]any{{"n": int64(1)}}, WithIdempotencyKey(key))
	if err != nil || len(again) != 1 || again[0] != first[0] {
		t.Fatalf("same key: %v, first %v, %v", again, first, err)
	}
	many := make([]map[string]any, 2500)
	ids := make([]string, len(many))
	for i := range many {
		many[i] = map[string]any{"n": int64(i)}
		ids[i] = fmt.Sprintf("e2e-%s-%d", first[0], i)
	}
	got, err := client.PushMany(ctx, echoQueue, many, WithTaskIDs(ids), WithBatchSize(1000))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, ids) {
		t.Fatal("ids of a batched push-many not in order")
	}
}

func TestE2EPushManyWatchGet(t *testing.T) {
	client := dialE2E(t, gatewayAddr(t))
	ctx := e2eContext(t)
	batch := make([]map[string]any, 25)
	for i := range batch {
		batch[i] = map[string]any{"i": int64(i), "name": fmt.Sprintf("task-%d", i)}
	}
	ids, err := client.PushMany(ctx, echoQueue, batch, WithResults())
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(batch) {
		t.Fatalf("%d ids", len(ids))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("duplicate id %s", id)
		}
		seen[id] = true
	}
	terminal := map[string]bool{}
	for ev, err := range client.Watch(ctx, echoQueue, ids) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Terminal() {
			if ev.Kind != EventSucceeded {
				t.Fatalf("task %s ended %s", ev.TaskID, ev.Kind)
			}
			terminal[ev.TaskID] = true
		}
	}
	if len(terminal) != len(ids) {
		t.Fatalf("%d of %d tasks reported terminal", len(terminal), len(ids))
	}
	for i, id := range ids {
		status, err := client.Get(ctx, echoQueue, id)
		if err != nil {
			t.Fatal(err)
		}
		if status.State != StateSucceeded || status.TaskID != id || status.FinishedAt.IsZero() {
			t.Fatalf("task %s: %#v", id, status)
		}
		echoResult(t, status.Result, batch[i])
	}
	// A finished task is watched to its end at once.
	n := 0
	for ev, err := range client.Watch(ctx, echoQueue, ids[:1]) {
		if err != nil || ev.Kind != EventSucceeded {
			t.Fatalf("got %v %v", ev.Kind, err)
		}
		n++
	}
	if n != 1 {
		t.Fatalf("%d events for a finished task", n)
	}
}

func TestE2EPushOptions(t *testing.T) {
	client := dialE2E(t, gatewayAddr(t))
	ctx := e2eContext(t)
	key := "go-e2e-" + NewTaskID()
	first, err := client.Push(ctx, echoQueue, map[string]any{"n": int64(1)}, WithIdempotencyKey(key), WithDelay(time.Hour),
		WithResults()) // only a task that wants a result can be cancelled (below)
	if err != nil {
		t.Fatal(err)
	}
	second, err := client.Push(ctx, echoQueue, map[string]any{"n": int64(2)}, WithIdempotencyKey(key))
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Fatalf("the idempotency key did not dedupe: %s then %s", first, second)
	}
	id := "go-e2e:" + NewTaskID()
	got, err := client.Push(ctx, echoQueue, map[string]any{}, WithTaskID(id), WithDelay(time.Hour), WithMaxAttempts(2),
		WithTaskTimeout(5*time.Second), WithPriority(PriorityHigh), WithResults()) // a live id that wants a result is stored once
	if err != nil || got != id {
		t.Fatalf("got %q %v", got, err)
	}
	again, err := client.Push(ctx, echoQueue, map[string]any{}, WithTaskID(id))
	if err != nil || again != id {
		t.Fatalf("pushing a live id again: %q %v", again, err)
	}
	for _, tid := range []string{first, id} {
		if _, err := client.Cancel(ctx, echoQueue, tid); err != nil {
			t.Fatal(err)
		}
	}
}

func TestE2ECancelQueued(t *testing.T) {
	client := dialE2E(t, gatewayAddr(t))
	ctx := e2eContext(t)
	id, err := client.Push(ctx, echoQueue, map[string]any{"later": true}, WithDelay(time.Hour), WithResults())
	if err != nil {
		t.Fatal(err)
	}
	status, err := client.Get(ctx, echoQueue, id)
	if err != nil || status.State != StateScheduled {
		t.Fatalf("a delayed task: %#v %v", status, err)
	}
	outcome, err := client.Cancel(ctx, echoQueue, id)
	if err != nil || outcome != CancelCancelled {
		t.Fatalf("cancel: %q %v", outcome, err)
	}
	if status, err = client.Get(ctx, echoQueue, id); err != nil || status.State != StateCancelled {
		t.Fatalf("after cancel: %#v %v", status, err)
	}
	if outcome, err = client.Cancel(ctx, echoQueue, id); err != nil || outcome != CancelFinished {
		t.Fatalf("cancel again: %q %v", outcome, err)
	}

	// A submitted delayed task, cancelled: its result is a cancelled TaskFailedError.
	sub, err := client.Submit(ctx, echoQueue, map[string]any{"later": true}, WithDelay(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if outcome, err := sub.Cancel(ctx); err != nil || outcome != CancelCancelled {
		t.Fatalf("cancel: %q %v", outcome, err)
	}
	_, err = sub.Result(ctx)
	var failed *TaskFailedError
	if !errors.As(err, &failed) || !failed.Cancelled() || failed.TaskID != sub.TaskID {
		t.Fatalf("got %#v", err)
	}
}

func TestE2ECancelRunning(t *testing.T) {
	client := dialE2E(t, gatewayAddr(t))
	ctx := e2eContext(t)
	sub, err := client.Submit(ctx, echoQueue, map[string]any{"sleep_s": 30.0}, WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	for ev := range sub.Events() {
		if ev.Kind == EventStarted {
			break
		}
		if ev.Terminal() {
			t.Fatalf("ended before it started: %v", ev.Kind)
		}
	}
	started := time.Now()
	outcome, err := sub.Cancel(ctx)
	if err != nil || outcome != CancelRunning {
		t.Fatalf("cancel: %q %v", outcome, err)
	}
	_, err = sub.Result(ctx)
	var failed *TaskFailedError
	if !errors.As(err, &failed) || failed.State != StateCancelled {
		t.Fatalf("got %#v", err)
	}
	if waited := time.Since(started); waited > 20*time.Second {
		t.Fatalf("the running task took %s to stop", waited)
	}
	sub.Close()
}

func TestE2EFailingTask(t *testing.T) {
	client := dialE2E(t, gatewayAddr(t))
	ctx := e2eContext(t)
	sub, err := client.Submit(ctx, echoQueue, map[string]any{"fail": "no such user ✗"}, WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sub.Result(ctx)
	var failed *TaskFailedError
	if !errors.As(err, &failed) {
		t.Fatalf("got %#v", err)
	}
	if failed.State != StateDead || failed.Type != "ValueError" || !strings.Contains(failed.Message, "no such user ✗") || failed.TaskID != sub.TaskID {
		t.Fatalf("got %#v", failed)
	}
	status, err := client.Get(ctx, echoQueue, sub.TaskID)
	if err != nil || status.State != StateDead || status.Error == nil || status.Error.Type != "ValueError" {
		t.Fatalf("get: %#v %v", status, err)
	}
}

func TestE2EDeadlines(t *testing.T) {
	client := dialE2E(t, gatewayAddr(t))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	sub, err := client.Submit(ctx, echoQueue, map[string]any{"sleep_s": 20.0}, WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sub.Result(context.Background())
	if status.Code(err) != codes.DeadlineExceeded || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if _, err := client.Cancel(e2eContext(t), echoQueue, sub.TaskID); err != nil {
		t.Fatal(err)
	}
	expired, cancel2 := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel2()
	<-expired.Done()
	if _, err := client.Push(expired, echoQueue, map[string]any{}); status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("push with an expired deadline: %v", err)
	}
}

func TestE2EUnknownTask(t *testing.T) {
	client := dialE2E(t, gatewayAddr(t))
	_, err := client.Get(e2eContext(t), echoQueue, "no-such-task-"+NewTaskID())
	if err == nil {
		t.Fatal("no error for an unknown task")
	}
	if code := status.Code(err); code != codes.NotFound {
		t.Fatalf("code %v (%v)", code, err)
	}
}

var (
	authOnce sync.Once
	authAddr string
	authErr  error
)

func authGateway(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: needs a gateway")
	}
	authOnce.Do(func() {
		tokens := map[string]any{
			"go-producer":  map[string]any{"name": "go-e2e", "roles": []string{"produce"}, "queues": []string{echoQueue}},
			"go-elsewhere": map[string]any{"name": "go-e2e-other", "roles": []string{"produce"}, "queues": []string{"other"}},
			"worker-token": map[string]any{"name": "workers", "roles": []string{"consume"}, "queues": []string{"*"}},
		}
		data, _ := json.Marshal(tokens)
		dir, err := os.MkdirTemp("", "sergeant-go-auth-")
		if err != nil {
			authErr = err
			return
		}
		file := filepath.Join(dir, "tokens.json")
		if authErr = os.WriteFile(file, data, 0o600); authErr != nil {
			return
		}
		authAddr, authErr = startBackend("--tokens-file", file, "--workers", "1")
	})
	if authErr != nil {
		t.Fatal(authErr)
	}
	return authAddr
}

func TestE2EAuth(t *testing.T) {
	addr := authGateway(t)
	ctx := e2eContext(t)

	anonymous := dialE2E(t, addr)
	if _, err := anonymous.Push(ctx, echoQueue, map[string]any{}); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("no token: %v", err)
	}
	if _, err := anonymous.Submit(ctx, echoQueue, map[string]any{}); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("no token, submit: %v", err)
	}
	wrong := dialE2E(t, addr, WithToken("not-a-token"))
	if _, err := wrong.Push(ctx, echoQueue, map[string]any{}); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("unknown token: %v", err)
	}
	elsewhere := dialE2E(t, addr, WithToken("go-elsewhere"))
	_, err := elsewhere.Push(ctx, echoQueue, map[string]any{})
	if status.Code(err) != codes.PermissionDenied {
		t.Fatalf("another queue's token: %v", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Message == "" {
		t.Fatalf("no message: %#v", err)
	}
	if _, err := elsewhere.Submit(ctx, echoQueue, map[string]any{}); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("another queue's token, submit: %v", err)
	}
	if _, err := elsewhere.Get(ctx, echoQueue, "some-id"); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("another queue's token, get: %v", err)
	}

	producer := dialE2E(t, addr, WithToken("go-producer"))
	kwargs := map[string]any{"authorised": true}
	sub, err := producer.Submit(ctx, echoQueue, kwargs)
	if err != nil {
		t.Fatal(err)
	}
	result, err := sub.Result(ctx)
	if err != nil {
		t.Fatal(err)
	}
	echoResult(t, result, kwargs)
}
