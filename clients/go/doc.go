// Package sergeant is the Go client of Sergeant, a task queue with a gRPC gateway: push tasks from Go and
// await their results, whichever language the workers are written in.
//
//	client, err := sergeant.Dial(ctx, "127.0.0.1:50051", sergeant.WithToken(token))
//	if err != nil { ... }
//	defer client.Close()
//
//	id, err := client.Push(ctx, "emails", map[string]any{"to": "a@example.com"})
//
//	sub, err := client.Submit(ctx, "resize", map[string]any{"path": "a.png", "width": 640})
//	for ev := range sub.Events() { fmt.Println(ev.Kind, ev.Progress) }
//	result, err := sub.Result(ctx)
//
// Task kwargs travel as msgpack (see Marshal and Unmarshal for the mapping of Go values). Every task gets a
// client-made id, so the retries that the client makes while the gateway answers UNAVAILABLE never store a
// task twice.
//
// Errors: a call that fails returns an *Error carrying the gRPC status code (status.Code(err) reads it); a
// task that ends dead or cancelled makes Result return a *TaskFailedError with the worker's error type and
// message.
//
// The generated gRPC stubs are in the sergeantpb package, for the Operations service and anything this
// wrapper leaves out.
package sergeant
