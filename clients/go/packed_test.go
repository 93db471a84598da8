package sergeant

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"

	"github.com/sergeant-queue/sergeant/clients/go/sergeantpb"
)

// unpack decodes PackedTasks.tasks with the msgpack library alone, as the gateway would.
func unpack(t *testing.T, packed []byte) [][]any {
	t.Helper()
	var rows [][]any
	if err := msgpack.Unmarshal(packed, &rows); err != nil {
		t.Fatalf("packed tasks do not decode: %v", err)
	}
	return rows
}

// pushPacked answers a packed push as the gateway does: the count, and the duplicates with the first id.
func (f *fakeProducer) pushPacked(p *sergeantpb.PackedTasks) (*sergeantpb.PushResponse, error) {
	f.mu.Lock()
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	f.mu.Unlock()
	time.Sleep(20 * time.Millisecond) // hold the call, so concurrent batches overlap
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inFlight--
	var rows [][]any
	if err := msgpack.Unmarshal(p.GetTasks(), &rows); err != nil || p.GetVersion() != 1 {
		return nil, fmt.Errorf("bad packed batch: %v (version %d)", err, p.GetVersion())
	}
	if f.stored == nil {
		f.stored = map[string]bool{}
	}
	resp := &sergeantpb.PushResponse{Count: uint32(len(rows))}
	for i, row := range rows {
		id := row[0].(string)
		if f.stored[id] {
			resp.Duplicates = append(resp.Duplicates, &sergeantpb.DuplicateTask{Index: uint32(i), Id: id})
		}
		f.stored[id] = true
	}
	return resp, nil
}

func TestPackTasksFormat(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	o := collectOptions(nil)
	plain, err := buildTask("PushMany", "q", map[string]any{"b": []byte{0, 255}, "n": int64(-1) << 63}, o)
	if err != nil {
		t.Fatal(err)
	}
	o = collectOptions([]TaskOption{WithPriority(PriorityHigh), WithDelay(time.Minute), WithIdempotencyKey("k")})
	o.now = func() time.Time { return now }
	full, err := buildTask("PushMany", "q", map[string]any{}, o)
	if err != nil {
		t.Fatal(err)
	}
	zipped := &sergeantpb.Task{Id: "z", Kwargs: []byte{1, 2}, Serializer: sergeantpb.Serializer_SERIALIZER_MSGPACK, Compressor: sergeantpb.Compressor_COMPRESSOR_ZLIB}
	packed, err := packTasks([]*sergeantpb.Task{plain, full, zipped})
	if err != nil {
		t.Fatal(err)
	}
	rows := unpack(t, packed)
	want := [][]any{
		{plain.Id, map[string]any{"b": []byte{0, 255}, "n": int64(-1) << 63}},
		{full.Id, map[string]any{}, 2, float64(1_700_000_060), nil, nil, "k"},
		{"z", []byte{1, 2}, nil, nil, nil, nil, nil, nil, 1, 2},
	}
	// msgpack decodes compact ints to the smallest Go type; compare the values, not the widths.
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Fatalf("packed\n got %#v\nwant %#v", rows, want)
	}
	// kwargs travel as the map itself, byte for byte what Marshal made, not wrapped in bin.
	if !bytes.Contains(packed, plain.Kwargs) || !msgpcode.IsFixedMap(plain.Kwargs[0]) {
		t.Fatal("kwargs are not embedded as a msgpack map")
	}
}

func TestPushManyPackedBatchesDuplicatesInFlight(t *testing.T) {
	f := &fakeProducer{}
	client := startFake(t, f)
	ctx := context.Background()
	first, err := client.PushMany(ctx, "q", []map[string]any{{"n": 0}}, WithTaskIDs([]string{"a"}))
	if err != nil || !reflect.DeepEqual(first, []string{"a"}) {
		t.Fatalf("%v %v", first, err)
	}
	many := make([]map[string]any, 2500)
	ids := make([]string, len(many))
	for i := range many {
		many[i] = map[string]any{"n": i}
		ids[i] = fmt.Sprintf("t%d", i)
	}
	ids[1700] = "a" // pushed before: its id comes back as the first push's
	got, err := client.PushMany(ctx, "q", many, WithTaskIDs(ids), WithBatchSize(1000), WithResults())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ids) {
		t.Fatal("ids not in order")
	}
	if len(f.pushes) != 4 || f.maxInFlight < 2 || f.maxInFlight > pushesInFlight {
		t.Fatalf("%d calls, %d in flight at most", len(f.pushes), f.maxInFlight)
	}
	sizes := map[int]bool{}
	for _, p := range f.pushes[1:] {
		if !p.GetPacked().GetWantResults() || p.GetPacked().GetQueue() != "q" || len(p.GetTasks()) != 0 {
			t.Fatalf("bad request %v", p)
		}
		sizes[len(unpack(t, p.GetPacked().GetTasks()))] = true
	}
	if !reflect.DeepEqual(sizes, map[int]bool{1000: true, 500: true}) {
		t.Fatalf("batch sizes %v", sizes)
	}
}
