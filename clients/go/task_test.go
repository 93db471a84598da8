package sergeant

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/sergeant-queue/sergeant/clients/go/sergeantpb"
)

func TestNewTaskID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewTaskID()
		if !regexp.MustCompile(`^[0-9a-f]{30}$`).MatchString(id) || !taskIDPattern.MatchString(id) {
			t.Fatalf("bad id %q", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
	a := NewTaskID()
	time.Sleep(2 * time.Millisecond)
	if b := NewTaskID(); b[:14] <= a[:14] {
		t.Fatalf("ids do not sort by time: %s then %s", a, b)
	}
}

func TestBuildTaskDefaults(t *testing.T) {
	task, err := buildTask("Push", "emails", map[string]any{"to": "alice"}, collectOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	if task.GetQueue() != "emails" || !taskIDPattern.MatchString(task.GetId()) {
		t.Fatalf("queue %q id %q", task.GetQueue(), task.GetId())
	}
	if string(task.GetKwargs()) != "\x81\xa2to\xa5alice" {
		t.Fatalf("kwargs %x", task.GetKwargs())
	}
	if task.GetSerializer() != sergeantpb.Serializer_SERIALIZER_MSGPACK || task.GetCompressor() != sergeantpb.Compressor_COMPRESSOR_NONE ||
		task.GetPriority() != sergeantpb.Priority_PRIORITY_NORMAL {
		t.Fatalf("envelope %v", task)
	}
	if task.GetNotBeforeUnixS() != 0 || task.GetMaxAttempts() != 0 || task.GetTimeoutS() != 0 ||
		task.GetIdempotencyKey() != "" || task.GetTraceId() != "" {
		t.Fatalf("options set without asking: %v", task)
	}
	empty, _ := buildTask("Push", "q", nil, collectOptions(nil))
	if string(empty.GetKwargs()) != "\x80" {
		t.Fatalf("nil kwargs encode as %x, want an empty map", empty.GetKwargs())
	}
}

func TestBuildTaskOptions(t *testing.T) {
	now := time.Unix(1_700_000_000, 250_000_000)
	o := collectOptions([]TaskOption{
		WithTaskID("order-42:v1"), WithPriority(PriorityHigh), WithDelay(90 * time.Second), WithMaxAttempts(1),
		WithTaskTimeout(1500 * time.Millisecond), WithIdempotencyKey("key-1"), WithTraceID("trace-9"), nil,
	})
	o.now = func() time.Time { return now }
	task, err := buildTask("Push", "emails", map[string]any{}, o)
	if err != nil {
		t.Fatal(err)
	}
	if task.GetId() != "order-42:v1" || task.GetPriority() != sergeantpb.Priority_PRIORITY_HIGH ||
		task.GetNotBeforeUnixS() != 1_700_000_090.25 || task.GetMaxAttempts() != 1 || task.GetTimeoutS() != 1.5 ||
		task.GetIdempotencyKey() != "key-1" || task.GetTraceId() != "trace-9" {
		t.Fatalf("task %v", task)
	}
}

func TestBuildTaskRejects(t *testing.T) {
	cases := map[string]struct {
		queue  string
		kwargs map[string]any
		opts   []TaskOption
		want   string
	}{
		"priority":     {"q", nil, []TaskOption{WithPriority("urgent")}, "priority"},
		"attempts":     {"q", nil, []TaskOption{WithMaxAttempts(-1)}, "max attempts"},
		"timeout":      {"q", nil, []TaskOption{WithTaskTimeout(-time.Second)}, "timeout"},
		"delay":        {"q", nil, []TaskOption{WithDelay(-time.Second)}, "delay"},
		"task id":      {"q", nil, []TaskOption{WithTaskID("has space")}, "task id"},
		"long task id": {"q", nil, []TaskOption{WithTaskID(strings.Repeat("a", 129))}, "task id"},
		"queue":        {"bad queue", nil, nil, "queue"},
		"queue start":  {"-q", nil, nil, "queue"},
		"no queue":     {"", nil, nil, "queue"},
		"kwargs":       {"q", map[string]any{"c": make(chan int)}, nil, "encode"},
	}
	for name, c := range cases {
		_, err := buildTask("Push", c.queue, c.kwargs, collectOptions(c.opts))
		if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func buildPush(op, queue string, many []map[string]any, opts []TaskOption) ([]*sergeantpb.Task, error) {
	return buildTasks(op, queue, many, collectOptions(opts))
}

func TestBuildPush(t *testing.T) {
	tasks, err := buildPush("PushMany", "q", []map[string]any{{"n": 1}, {"n": 2}, {"n": 3}}, []TaskOption{WithPriority(PriorityHigh)})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, task := range tasks {
		ids[task.GetId()] = true
		if task.GetPriority() != sergeantpb.Priority_PRIORITY_HIGH {
			t.Fatal("option not applied to every task")
		}
	}
	if len(tasks) != 3 || len(ids) != 3 {
		t.Fatalf("want 3 tasks with distinct ids, got %v", tasks)
	}
	if _, err := buildPush("PushMany", "q", nil, nil); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("empty batch: %v", err)
	}
	if _, err := buildPush("PushMany", "q", []map[string]any{{}, {}}, []TaskOption{WithTaskID("x")}); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("one id for a batch: %v", err)
	}
	if _, err := buildPush("PushMany", "q", []map[string]any{{}, {}}, []TaskOption{WithTaskIDs([]string{"a"})}); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("one id short: %v", err)
	}
	if _, err := buildPush("PushMany", "q", []map[string]any{{}, {}}, []TaskOption{WithTaskIDs([]string{"a", "b c"})}); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("a bad id: %v", err)
	}
	if _, err := buildPush("Push", "q", []map[string]any{{}}, []TaskOption{WithTaskID("x")}); err != nil {
		t.Fatalf("one id for one task: %v", err)
	}
}
