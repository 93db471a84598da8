package sergeant

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"time"

	"github.com/sergeant-queue/sergeant/clients/go/sergeantpb"
)

var (
	queueNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
	taskIDPattern    = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)
)

// NewTaskID returns a fresh task id: 14 hex digits of the time in microseconds (so ids sort by creation, as the
// Python client's do) and 16 random hex digits. The client gives every task such an id before pushing it, so a
// push retried after UNAVAILABLE can never store the task twice.
func NewTaskID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return fmt.Sprintf("%014x%s", time.Now().UnixMicro(), hex.EncodeToString(b[:]))
}

// TaskOption sets an option of the tasks that Push, PushMany and Submit send.
type TaskOption func(*taskOptions)

type taskOptions struct {
	taskID         string
	priority       Priority
	delay          time.Duration
	maxAttempts    int
	timeout        time.Duration
	idempotencyKey string
	traceID        string
	taskIDs        []string // PushMany: the caller's ids, one per task
	wantResult     bool
	batchSize      int
	now            func() time.Time // for tests
}

// WithTaskID pushes the task under this id (1-128 of [A-Za-z0-9._:-]) instead of a generated one.
// A live task's id is stored only once: pushing it again returns the same id without a second task.
func WithTaskID(id string) TaskOption { return func(o *taskOptions) { o.taskID = id } }

// WithTaskIDs gives PushMany the caller's own ids, one per task and in order (each as WithTaskID checks it).
func WithTaskIDs(ids []string) TaskOption { return func(o *taskOptions) { o.taskIDs = ids } }

// WithResults asks the gateway to keep each task's result and per-task state, so that Get, Watch and Cancel can
// address it (docs/protocol.md says what they answer for a task that wants none). Submit always keeps it; Push and
// PushMany keep none unless asked, which is the cheap path.
func WithResults() TaskOption { return func(o *taskOptions) { o.wantResult = true } }

// WithBatchSize sets how many tasks PushMany sends in one call (default DefaultBatchSize, at most the gateway's
// --max-batch). A larger PushMany goes as several calls, a few in flight at once; each call is stored atomically.
func WithBatchSize(n int) TaskOption { return func(o *taskOptions) { o.batchSize = n } }

// WithPriority sets PriorityNormal (the default) or PriorityHigh.
func WithPriority(p Priority) TaskOption { return func(o *taskOptions) { o.priority = p } }

// WithDelay makes the task wait this long before a worker may take it (not_before = now + d).
func WithDelay(d time.Duration) TaskOption { return func(o *taskOptions) { o.delay = d } }

// WithMaxAttempts sets after how many failed attempts the task dies (0: the gateway's default, 5).
func WithMaxAttempts(n int) TaskOption { return func(o *taskOptions) { o.maxAttempts = n } }

// WithTaskTimeout bounds one attempt's run time on the worker (0: the worker's configured timeout).
func WithTaskTimeout(d time.Duration) TaskOption { return func(o *taskOptions) { o.timeout = d } }

// WithIdempotencyKey makes a second push with the same key (within the gateway's window) return the first
// task's id instead of storing another task.
func WithIdempotencyKey(key string) TaskOption {
	return func(o *taskOptions) { o.idempotencyKey = key }
}

// WithTraceID attaches a trace id that workers log and propagate.
func WithTraceID(id string) TaskOption { return func(o *taskOptions) { o.traceID = id } }

func collectOptions(opts []TaskOption) *taskOptions {
	o := &taskOptions{priority: PriorityNormal, batchSize: DefaultBatchSize, now: time.Now}
	for _, opt := range opts {
		if opt != nil {
			opt(o)
		}
	}
	return o
}

// buildTask makes the Task message for one push: kwargs encoded as msgpack, options checked, an id assigned.
func buildTask(op, queue string, kwargs map[string]any, o *taskOptions) (*sergeantpb.Task, error) {
	if !queueNamePattern.MatchString(queue) {
		return nil, invalidArgument(op, "invalid queue name %q: use 1-128 of [A-Za-z0-9._-], starting with a letter or digit", queue)
	}
	var priority sergeantpb.Priority
	switch o.priority {
	case PriorityNormal, "":
		priority = sergeantpb.Priority_PRIORITY_NORMAL
	case PriorityHigh:
		priority = sergeantpb.Priority_PRIORITY_HIGH
	default:
		return nil, invalidArgument(op, "priority must be %q or %q, got %q", PriorityNormal, PriorityHigh, o.priority)
	}
	if o.maxAttempts < 0 || int64(o.maxAttempts) > int64(^uint32(0)) {
		return nil, invalidArgument(op, "max attempts must be 0..%d, got %d", ^uint32(0), o.maxAttempts)
	}
	if o.timeout < 0 {
		return nil, invalidArgument(op, "the task timeout must not be negative, got %s", o.timeout)
	}
	if o.delay < 0 {
		return nil, invalidArgument(op, "the delay must not be negative, got %s", o.delay)
	}
	id := o.taskID
	if id == "" {
		id = NewTaskID()
	} else if !taskIDPattern.MatchString(id) {
		return nil, invalidArgument(op, "invalid task id %q: use 1-128 of [A-Za-z0-9._:-]", id)
	}
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	encoded, err := Marshal(kwargs)
	if err != nil {
		return nil, invalidArgument(op, "kwargs do not encode as msgpack: %v", err)
	}
	task := &sergeantpb.Task{
		Id:             id,
		Queue:          queue,
		Kwargs:         encoded,
		Serializer:     sergeantpb.Serializer_SERIALIZER_MSGPACK,
		Compressor:     sergeantpb.Compressor_COMPRESSOR_NONE,
		Priority:       priority,
		MaxAttempts:    uint32(o.maxAttempts),
		TimeoutS:       o.timeout.Seconds(),
		IdempotencyKey: o.idempotencyKey,
		TraceId:        o.traceID,
		WantResult:     o.wantResult,
	}
	if o.delay > 0 {
		task.NotBeforeUnixS = unixSeconds(o.now().Add(o.delay))
	}
	return task, nil
}

// buildTasks makes the Task messages of a batch; every task gets its own id (the caller's, or a new one).
func buildTasks(op, queue string, many []map[string]any, o *taskOptions) ([]*sergeantpb.Task, error) {
	if len(many) == 0 {
		return nil, invalidArgument(op, "a push needs at least one task")
	}
	if o.taskID != "" && len(many) > 1 {
		return nil, invalidArgument(op, "WithTaskID names one task; give a batch of %d its ids with WithTaskIDs", len(many))
	}
	if o.taskIDs != nil && len(o.taskIDs) != len(many) {
		return nil, invalidArgument(op, "WithTaskIDs gave %d ids for %d tasks", len(o.taskIDs), len(many))
	}
	if o.batchSize < 1 {
		return nil, invalidArgument(op, "the batch size must be at least 1, got %d", o.batchSize)
	}
	tasks := make([]*sergeantpb.Task, 0, len(many))
	for i, kwargs := range many {
		if o.taskIDs != nil {
			o.taskID = o.taskIDs[i]
			if o.taskID == "" {
				return nil, invalidArgument(op, "WithTaskIDs: task %d has an empty id", i)
			}
		}
		task, err := buildTask(op, queue, kwargs, o)
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, task)
	}
	return tasks, nil
}
