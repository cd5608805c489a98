package ssmcancel

import (
	"context"
	"errors"
	"slices"
	"sync"
)

// CancelAndWait cancels the command on the given nodes, or on every node
// it was sent to when none are given, and then waits as Wait does. It
// cancels through CancelAll, so it takes any number of nodes and splits a
// request that one bad node made the service reject.
//
// It returns one Invocation for each requested node, in the order given.
// A node whose cancel failed has the error in Invocation.Err and is not
// waited for. The error joins the cancel's error and the wait's; it is nil
// when both succeeded.
func (c *Client) CancelAndWait(ctx context.Context, commandID string, instanceIDs ...string) ([]Invocation, error) {
	if len(instanceIDs) == 0 {
		if err := c.Cancel(ctx, commandID); err != nil {
			return nil, err
		}
		return c.Wait(ctx, commandID)
	}

	outcomes, cancelErr := c.CancelAll(ctx, commandID, instanceIDs)
	invocations := make([]Invocation, len(outcomes))
	var accepted []string
	for i, o := range outcomes {
		invocations[i] = Invocation{InstanceID: o.InstanceID, Err: o.Err}
		if o.Err == nil {
			accepted = append(accepted, o.InstanceID)
		}
	}
	if len(accepted) == 0 {
		return invocations, cancelErr
	}

	waited, waitErr := c.Wait(ctx, commandID, accepted...)
	for i, j := 0, 0; i < len(invocations) && j < len(waited); i++ {
		if invocations[i].Err == nil {
			invocations[i] = waited[j]
			j++
		}
	}
	return invocations, errors.Join(cancelErr, waitErr)
}

// CancelOnDone arranges for the command to be cancelled on the given
// nodes, or on every node when none are given, once ctx is done: for example, when
// an automation job receives SIGINT. The cancel runs through CancelAll in
// its own goroutine with a fresh context, bounded by Options.CancelTimeout,
// and its result goes to Options.AfterCancelOnDone when that is set.
//
// Calling stop disarms the cancel, as with context.AfterFunc. stop returns
// true when it kept the cancel from being sent. When the cancel has
// already started, stop waits for it to finish and returns false, so a
// program can call stop before it exits to let the cancel reach the
// service.
func (c *Client) CancelOnDone(ctx context.Context, commandID string, instanceIDs ...string) (stop func() bool) {
	if c == nil {
		// Nothing to send through; a Client made by New is never nil.
		return func() bool { return false }
	}
	ids := slices.Clone(instanceIDs)
	done := make(chan struct{})
	stopAfter := context.AfterFunc(ctx, func() {
		defer close(done)

		cancelCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.options.CancelTimeout)
		defer cancel()
		outcomes, err := c.CancelAll(cancelCtx, commandID, ids)
		if hook := c.options.AfterCancelOnDone; hook != nil {
			hook(outcomes, err)
		}
	})

	var (
		mu       sync.Mutex
		disarmed bool
	)
	return func() bool {
		mu.Lock()
		if disarmed {
			mu.Unlock()
			return false
		}
		// Once ctx is done the cancel must go out, even if the goroutine
		// that runs it has not started yet: context.AfterFunc's stop would
		// still disarm it in that window.
		if ctx.Err() == nil && stopAfter() {
			disarmed = true
			mu.Unlock()
			return true
		}
		mu.Unlock()

		<-done
		return false
	}
}
