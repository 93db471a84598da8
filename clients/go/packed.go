package sergeant

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"github.com/vmihailenco/msgpack/v5"
	"google.golang.org/grpc/codes"

	"github.com/sergeant-queue/sergeant/clients/go/sergeantpb"
)

// PushMany's defaults: the gateway's batch limit is 10,000; batches of 1,000 with three in flight keep both the
// client and the gateway busy (docs/protocol.md, "The packed batch").
const (
	DefaultBatchSize = 1000
	pushesInFlight   = 3
	packedVersion    = 1
)

// packTasks encodes tasks as PackedTasks.tasks, version 1: a msgpack array of
// [id, kwargs, priority, not_before_unix_s, max_attempts, timeout_s, idempotency_key, trace_id, serializer,
// compressor]: a default is nil, and each array ends at its last field that is not the default. kwargs travel as the msgpack map itself
// when they are plain msgpack, as bin otherwise.
func packTasks(tasks []*sergeantpb.Task) ([]byte, error) {
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	enc.UseCompactInts(true)
	if err := enc.EncodeArrayLen(len(tasks)); err != nil {
		return nil, err
	}
	for _, t := range tasks {
		var kwargs any = msgpack.RawMessage(t.Kwargs)
		plain := t.Serializer <= sergeantpb.Serializer_SERIALIZER_MSGPACK && t.Compressor <= sergeantpb.Compressor_COMPRESSOR_NONE
		if !plain {
			kwargs = t.Kwargs
		}
		priority := int32(t.Priority)
		if t.Priority == sergeantpb.Priority_PRIORITY_NORMAL {
			priority = 0
		}
		fields := []any{t.Id, kwargs, priority, t.NotBeforeUnixS, t.MaxAttempts, t.TimeoutS, t.IdempotencyKey, t.TraceId, int32(0), int32(0)}
		if !plain {
			fields[8], fields[9] = int32(t.Serializer), int32(t.Compressor)
		}
		n := 2
		for i := 2; i < len(fields); i++ {
			if isDefault(fields[i]) {
				fields[i] = nil
			} else {
				n = i + 1
			}
		}
		if err := enc.EncodeArrayLen(n); err != nil {
			return nil, err
		}
		for _, f := range fields[:n] {
			if err := enc.Encode(f); err != nil {
				return nil, err
			}
		}
	}
	return buf.Bytes(), nil
}

func isDefault(v any) bool {
	switch x := v.(type) {
	case int32:
		return x == 0
	case uint32:
		return x == 0
	case float64:
		return x == 0
	case string:
		return x == ""
	}
	return false
}

// pushPacked sends one packed batch and returns its ids in order, each duplicate's id replaced by the id of the
// task pushed first.
func (c *Client) pushPacked(ctx context.Context, queue string, tasks []*sergeantpb.Task, wantResults bool) ([]string, error) {
	const op = "PushMany"
	packed, err := packTasks(tasks)
	if err != nil {
		return nil, invalidArgument(op, "the batch does not encode as msgpack: %v", err)
	}
	req := &sergeantpb.PushRequest{Packed: &sergeantpb.PackedTasks{
		Version: packedVersion, Queue: queue, Tasks: packed, WantResults: wantResults,
	}}
	ctx, cancel := c.unaryContext(ctx)
	defer cancel()
	resp, err := c.stub.Push(ctx, req)
	if err != nil {
		return nil, rpcError(op, err)
	}
	return idsFromPacked(op, tasks, resp)
}

func idsFromPacked(op string, tasks []*sergeantpb.Task, resp *sergeantpb.PushResponse) ([]string, error) {
	if int(resp.GetCount()) != len(tasks) {
		return nil, &Error{Op: op, Code: codes.Internal, Message: fmt.Sprintf("pushed %d tasks, the gateway counted %d", len(tasks), resp.GetCount())}
	}
	ids := make([]string, len(tasks))
	for i, t := range tasks {
		ids[i] = t.Id
	}
	for _, d := range resp.GetDuplicates() {
		if int(d.GetIndex()) >= len(ids) {
			return nil, &Error{Op: op, Code: codes.Internal, Message: fmt.Sprintf("the gateway named duplicate %d in a batch of %d", d.GetIndex(), len(ids))}
		}
		ids[d.GetIndex()] = d.GetId()
	}
	return ids, nil
}

// pushBatches pushes tasks in batches of size, a few at a time, and returns every id in order. The first
// failure cancels the batches not yet answered; batches already stored stay stored.
func (c *Client) pushBatches(ctx context.Context, queue string, tasks []*sergeantpb.Task, size int, wantResults bool) ([]string, error) {
	if len(tasks) <= size {
		return c.pushPacked(ctx, queue, tasks, wantResults)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ids := make([]string, len(tasks))
	slots := make(chan struct{}, pushesInFlight)
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for start := 0; start < len(tasks) && ctx.Err() == nil; start += size {
		end := min(start+size, len(tasks))
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			got, err := c.pushPacked(ctx, queue, tasks[start:end], wantResults)
			if err != nil {
				once.Do(func() { firstErr = err; cancel() })
				return
			}
			copy(ids[start:end], got)
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, rpcError("PushMany", err)
	}
	return ids, nil
}
