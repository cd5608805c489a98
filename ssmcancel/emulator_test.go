package ssmcancel_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ssmkit/ssmcancel/internal/leakcheck"
	"github.com/ssmkit/ssmcancel/ssmcancel"
	"github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }

// fixture is an emulator with a client for it.
type fixture struct {
	server *ssmcanceltest.Server
	clock  *ssmcanceltest.FakeClock // nil on the real clock
	api    *ssm.Client

	// calls counts the calls of the Clients that client returns. Tests
	// count calls here rather than on the server, which also receives the
	// SDK's own retries, such as that of a read that failed on a closed
	// keep-alive connection.
	calls *countingAPI
}

// noBackoff makes the SDK retry at once, so tests of retried faults do not
// wait for real time to pass.
func noBackoff(o *ssm.Options) {
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
		so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

// newFakeTime starts an emulator on a fake clock. Client options that the
// test adds run after the clock is set.
func newFakeTime(t *testing.T, serverOpts ...func(*ssmcanceltest.Options)) *fixture {
	t.Helper()
	clock := ssmcanceltest.NewFakeClock(time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC))
	opts := append([]func(*ssmcanceltest.Options){func(o *ssmcanceltest.Options) {
		o.Clock = clock
		o.PendingDuration = time.Second
		o.RunDuration = time.Minute
		o.CancelDelay = 2 * time.Second
	}}, serverOpts...)
	server := ssmcanceltest.NewServer(opts...)
	t.Cleanup(server.Close)
	api := server.Client(noBackoff)
	return &fixture{server: server, clock: clock, api: api, calls: &countingAPI{API: api}}
}

// newRealTime starts an emulator on the system clock with short durations.
func newRealTime(t *testing.T) *fixture {
	t.Helper()
	server := ssmcanceltest.NewServer(func(o *ssmcanceltest.Options) {
		o.PendingDuration = 10 * time.Millisecond
		o.RunDuration = 10 * time.Second
		o.CancelDelay = 20 * time.Millisecond
	})
	t.Cleanup(server.Close)
	api := server.Client(noBackoff)
	return &fixture{server: server, api: api, calls: &countingAPI{API: api}}
}

// client returns a Client for the fixture that sleeps on its clock.
func (f *fixture) client(optFns ...func(*ssmcancel.Options)) *ssmcancel.Client {
	base := func(o *ssmcancel.Options) {
		if f.clock != nil {
			o.Clock = f.clock
		}
	}
	return ssmcancel.New(f.calls, append([]func(*ssmcancel.Options){base}, optFns...)...)
}

// seed creates a command on the given nodes.
func (f *fixture) seed(t *testing.T, instanceIDs ...string) string {
	t.Helper()
	id, err := f.server.SeedCommand("AWS-RunShellScript", instanceIDs...)
	if err != nil {
		t.Fatalf("SeedCommand(%d nodes) = %v", len(instanceIDs), err)
	}
	return id
}

// cancelCalls returns the InstanceIds of each CancelCommand call that the
// fixture's Clients made, in order.
func (f *fixture) cancelCalls() [][]string { return f.calls.cancelBatches() }

// countingClock counts the pauses of a wait, which are its rounds less
// one, and ends the wait with context.DeadlineExceeded once the virtual
// time passes limit.
type countingClock struct {
	*ssmcanceltest.FakeClock
	start time.Time
	limit time.Duration

	mu     sync.Mutex
	sleeps int
}

func newCountingClock(clock *ssmcanceltest.FakeClock, limit time.Duration) *countingClock {
	return &countingClock{FakeClock: clock, start: clock.Now(), limit: limit}
}

func (c *countingClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps++
	c.mu.Unlock()
	if err := c.FakeClock.Sleep(ctx, d); err != nil {
		return err
	}
	if c.limit > 0 && c.Now().Sub(c.start) > c.limit {
		return context.DeadlineExceeded
	}
	return nil
}

func (c *countingClock) rounds() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sleeps + 1
}

// slowReply delays a reply far beyond the timeouts of the tests.
func slowReply() ssmcanceltest.Fault { return ssmcanceltest.SlowReply(10 * time.Second) }
