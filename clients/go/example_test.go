package sergeant_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	sergeant "github.com/sergeant-queue/sergeant/clients/go"
)

// The README's example. (No Output comment: it needs a live gateway, so go test compiles it but does not run it.)
func Example() {
	ctx := context.Background()
	client, err := sergeant.Dial(ctx, "127.0.0.1:50051", sergeant.WithToken(os.Getenv("SERGEANT_TOKEN")))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	if _, err := client.Push(ctx, "emails", map[string]any{"to": "ana@example.com"}, sergeant.WithDelay(time.Minute)); err != nil {
		log.Fatal(err)
	}

	sub, err := client.Submit(ctx, "echo", map[string]any{"progress": 3})
	if err != nil {
		log.Fatal(err)
	}
	for ev := range sub.Events() {
		fmt.Println(ev.Kind, ev.Progress)
	}
	result, err := sub.Result(ctx)
	var failed *sergeant.TaskFailedError
	switch {
	case errors.As(err, &failed):
		fmt.Println("the task failed:", failed.Type, failed.Message)
	case err != nil:
		log.Fatal(err) // status.Code(err) tells why
	default:
		fmt.Println(result)
	}
}

func ExampleClient_Watch() {
	ctx := context.Background()
	client, _ := sergeant.Dial(ctx, "127.0.0.1:50051")
	ids, _ := client.PushMany(ctx, "echo", []map[string]any{{"n": 1}, {"n": 2}}, sergeant.WithResults())
	for ev, err := range client.Watch(ctx, "echo", ids) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ev.TaskID, ev.Kind)
	}
}
