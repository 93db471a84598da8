// The Go app of .ci/packages.sh: round-trips every value through a live gateway and a Python echo worker, with the
// client module resolved through the `replace` its README gives.
package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"reflect"
	"time"

	sergeant "github.com/sergeant-queue/sergeant/clients/go"
)

func check(ok bool, format string, args ...any) {
	if !ok {
		fmt.Fprintf(os.Stderr, "go: "+format+"\n", args...)
		os.Exit(1)
	}
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	before1970 := time.Date(1969, 7, 20, 20, 17, 40, 123456000, time.UTC)
	micros := time.Date(2024, 2, 29, 23, 59, 59, 999999000, time.UTC)
	values := map[string]any{
		"text":        "nul \x00 and emoji 😀",
		"min_i64":     int64(math.MinInt64),
		"max_i64":     int64(math.MaxInt64),
		"two_63":      uint64(1) << 63,
		"max_u64":     uint64(math.MaxUint64),
		"floats":      []any{0.1, -2.5e-300, 1e300, 0.5},
		"bytes":       all,
		"nested":      map[string]any{"empty_map": map[string]any{}, "empty_list": []any{}, "deep": map[string]any{"list": []any{int64(1), map[string]any{"x": []any{nil, true, false}}}}},
		"before_1970": before1970,
		"micros":      micros,
		"null":        nil,
	}
	client, err := sergeant.Dial(ctx, os.Getenv("SERGEANT_GATEWAY"))
	check(err == nil, "dial: %v", err)
	defer client.Close()

	sub, err := client.Submit(ctx, "echo", values)
	check(err == nil, "submit: %v", err)
	result, err := sub.Result(ctx)
	check(err == nil, "result: %v", err)
	echo := result.(map[string]any)["echo"].(map[string]any)
	check(result.(map[string]any)["keys"] == int64(len(values)), "keys: %v", result)
	check(echo["text"] == values["text"], "text: %q", echo["text"])
	check(echo["min_i64"] == int64(math.MinInt64) && echo["max_i64"] == int64(math.MaxInt64), "int64: %v %v", echo["min_i64"], echo["max_i64"])
	check(echo["two_63"] == uint64(1)<<63 && echo["max_u64"] == uint64(math.MaxUint64), "uint64: %v %v", echo["two_63"], echo["max_u64"])
	check(reflect.DeepEqual(echo["floats"], values["floats"]), "floats: %v", echo["floats"])
	check(bytes.Equal(echo["bytes"].([]byte), all), "bytes: %v", echo["bytes"])
	check(reflect.DeepEqual(echo["nested"], values["nested"]), "nested: %#v", echo["nested"])
	check(echo["before_1970"].(time.Time).Equal(before1970) && echo["micros"].(time.Time).Equal(micros), "times: %v %v", echo["before_1970"], echo["micros"])
	v, ok := echo["null"]
	check(ok && v == nil, "null: %v %v", v, ok)

	ids, err := client.PushMany(ctx, "echo", []map[string]any{{"n": 0}, {"n": 1}, {"n": 2}}, sergeant.WithResults())
	check(err == nil && len(ids) == 3, "push many: %v %v", ids, err)
	got := map[string]int64{}
	for ev, err := range client.Watch(ctx, "echo", ids) {
		check(err == nil, "watch: %v", err)
		if ev.Kind == sergeant.EventSucceeded {
			got[ev.TaskID] = ev.Result.(map[string]any)["echo"].(map[string]any)["n"].(int64)
		}
	}
	for n, id := range ids {
		check(got[id] == int64(n), "push many results: %v", got)
	}
	fmt.Println("go: 2 passed, 0 failed")
}
