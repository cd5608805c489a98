package ssmcancel_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/ssmcancel"
)

// doneResult records what CancelOnDone reported through AfterCancelOnDone.
type doneResult struct {
	mu       sync.Mutex
	calls    int
	outcomes []ssmcancel.Outcome
	err      error
}

func (r *doneResult) hook(o *ssmcancel.Options) {
	o.AfterCancelOnDone = func(outcomes []ssmcancel.Outcome, err error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.calls++
		r.outcomes, r.err = outcomes, err
	}
}

func TestCancelOnDoneSendsCancel(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(60)
	cmdID := f.seed(t, nodes...)
	var result doneResult

	ctx, cancel := context.WithCancel(context.Background())
	stop := f.client(result.hook).CancelOnDone(ctx, cmdID, nodes...)
	cancel()

	if stop() {
		t.Error("stop() = true after ctx ended, want false")
	}
	// stop waited for the cancel, so its result is in.
	result.mu.Lock()
	defer result.mu.Unlock()
	if result.calls != 1 || result.err != nil || len(result.outcomes) != len(nodes) {
		t.Fatalf("AfterCancelOnDone got %d calls, %d outcomes, err %v; want 1 call, %d outcomes, nil", result.calls, len(result.outcomes), result.err, len(nodes))
	}
	for _, id := range nodes {
		if status, _ := f.server.InvocationStatus(cmdID, id); status != types.CommandInvocationStatusCancelling {
			t.Errorf("InvocationStatus(%s) = %q, want Cancelling", id, status)
		}
	}
	if stop() {
		t.Error("second stop() = true, want false")
	}
}

func TestCancelOnDoneStopDisarms(t *testing.T) {
	f := newFakeTime(t)
	cmdID := f.seed(t, nodeIDs(1)...)
	var result doneResult

	ctx, cancel := context.WithCancel(context.Background())
	stop := f.client(result.hook).CancelOnDone(ctx, cmdID)
	if !stop() {
		t.Error("stop() = false before ctx ended, want true")
	}
	cancel()
	if stop() {
		t.Error("second stop() = true, want false")
	}

	time.Sleep(20 * time.Millisecond) // give a wrongly armed callback time to run
	if got := f.calls.cancels(); got != 0 {
		t.Errorf("CancelCommand calls = %d after stop, want 0", got)
	}
	result.mu.Lock()
	defer result.mu.Unlock()
	if result.calls != 0 {
		t.Errorf("AfterCancelOnDone called %d times, want 0", result.calls)
	}
}

func TestCancelOnDoneUsesFreshContext(t *testing.T) {
	f := newFakeTime(t)
	cmdID := f.seed(t, nodeIDs(2)...)
	var result doneResult

	// A deadline, not a cancel: the cancel must still be sent, with a
	// context of its own.
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	stop := f.client(result.hook).CancelOnDone(ctx, cmdID)
	<-ctx.Done()
	stop()

	result.mu.Lock()
	defer result.mu.Unlock()
	if result.calls != 1 || result.err != nil {
		t.Fatalf("AfterCancelOnDone got %d calls, err %v; want 1 call, nil", result.calls, result.err)
	}
	if got := f.calls.cancels(); got != 1 {
		t.Errorf("CancelCommand calls = %d, want 1", got)
	}
}

func TestCancelOnDoneBoundedByCancelTimeout(t *testing.T) {
	f := newRealTime(t)
	cmdID := f.seed(t, nodeIDs(1)...)
	f.server.FailNext("CancelCommand", 1, slowReply())
	var result doneResult

	ctx, cancel := context.WithCancel(context.Background())
	client := f.client(result.hook, func(o *ssmcancel.Options) { o.CancelTimeout = 50 * time.Millisecond })
	stop := client.CancelOnDone(ctx, cmdID, nodeIDs(1)...)
	cancel()
	stop()

	result.mu.Lock()
	defer result.mu.Unlock()
	if !errors.Is(result.err, context.DeadlineExceeded) {
		t.Errorf("AfterCancelOnDone err = %v, want context.DeadlineExceeded", result.err)
	}
	if errors.Is(result.err, ssmerrors.ErrThrottled) {
		t.Errorf("AfterCancelOnDone err = %v, matches ErrThrottled", result.err)
	}
}

// TestCancelOnDoneStopAfterDone calls stop right after ctx is done, while
// the goroutine that sends the cancel may not have started yet: the
// cancel must still be sent.
func TestCancelOnDoneStopAfterDone(t *testing.T) {
	api := &countingAPI{API: fakeSSM{commandID: commandID}}
	client := ssmcancel.New(api)
	const rounds = 5000
	for i := range rounds {
		ctx, cancel := context.WithCancel(context.Background())
		stop := client.CancelOnDone(ctx, commandID)
		go cancel()
		<-ctx.Done()
		if stop() {
			t.Fatalf("round %d: stop() = true after ctx was done, want false", i)
		}
	}
	if got := api.cancels(); got != rounds {
		t.Errorf("CancelCommand calls = %d, want %d", got, rounds)
	}
}
