// Command bench measures how fast this client pushes tasks through a gateway: N tasks in batches of 1,000
// (PushMany), then N tasks one by one (Push, sequential). It prints one JSON line:
//
//	{"language": "go", "batched_per_s": ..., "single_per_s": ...}
//
// Usage (from clients/go): go run ./bench [-queue bench-go] [-token T] ADDRESS N
//
// The tasks go to a queue that no worker consumes (bench-go by default); it is purged afterwards, which
// needs the admin role when the gateway checks tokens.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	sergeant "github.com/sergeant-queue/sergeant/clients/go"
	"github.com/sergeant-queue/sergeant/clients/go/sergeantpb"
)

const batchSize = 1000

func main() {
	queue := flag.String("queue", "bench-go", "queue to push to (no worker should consume it)")
	token := flag.String("token", "", "bearer token")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: bench [-queue Q] [-token T] ADDRESS N")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 2 {
		flag.Usage()
		os.Exit(2)
	}
	n, err := strconv.Atoi(flag.Arg(1))
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "bench: N must be a positive integer")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), n, *queue, *token); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func kwargs(i int) map[string]any {
	return map[string]any{"i": i, "to": "user@example.com", "subject": "hello", "attempt_at": time.Now()}
}

func run(addr string, n int, queue, token string) error {
	ctx := context.Background()
	var opts []sergeant.Option
	if token != "" {
		opts = append(opts, sergeant.WithToken(token))
	}
	client, err := sergeant.Dial(ctx, addr, opts...)
	if err != nil {
		return err
	}
	defer client.Close()
	ops := sergeantpb.NewOperationsClient(client.Conn())
	purge := func() { _, _ = ops.PurgeQueue(ctx, &sergeantpb.PurgeQueueRequest{Queue: queue}) }
	defer purge()

	if _, err := client.Push(ctx, queue, kwargs(-1)); err != nil { // connect and warm up
		return err
	}
	purge()

	start := time.Now()
	for done := 0; done < n; done += batchSize {
		batch := make([]map[string]any, min(batchSize, n-done))
		for i := range batch {
			batch[i] = kwargs(done + i)
		}
		if _, err := client.PushMany(ctx, queue, batch); err != nil {
			return err
		}
	}
	batched := float64(n) / time.Since(start).Seconds()
	purge()

	start = time.Now()
	for i := range n {
		if _, err := client.Push(ctx, queue, kwargs(i)); err != nil {
			return err
		}
	}
	single := float64(n) / time.Since(start).Seconds()

	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"language": "go", "batched_per_s": round(batched), "single_per_s": round(single),
	})
}

func round(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }
