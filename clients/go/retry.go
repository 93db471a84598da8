package sergeant

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Retries of calls that fail UNAVAILABLE, inside the caller's deadline. A call is tried up to WithRetries times
// with exponential backoff (0.1s doubling to 2s, with jitter), each attempt under the call's own context. Another
// attempt starts only if its pause plus as long as the last attempt took still fits before the deadline; otherwise
// the call returns the error it has (UNAVAILABLE with the gateway's message, e.g. naming the store), never the
// DEADLINE_EXCEEDED that a retry cut short would end with. Server streams (Submit, Watch) are opened again only
// while they fail before their first message. A retried push is safe: its tasks carry client-made ids.
var (
	retryFirstPause = 100 * time.Millisecond
	retryMaxPause   = 2 * time.Second
)

// attempts are those of one call: start before each, next after each failure.
type attempts struct {
	limit, made int
	begun       time.Time // when the current attempt started
	failure     error     // the last failure worth reporting
}

func newAttempts(limit int) *attempts {
	return &attempts{limit: limit}
}

func (a *attempts) start() {
	a.made++
	a.begun = time.Now()
}

// next is the pause before the next attempt, or the error the call ends with.
func (a *attempts) next(ctx context.Context, err error) (time.Duration, error) {
	code := status.Code(err)
	if code == codes.DeadlineExceeded && a.failure != nil {
		return 0, a.failure // the deadline cut a retry short: the failure before it stands
	}
	if code != codes.Unavailable || a.made >= a.limit || ctx.Err() != nil {
		return 0, err
	}
	a.failure = err
	ceiling := min(retryFirstPause<<(a.made-1), retryMaxPause)
	pause := time.Duration(float64(ceiling) * (0.5 + rand.Float64()/2))
	if deadline, ok := ctx.Deadline(); ok && time.Now().Add(pause+time.Since(a.begun)).After(deadline) {
		return 0, err
	}
	return pause, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return status.FromContextError(ctx.Err()).Err()
	}
}

func retryUnary(limit int) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		a := newAttempts(limit)
		for {
			a.start()
			err := invoker(ctx, method, req, reply, cc, opts...)
			if err == nil {
				return nil
			}
			pause, final := a.next(ctx, err)
			if final != nil {
				return final
			}
			if err := sleep(ctx, pause); err != nil {
				return err
			}
		}
	}
}

func retryStream(limit int) grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		open := func() (grpc.ClientStream, error) { return streamer(ctx, desc, cc, method, opts...) }
		if desc.ClientStreams { // the client's messages are not kept for a replay
			return open()
		}
		a := newAttempts(limit)
		for {
			a.start()
			cs, err := open()
			if err == nil {
				return &retryingStream{ClientStream: cs, ctx: ctx, open: open, attempts: a}, nil
			}
			pause, final := a.next(ctx, err)
			if final != nil {
				return nil, final
			}
			if err := sleep(ctx, pause); err != nil {
				return nil, err
			}
		}
	}
}

// retryingStream is a server stream that is opened again, with its one request, while it fails before its
// first message.
type retryingStream struct {
	grpc.ClientStream
	ctx      context.Context
	open     func() (grpc.ClientStream, error)
	attempts *attempts
	request  any
	received bool
}

func (s *retryingStream) SendMsg(m any) error {
	s.request = m
	return s.ClientStream.SendMsg(m)
}

func (s *retryingStream) RecvMsg(m any) error {
	for {
		err := s.ClientStream.RecvMsg(m)
		if err == nil {
			s.received = true
			return nil
		}
		if s.received || errors.Is(err, io.EOF) {
			return err
		}
		if err := s.reopen(err); err != nil {
			return err
		}
	}
}

func (s *retryingStream) reopen(failed error) error {
	for {
		pause, final := s.attempts.next(s.ctx, failed)
		if final != nil {
			return final
		}
		if err := sleep(s.ctx, pause); err != nil {
			return err
		}
		s.attempts.start()
		cs, err := s.open()
		if err == nil {
			// A stream that fails at once answers io.EOF here; RecvMsg then reports its status.
			if err = cs.SendMsg(s.request); err == nil || errors.Is(err, io.EOF) {
				_ = cs.CloseSend()
				s.ClientStream = cs
				return nil
			}
		}
		failed = err
	}
}
