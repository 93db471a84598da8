package sergeant

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"

	"github.com/sergeant-queue/sergeant/clients/go/sergeantpb"
)

// Version of this client, sent in the user agent.
const Version = "0.1.0"

// Option configures a Client.
type Option func(*config) error

type config struct {
	token           string
	tls             *tls.Config
	timeout         time.Duration
	retries         int
	maxMessageBytes int
	block           bool
	roundRobin      bool
	dialOptions     []grpc.DialOption
}

// WithToken authenticates every call with the metadata "authorization: Bearer <token>".
func WithToken(token string) Option {
	return func(c *config) error { c.token = token; return nil }
}

// WithTLS connects over TLS. A nil config verifies the gateway against the system's root certificates.
func WithTLS(cfg *tls.Config) Option {
	return func(c *config) error {
		if cfg == nil {
			cfg = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		c.tls = cfg
		return nil
	}
}

// WithRootCA connects over TLS, verifying the gateway against these PEM certificates (e.g. a private CA's).
func WithRootCA(pem []byte) Option {
	return func(c *config) error {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return errors.New("sergeant: WithRootCA: no certificate in the PEM data")
		}
		c.tls = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}
		return nil
	}
}

// WithTimeout is the deadline of Push, PushMany, Get and Cancel when their context has none (default 30s;
// 0: none). Submit and Watch follow tasks for as long as their context allows.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error { c.timeout = d; return nil }
}

// WithRetries sets how many times in all a call is tried while the gateway answers UNAVAILABLE (default 5,
// with exponential backoff from 0.1s to 2s; 1: no retry). Retries stay inside the call's deadline: when the
// next one could not finish in time, the call returns the last UNAVAILABLE (see retry.go). Tasks carry
// client-made ids, so a retried push never stores a task twice.
func WithRetries(attempts int) Option {
	return func(c *config) error {
		if attempts < 1 {
			return fmt.Errorf("sergeant: WithRetries(%d): at least 1", attempts)
		}
		c.retries = attempts
		return nil
	}
}

// WithMaxMessageBytes bounds the size of one request or response (default 16 MiB).
func WithMaxMessageBytes(n int) Option {
	return func(c *config) error { c.maxMessageBytes = n; return nil }
}

// WithBlock makes Dial wait until the connection is ready (or its context ends) instead of connecting lazily.
func WithBlock() Option {
	return func(c *config) error { c.block = true; return nil }
}

// WithRoundRobin spreads calls over every address the target resolves to, one connection to each, instead of
// gRPC's default of sending all of them to the first that answers: for several gateways behind one name
// ("dns:///gateways.internal:50051"). A comma-separated list of addresses given to Dial goes round robin anyway.
func WithRoundRobin() Option {
	return func(c *config) error { c.roundRobin = true; return nil }
}

// WithDialOptions passes options through to grpc.NewClient (interceptors, a custom dialer, keepalive...).
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(c *config) error { c.dialOptions = append(c.dialOptions, opts...); return nil }
}

// roundRobinConfig sends calls to every resolved address in turn. There is no retry policy in it: gRPC's ends a
// call DEADLINE_EXCEEDED past the deadline, hiding the UNAVAILABLE; the retry interceptors retry instead.
const roundRobinConfig = `{"loadBalancingConfig": [{"round_robin": {}}]}`

// gatewayList resolves "host:port,host:port" to those addresses, as they are: several gateways, called in turn.
func gatewayList(addr string) (string, grpc.DialOption) {
	builder := manual.NewBuilderWithScheme("sergeant-gateways")
	var state resolver.State
	for _, a := range strings.Split(addr, ",") {
		state.Addresses = append(state.Addresses, resolver.Address{Addr: strings.TrimSpace(a)})
	}
	builder.InitialState(state)
	return builder.Scheme() + ":///gateways", grpc.WithResolvers(builder)
}

type bearer struct {
	header string
	secure bool
}

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": b.header}, nil
}

func (b bearer) RequireTransportSecurity() bool { return b.secure }

// Client calls a Sergeant gateway's Producer service. It is safe for concurrent use; Close it when done.
type Client struct {
	conn    *grpc.ClientConn
	stub    sergeantpb.ProducerClient
	timeout time.Duration
}

// Dial connects to a gateway at addr ("host:port", or any gRPC target such as "dns:///name:port"), or to
// several gateways at "host:port,host:port", called in turn (see WithRoundRobin). Without WithBlock it returns
// at once and connects on the first call; ctx bounds the wait that WithBlock asks for.
func Dial(ctx context.Context, addr string, opts ...Option) (*Client, error) {
	cfg := config{timeout: 30 * time.Second, retries: 5, maxMessageBytes: 16 << 20}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	target := addr
	dial := []grpc.DialOption{
		// Not gRPC's retry policy: past the deadline it ends a call DEADLINE_EXCEEDED, hiding the UNAVAILABLE.
		grpc.WithChainUnaryInterceptor(retryUnary(cfg.retries)),
		grpc.WithChainStreamInterceptor(retryStream(cfg.retries)),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(cfg.maxMessageBytes), grpc.MaxCallSendMsgSize(cfg.maxMessageBytes)),
		grpc.WithUserAgent("sergeant-go/" + Version),
	}
	if strings.Contains(addr, ",") {
		var resolve grpc.DialOption
		target, resolve = gatewayList(addr)
		dial = append(dial, resolve)
		cfg.roundRobin = true
	}
	if cfg.roundRobin {
		dial = append(dial, grpc.WithDefaultServiceConfig(roundRobinConfig))
	}
	if cfg.tls != nil {
		dial = append(dial, grpc.WithTransportCredentials(credentials.NewTLS(cfg.tls)))
	} else {
		dial = append(dial, grpc.WithTransportCredentials(insecure.NewCredentials()))
	}
	if cfg.token != "" {
		dial = append(dial, grpc.WithPerRPCCredentials(bearer{header: "Bearer " + cfg.token, secure: cfg.tls != nil}))
	}
	dial = append(dial, cfg.dialOptions...)
	conn, err := grpc.NewClient(target, dial...)
	if err != nil {
		return nil, fmt.Errorf("sergeant: dial %s: %w", addr, err)
	}
	if cfg.block {
		conn.Connect()
		for state := conn.GetState(); state != connectivity.Ready; state = conn.GetState() {
			if !conn.WaitForStateChange(ctx, state) {
				conn.Close()
				return nil, rpcError("Dial", ctx.Err())
			}
		}
	}
	return &Client{conn: conn, stub: sergeantpb.NewProducerClient(conn), timeout: cfg.timeout}, nil
}

// Conn is the underlying connection, e.g. for sergeantpb.NewOperationsClient.
func (c *Client) Conn() *grpc.ClientConn { return c.conn }

// Close closes the connection; streams in progress end with codes.Canceled.
func (c *Client) Close() error { return c.conn.Close() }

func (c *Client) unaryContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok || c.timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.timeout)
}

// Push pushes one task and returns its id (the first task's id when an idempotency key matched).
func (c *Client) Push(ctx context.Context, queue string, kwargs map[string]any, opts ...TaskOption) (string, error) {
	ids, err := c.push(ctx, "Push", queue, []map[string]any{kwargs}, opts)
	if err != nil {
		return "", err
	}
	return ids[0], nil
}

// PushMany pushes a batch in the packed form and returns the ids in order; a task that matched an earlier push
// (same id, or same idempotency key) gets that task's id. Batches beyond WithBatchSize (1,000) go as several
// calls, three in flight; each call is stored atomically. WithTaskIDs names the tasks, WithResults keeps their
// results; the other options apply to every task.
func (c *Client) PushMany(ctx context.Context, queue string, many []map[string]any, opts ...TaskOption) ([]string, error) {
	o := collectOptions(opts)
	tasks, err := buildTasks("PushMany", queue, many, o)
	if err != nil {
		return nil, err
	}
	return c.pushBatches(ctx, queue, tasks, o.batchSize, o.wantResult)
}

func (c *Client) push(ctx context.Context, op, queue string, many []map[string]any, opts []TaskOption) ([]string, error) {
	tasks, err := buildTasks(op, queue, many, collectOptions(opts))
	if err != nil {
		return nil, err
	}
	req := &sergeantpb.PushRequest{Tasks: tasks}
	ctx, cancel := c.unaryContext(ctx)
	defer cancel()
	resp, err := c.stub.Push(ctx, req)
	if err != nil {
		return nil, rpcError(op, err)
	}
	ids := make([]string, len(resp.GetTasks()))
	for i, t := range resp.GetTasks() {
		ids[i] = t.GetId()
	}
	if len(ids) != len(req.Tasks) {
		return ids, &Error{Op: op, Code: codes.Internal, Message: fmt.Sprintf("pushed %d tasks, the gateway answered for %d", len(req.Tasks), len(ids))}
	}
	return ids, nil
}

// Get returns a task's state, and its result or error once it has finished.
func (c *Client) Get(ctx context.Context, queue, taskID string) (*TaskStatus, error) {
	ctx, cancel := c.unaryContext(ctx)
	defer cancel()
	resp, err := c.stub.GetTask(ctx, &sergeantpb.GetTaskRequest{Queue: queue, TaskId: taskID})
	if err != nil {
		return nil, rpcError("GetTask", err)
	}
	return statusFromPB(queue, taskID, resp)
}

// Cancel cancels a task: a queued one never runs (CancelCancelled); a running one's worker is told to stop it
// (CancelRunning); a finished one is left as it is (CancelFinished).
func (c *Client) Cancel(ctx context.Context, queue, taskID string) (CancelOutcome, error) {
	ctx, cancel := c.unaryContext(ctx)
	defer cancel()
	resp, err := c.stub.Cancel(ctx, &sergeantpb.CancelRequest{Queue: queue, TaskId: taskID})
	if err != nil {
		return "", rpcError("Cancel", err)
	}
	return outcomeFromPB(resp.GetOutcome()), nil
}

// WatchOption configures Watch.
type WatchOption func(*sergeantpb.WatchRequest)

// WithProgressEvents also streams EventProgress events.
func WithProgressEvents() WatchOption {
	return func(r *sergeantpb.WatchRequest) { r.Progress = true }
}

// Watch streams the events of these tasks until every one is terminal (a task that finished before the call
// yields its terminal event at once); with no ids it streams every event of the queue until ctx ends.
// Range over it; an error ends the sequence. Breaking out of the loop ends the stream.
//
//	for ev, err := range client.Watch(ctx, "emails", ids) {
//		if err != nil { return err }
//		fmt.Println(ev.TaskID, ev.Kind)
//	}
func (c *Client) Watch(ctx context.Context, queue string, taskIDs []string, opts ...WatchOption) iter.Seq2[Event, error] {
	req := &sergeantpb.WatchRequest{Queue: queue, TaskIds: taskIDs}
	for _, opt := range opts {
		opt(req)
	}
	return func(yield func(Event, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stream, err := c.stub.Watch(ctx, req)
		if err != nil {
			yield(Event{}, rpcError("Watch", err))
			return
		}
		for {
			m, err := stream.Recv()
			if err != nil {
				if isEOF(err) && len(taskIDs) > 0 {
					return // every task is terminal
				}
				yield(Event{}, rpcError("Watch", err))
				return
			}
			ev, err := eventFromPB(m)
			if !yield(ev, err) || err != nil {
				return
			}
		}
	}
}
