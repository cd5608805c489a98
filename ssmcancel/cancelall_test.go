package ssmcancel_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/google/go-cmp/cmp"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/ssmcancel"
	"github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest"
)

// outcomeView is an Outcome with its error reduced to the sentinel name.
type outcomeView struct {
	InstanceID string
	Err        string
}

var sentinelNames = []struct {
	err  error
	name string
}{
	{ssmerrors.ErrInvalidCommandID, "ErrInvalidCommandID"},
	{ssmerrors.ErrInvalidInstanceID, "ErrInvalidInstanceID"},
	{ssmerrors.ErrDuplicateInstanceID, "ErrDuplicateInstanceID"},
	{ssmerrors.ErrTooManyInstanceIDs, "ErrTooManyInstanceIDs"},
	{ssmerrors.ErrInternalServer, "ErrInternalServer"},
	{ssmerrors.ErrThrottled, "ErrThrottled"},
	{ssmerrors.ErrAccessDenied, "ErrAccessDenied"},
	{context.Canceled, "context.Canceled"},
	{context.DeadlineExceeded, "context.DeadlineExceeded"},
}

func sentinelName(err error) string {
	if err == nil {
		return ""
	}
	for _, s := range sentinelNames {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return "unclassified: " + err.Error()
}

func views(outcomes []ssmcancel.Outcome) []outcomeView {
	got := make([]outcomeView, len(outcomes))
	for i, o := range outcomes {
		got[i] = outcomeView{o.InstanceID, sentinelName(o.Err)}
	}
	return got
}

func TestCancelAllOrderAndValidation(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(120)
	cmdID := f.seed(t, nodes...)

	input := append([]string{"i-0b8185eca982369a"}, nodes[:60]...) // a 16-character ID first
	input = append(input, nodes[3], "")                            // a repeat and an empty ID
	input = append(input, nodes[60:]...)

	outcomes, err := f.client().CancelAll(context.Background(), cmdID, input)

	want := make([]outcomeView, len(input))
	for i, id := range input {
		want[i] = outcomeView{InstanceID: id}
	}
	want[0].Err = "ErrInvalidInstanceID"
	want[61].Err = "ErrDuplicateInstanceID"
	want[62].Err = "ErrInvalidInstanceID"
	if diff := cmp.Diff(want, views(outcomes)); diff != "" {
		t.Errorf("CancelAll outcomes mismatch (-want +got):\n%s", diff)
	}

	for _, sentinel := range []error{ssmerrors.ErrInvalidInstanceID, ssmerrors.ErrDuplicateInstanceID} {
		if !errors.Is(err, sentinel) {
			t.Errorf("CancelAll error = %v, want it to match %v", err, sentinel)
		}
	}
	if errors.Is(err, ssmerrors.ErrThrottled) {
		t.Errorf("CancelAll error = %v, matches ErrThrottled, want not", err)
	}

	var dup *ssmerrors.ValidationError
	if !errors.As(outcomes[61].Err, &dup) || dup.Index != 61 {
		t.Errorf("outcome 61 error = %v, want a *ValidationError with Index 61", outcomes[61].Err)
	}

	calls := f.cancelCalls()
	var sizes []int
	sent := 0
	for _, ids := range calls {
		sizes = append(sizes, len(ids))
		sent += len(ids)
	}
	if diff := cmp.Diff([]int{50, 50, 20}, sortedDesc(sizes)); diff != "" {
		t.Errorf("CancelCommand batch sizes mismatch (-want +got):\n%s", diff)
	}
	for _, id := range nodes {
		status, _ := f.server.InvocationStatus(cmdID, id)
		if status != types.CommandInvocationStatusCancelling {
			t.Errorf("InvocationStatus(%s) = %q, want Cancelling", id, status)
		}
	}
}

func sortedDesc(xs []int) []int {
	out := append([]int(nil), xs...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] > out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestCancelAllNoInstanceIDs(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(3)
	cmdID := f.seed(t, nodes...)

	outcomes, err := f.client().CancelAll(context.Background(), cmdID, nil)
	if err != nil {
		t.Fatalf("CancelAll(no IDs) = %v, want nil", err)
	}
	if len(outcomes) != 0 {
		t.Errorf("CancelAll(no IDs) returned %d outcomes, want 0", len(outcomes))
	}
	if diff := cmp.Diff([][]string{nil}, f.cancelCalls()); diff != "" {
		t.Errorf("CancelCommand InstanceIds mismatch (-want +got):\n%s", diff)
	}
}

// expectedSplitCalls models the splitting CancelAll does: a batch with a
// bad node costs one rejected call and is split in halves until each bad
// node is alone.
func expectedSplitCalls(batch []string, bad map[string]bool) int {
	hasBad := false
	for _, id := range batch {
		hasBad = hasBad || bad[id]
	}
	if !hasBad || len(batch) == 1 {
		return 1
	}
	half := len(batch) / 2
	return 1 + expectedSplitCalls(batch[:half], bad) + expectedSplitCalls(batch[half:], bad)
}

func TestCancelAllIsolatesTerminatedNodes(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(130)
	cmdID := f.seed(t, nodes...)
	bad := map[string]bool{nodes[7]: true, nodes[30]: true, nodes[120]: true}
	for id := range bad {
		f.server.TerminateNode(id)
	}

	outcomes, err := f.client().CancelAll(context.Background(), cmdID, nodes)

	want := make([]outcomeView, len(nodes))
	for i, id := range nodes {
		want[i] = outcomeView{InstanceID: id}
		if bad[id] {
			want[i].Err = "ErrInvalidInstanceID"
		}
	}
	if diff := cmp.Diff(want, views(outcomes)); diff != "" {
		t.Errorf("CancelAll outcomes mismatch (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ssmerrors.ErrInvalidInstanceID) {
		t.Errorf("CancelAll error = %v, want it to match ErrInvalidInstanceID", err)
	}

	wantCalls := expectedSplitCalls(nodes[:50], bad) + expectedSplitCalls(nodes[50:100], bad) + expectedSplitCalls(nodes[100:], bad)
	if got := len(f.cancelCalls()); got != wantCalls {
		t.Errorf("CancelCommand calls = %d, want %d (3 batches plus the splits)", got, wantCalls)
	}
	for _, id := range nodes {
		status, _ := f.server.InvocationStatus(cmdID, id)
		if want := !bad[id]; (status == types.CommandInvocationStatusCancelling) != want {
			t.Errorf("InvocationStatus(%s) = %q, want Cancelling = %v", id, status, want)
		}
	}
}

func TestCancelAllRetriesThrottles(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(200)
	cmdID := f.seed(t, nodes...)
	f.server.FailNext("CancelCommand", 5, ssmcanceltest.Throttle())

	api := &countingAPI{API: f.api}
	outcomes, err := ssmcancel.New(api, func(o *ssmcancel.Options) { o.Clock = f.clock }).CancelAll(context.Background(), cmdID, nodes)
	if err != nil {
		t.Fatalf("CancelAll = %v, want nil", err)
	}
	for _, o := range outcomes {
		if o.Err != nil {
			t.Errorf("outcome %s = %v, want nil", o.InstanceID, o.Err)
		}
	}
	// 4 batches plus 5 throttled attempts reach the server, and each
	// throttle comes back to CancelAll at once instead of being retried
	// inside the SDK, so every attempt is a call of its own.
	if got := f.server.CallCount("CancelCommand"); got < 4+5 {
		t.Errorf("CancelCommand requests = %d, want at least %d", got, 4+5)
	}
	if got := api.cancels(); got != 4+5 {
		t.Errorf("CancelCommand method calls = %d, want %d: the SDK retried throttles itself", got, 4+5)
	}
}

// countingAPI counts the method calls made through it. Unlike the
// server's count of requests, it does not count the SDK's own retries of a
// call, such as the retry of a read that failed on a closed keep-alive
// connection.
type countingAPI struct {
	ssmcancel.API

	mu      sync.Mutex
	counts  map[string]int
	batches [][]string // InstanceIds of each CancelCommand call
}

func (c *countingAPI) add(operation string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = make(map[string]int)
	}
	c.counts[operation]++
}

func (c *countingAPI) count(operation string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[operation]
}

func (c *countingAPI) cancels() int { return c.count("CancelCommand") }

func (c *countingAPI) CancelCommand(ctx context.Context, in *ssm.CancelCommandInput, optFns ...func(*ssm.Options)) (*ssm.CancelCommandOutput, error) {
	c.add("CancelCommand")
	c.mu.Lock()
	c.batches = append(c.batches, in.InstanceIds)
	c.mu.Unlock()
	return c.API.CancelCommand(ctx, in, optFns...)
}

func (c *countingAPI) cancelBatches() [][]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]string(nil), c.batches...)
}

func (c *countingAPI) ListCommands(ctx context.Context, in *ssm.ListCommandsInput, optFns ...func(*ssm.Options)) (*ssm.ListCommandsOutput, error) {
	c.add("ListCommands")
	return c.API.ListCommands(ctx, in, optFns...)
}

func (c *countingAPI) ListCommandInvocations(ctx context.Context, in *ssm.ListCommandInvocationsInput, optFns ...func(*ssm.Options)) (*ssm.ListCommandInvocationsOutput, error) {
	c.add("ListCommandInvocations")
	return c.API.ListCommandInvocations(ctx, in, optFns...)
}

func TestCancelAllRateLimited(t *testing.T) {
	f := newRealTime(t)
	nodes := nodeIDs(1000)
	cmdID := f.seed(t, nodes...)
	f.server.SetRateLimit("CancelCommand", 400, 2)

	outcomes, err := f.client().CancelAll(context.Background(), cmdID, nodes)
	if err != nil {
		t.Fatalf("CancelAll = %v, want nil", err)
	}
	failed := 0
	for _, o := range outcomes {
		if o.Err != nil {
			failed++
		}
	}
	if failed != 0 {
		t.Errorf("CancelAll failed %d of %d nodes, want 0", failed, len(nodes))
	}
	for _, id := range nodes {
		if status, _ := f.server.InvocationStatus(cmdID, id); status != types.CommandInvocationStatusCancelling && status != types.CommandInvocationStatusCancelled {
			t.Fatalf("InvocationStatus(%s) = %q, want Cancelling or Cancelled", id, status)
		}
	}
}

func TestCancelAllServerErrorKeepsOtherBatches(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(100)
	cmdID := f.seed(t, nodes...)
	// The SDK makes 3 attempts, so the first batch fails and the second
	// goes through.
	f.server.FailNext("CancelCommand", 3, ssmcanceltest.InternalError())

	outcomes, err := f.client(func(o *ssmcancel.Options) { o.MaxConcurrency = 1 }).CancelAll(context.Background(), cmdID, nodes)

	want := make([]outcomeView, len(nodes))
	for i, id := range nodes {
		want[i] = outcomeView{InstanceID: id}
		if i < 50 {
			want[i].Err = "ErrInternalServer"
		}
	}
	if diff := cmp.Diff(want, views(outcomes)); diff != "" {
		t.Errorf("CancelAll outcomes mismatch (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ssmerrors.ErrInternalServer) {
		t.Errorf("CancelAll error = %v, want it to match ErrInternalServer", err)
	}
}

func TestCancelAllUnknownCommand(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(500)
	const unknown = "11111111-2222-3333-4444-555555555555"

	outcomes, err := f.client().CancelAll(context.Background(), unknown, nodes)
	for _, o := range outcomes {
		if !errors.Is(o.Err, ssmerrors.ErrInvalidCommandID) {
			t.Fatalf("outcome %s = %v, want ErrInvalidCommandID", o.InstanceID, o.Err)
		}
	}
	if !errors.Is(err, ssmerrors.ErrInvalidCommandID) {
		t.Errorf("CancelAll error = %v, want it to match ErrInvalidCommandID", err)
	}
	// The first rejection stops the run: at most the batches already in
	// flight were sent.
	if got := f.calls.cancels(); got > ssmcancel.DefaultMaxConcurrency {
		t.Errorf("CancelCommand calls = %d, want at most %d", got, ssmcancel.DefaultMaxConcurrency)
	}
}

func TestCancelAllInvalidCommandID(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(3)
	outcomes, err := f.client().CancelAll(context.Background(), "abc", nodes)

	want := []outcomeView{{nodes[0], "ErrInvalidCommandID"}, {nodes[1], "ErrInvalidCommandID"}, {nodes[2], "ErrInvalidCommandID"}}
	if diff := cmp.Diff(want, views(outcomes)); diff != "" {
		t.Errorf("CancelAll outcomes mismatch (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ssmerrors.ErrInvalidCommandID) {
		t.Errorf("CancelAll error = %v, want it to match ErrInvalidCommandID", err)
	}
	if got := f.calls.cancels(); got != 0 {
		t.Errorf("CancelCommand calls = %d, want 0", got)
	}
}

func TestCancelAllContextCanceled(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(120)
	cmdID := f.seed(t, nodes...)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	outcomes, err := f.client().CancelAll(ctx, cmdID, nodes)
	if len(outcomes) != len(nodes) {
		t.Fatalf("CancelAll returned %d outcomes, want %d", len(outcomes), len(nodes))
	}
	for i, o := range outcomes {
		if o.InstanceID != nodes[i] || !errors.Is(o.Err, context.Canceled) {
			t.Fatalf("outcome %d = {%s, %v}, want {%s, context.Canceled}", i, o.InstanceID, o.Err, nodes[i])
		}
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("CancelAll error = %v, want it to match context.Canceled", err)
	}
}

func TestCancelAllDoesNotChangeInput(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(60)
	cmdID := f.seed(t, nodes...)
	input := append([]string(nil), nodes...)
	input[5] = "bad"

	before := append([]string(nil), input...)
	if _, err := f.client().CancelAll(context.Background(), cmdID, input); err == nil {
		t.Fatal("CancelAll = nil, want an error for the bad ID")
	}
	if diff := cmp.Diff(before, input); diff != "" {
		t.Errorf("CancelAll changed its input (-before +after):\n%s", diff)
	}
}

func TestCancelAllMaxRequestRate(t *testing.T) {
	f := newRealTime(t)
	nodes := nodeIDs(250) // 5 requests
	cmdID := f.seed(t, nodes...)

	client := f.client(func(o *ssmcancel.Options) { o.MaxRequestRate = 20 })
	start := time.Now()
	if _, err := client.CancelAll(context.Background(), cmdID, nodes); err != nil {
		t.Fatalf("CancelAll = %v", err)
	}
	// At 20 requests per second with a burst of 1, the 5 requests span at
	// least 4 intervals of 50 ms.
	if elapsed := time.Since(start); elapsed < 190*time.Millisecond {
		t.Errorf("5 requests at a cap of 20/s took %v, want at least 200ms", elapsed)
	}
}

func TestCancelAllErrorNamesNodes(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(100)
	cmdID := f.seed(t, nodes...)
	f.server.TerminateNode(nodes[10])
	f.server.TerminateNode(nodes[90])
	input := append(append([]string(nil), nodes...), "bad")

	_, err := f.client().CancelAll(context.Background(), cmdID, input)
	if err == nil {
		t.Fatal("CancelAll = nil, want an error")
	}
	msg := err.Error()
	for _, want := range []string{"3 of 101 nodes failed", "2 nodes (" + `"` + nodes[10] + `", "` + nodes[90] + `"), the first with: `, `1 node ("bad")`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
}
