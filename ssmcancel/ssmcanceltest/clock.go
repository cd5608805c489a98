package ssmcanceltest

import (
	"context"
	"sync"
	"time"
)

// Clock is the source of time for the invocation lifecycle, the rate limits
// and the timestamps in responses.
type Clock interface {
	Now() time.Time
}

// realClock reads the system clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// FakeClock is a [Clock] that moves only when a test advances it. A client
// library that sleeps through [FakeClock.Sleep] runs in virtual time.
// A FakeClock is safe for concurrent use.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a FakeClock that reads start until it is advanced.
func NewFakeClock(start time.Time) *FakeClock {
	return &FakeClock{now: start}
}

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()

	return c.now
}

// Advance moves the clock forward by d. A negative d is ignored, because a
// clock that runs backwards would let invocations leave terminal states.
func (c *FakeClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}

	c.mu.Lock()
	defer c.mu.Unlock()

	c.now = c.now.Add(d)
}

// Sleep advances the clock by d at once and returns ctx.Err(). When ctx is
// already done it returns ctx.Err() without advancing, like a real sleep that
// is cut short before any time passes.
func (c *FakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}

	c.Advance(d)

	return ctx.Err()
}
