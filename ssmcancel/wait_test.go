package ssmcancel_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/ssmcancel"
	"github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest"
)

// statuses reduces invocations to instance ID and status.
func statuses(invocations []ssmcancel.Invocation) map[string]types.CommandInvocationStatus {
	got := make(map[string]types.CommandInvocationStatus, len(invocations))
	for _, inv := range invocations {
		got[inv.InstanceID] = inv.Status
	}
	return got
}

func order(invocations []ssmcancel.Invocation) []string {
	ids := make([]string, len(invocations))
	for i, inv := range invocations {
		ids[i] = inv.InstanceID
	}
	return ids
}

func TestCancelAndWaitBehaviors(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(4)
	f.server.SetNodeBehavior(nodes[1], ssmcanceltest.IgnoreCancel)
	f.server.SetNodeBehavior(nodes[2], ssmcanceltest.Fail)
	cmdID := f.seed(t, nodes...)
	f.clock.Advance(30 * time.Second) // every node is InProgress

	clock := newCountingClock(f.clock, 0)
	client := f.client(func(o *ssmcancel.Options) { o.Clock = clock })
	invocations, err := client.CancelAndWait(context.Background(), cmdID, nodes[3], nodes[2], nodes[1], nodes[0])
	if err != nil {
		t.Fatalf("CancelAndWait = %v, want nil", err)
	}

	if diff := cmp.Diff([]string{nodes[3], nodes[2], nodes[1], nodes[0]}, order(invocations)); diff != "" {
		t.Errorf("invocation order mismatch (-want +got):\n%s", diff)
	}
	want := map[string]types.CommandInvocationStatus{
		nodes[0]: types.CommandInvocationStatusCancelled,
		nodes[1]: types.CommandInvocationStatusSuccess, // ignored the cancel: a result, not an error
		nodes[2]: types.CommandInvocationStatusCancelled,
		nodes[3]: types.CommandInvocationStatusCancelled,
	}
	if diff := cmp.Diff(want, statuses(invocations)); diff != "" {
		t.Errorf("statuses mismatch (-want +got):\n%s", diff)
	}
}

func TestCancelAndWaitAfterFinish(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(2)
	f.server.SetNodeBehavior(nodes[1], ssmcanceltest.Fail)
	cmdID := f.seed(t, nodes...)
	f.clock.Advance(2 * time.Minute) // both nodes have finished

	invocations, err := f.client().CancelAndWait(context.Background(), cmdID, nodes...)
	if err != nil {
		t.Fatalf("CancelAndWait = %v, want nil: a cancel of a finished command succeeds", err)
	}
	want := map[string]types.CommandInvocationStatus{nodes[0]: types.CommandInvocationStatusSuccess, nodes[1]: types.CommandInvocationStatusFailed}
	if diff := cmp.Diff(want, statuses(invocations)); diff != "" {
		t.Errorf("statuses mismatch (-want +got):\n%s", diff)
	}
}

func TestWaitCallsPerRound(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(120)
	cmdID := f.seed(t, nodes...)
	if _, err := f.client().CancelAll(context.Background(), cmdID, nodes); err != nil {
		t.Fatalf("CancelAll = %v", err)
	}
	clock := newCountingClock(f.clock, 0)
	api := &countingAPI{API: f.api}
	invocations, err := ssmcancel.New(api, func(o *ssmcancel.Options) { o.Clock = clock }).Wait(context.Background(), cmdID)
	if err != nil {
		t.Fatalf("Wait = %v, want nil", err)
	}
	if diff := cmp.Diff(nodes, order(invocations)); diff != "" {
		t.Errorf("Wait with no IDs: order mismatch (-want +got):\n%s", diff)
	}
	for _, inv := range invocations {
		if inv.Status != types.CommandInvocationStatusCancelled {
			t.Errorf("%s: status %q, want Cancelled", inv.InstanceID, inv.Status)
		}
	}

	rounds := clock.rounds()
	if rounds < 2 {
		t.Errorf("Wait took %d rounds, want at least 2 (the cancel takes 2 s of agent delay)", rounds)
	}
	// 120 invocations are 3 pages of 50; with no IDs each round also
	// reads the command.
	if got, want := api.count("ListCommandInvocations"), 3*rounds; got != want {
		t.Errorf("ListCommandInvocations calls = %d, want %d for %d rounds", got, want, rounds)
	}
	if got := api.count("ListCommands"); got != rounds {
		t.Errorf("ListCommands calls = %d, want %d", got, rounds)
	}
}

func TestWaitStopsPagingWhenNodesSeen(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(150)
	cmdID := f.seed(t, nodes...)
	f.clock.Advance(2 * time.Minute) // every node has finished

	api := &countingAPI{API: f.api}
	invocations, err := ssmcancel.New(api, func(o *ssmcancel.Options) { o.Clock = f.clock }).Wait(context.Background(), cmdID, nodes[10], nodes[20])
	if err != nil {
		t.Fatalf("Wait = %v, want nil", err)
	}
	want := map[string]types.CommandInvocationStatus{nodes[10]: types.CommandInvocationStatusSuccess, nodes[20]: types.CommandInvocationStatusSuccess}
	if diff := cmp.Diff(want, statuses(invocations)); diff != "" {
		t.Errorf("statuses mismatch (-want +got):\n%s", diff)
	}
	if got := api.count("ListCommandInvocations"); got != 1 {
		t.Errorf("ListCommandInvocations calls = %d, want 1: both nodes are on the first page", got)
	}
	if got := api.count("ListCommands"); got != 0 {
		t.Errorf("ListCommands calls = %d, want 0 when instance IDs are given", got)
	}
}

func TestWaitStuckCancellingEndsWithDeadline(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(3)
	f.server.SetNodeBehavior(nodes[1], ssmcanceltest.StuckCancelling)
	cmdID := f.seed(t, nodes...)

	clock := newCountingClock(f.clock, 10*time.Minute)
	invocations, err := f.client(func(o *ssmcancel.Options) { o.Clock = clock }).CancelAndWait(context.Background(), cmdID, nodes...)

	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ssmerrors.ErrNotFinished) {
		t.Fatalf("CancelAndWait = %v, want an error matching both context.DeadlineExceeded and ErrNotFinished", err)
	}
	if !strings.Contains(err.Error(), nodes[1]) {
		t.Errorf("error %q does not name the stuck node %s", err, nodes[1])
	}
	want := map[string]types.CommandInvocationStatus{
		nodes[0]: types.CommandInvocationStatusCancelled,
		nodes[1]: types.CommandInvocationStatusCancelling,
		nodes[2]: types.CommandInvocationStatusCancelled,
	}
	if diff := cmp.Diff(want, statuses(invocations)); diff != "" {
		t.Errorf("last statuses mismatch (-want +got):\n%s", diff)
	}
}

func TestWaitRealDeadline(t *testing.T) {
	f := newRealTime(t)
	nodes := nodeIDs(2)
	f.server.SetNodeBehavior(nodes[0], ssmcanceltest.StuckCancelling)
	cmdID := f.seed(t, nodes...)

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	client := f.client(func(o *ssmcancel.Options) { o.MinDelay, o.MaxDelay = 5*time.Millisecond, 20*time.Millisecond })
	invocations, err := client.CancelAndWait(ctx, cmdID, nodes...)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ssmerrors.ErrNotFinished) {
		t.Fatalf("CancelAndWait = %v, want an error matching both context.DeadlineExceeded and ErrNotFinished", err)
	}
	want := map[string]types.CommandInvocationStatus{nodes[0]: types.CommandInvocationStatusCancelling, nodes[1]: types.CommandInvocationStatusCancelled}
	if diff := cmp.Diff(want, statuses(invocations)); diff != "" {
		t.Errorf("last statuses mismatch (-want +got):\n%s", diff)
	}
}

func TestWaitThrottledPolls(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(2)
	cmdID := f.seed(t, nodes...)
	f.clock.Advance(2 * time.Minute)
	// The SDK retries a throttle 3 times, so the first poll fails and
	// the second succeeds after 2 more throttles.
	f.server.FailNext("ListCommandInvocations", 5, ssmcanceltest.Throttle())

	clock := newCountingClock(f.clock, 0)
	invocations, err := f.client(func(o *ssmcancel.Options) { o.Clock = clock }).Wait(context.Background(), cmdID, nodes...)
	if err != nil {
		t.Fatalf("Wait = %v, want nil after throttled polls", err)
	}
	want := map[string]types.CommandInvocationStatus{nodes[0]: types.CommandInvocationStatusSuccess, nodes[1]: types.CommandInvocationStatusSuccess}
	if diff := cmp.Diff(want, statuses(invocations)); diff != "" {
		t.Errorf("statuses mismatch (-want +got):\n%s", diff)
	}
	if got := clock.rounds(); got != 2 {
		t.Errorf("Wait took %d rounds, want 2", got)
	}
}

func TestWaitEventualConsistency(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(2)
	cmdID := f.seed(t, nodes...)
	f.clock.Advance(2 * time.Minute)
	// A new command is not visible at once: the service returns
	// InvalidCommandId for a while.
	f.server.FailNext("ListCommandInvocations", 2, ssmcanceltest.Fault{StatusCode: 400, Code: "InvalidCommandId"})
	f.server.FailNext("ListCommands", 2, ssmcanceltest.Fault{StatusCode: 400, Code: "InvalidCommandId"})

	for _, tt := range []struct {
		name string
		ids  []string
	}{{"with IDs", nodes}, {"whole command", nil}} {
		t.Run(tt.name, func(t *testing.T) {
			invocations, err := f.client().Wait(context.Background(), cmdID, tt.ids...)
			if err != nil {
				t.Fatalf("Wait = %v, want nil", err)
			}
			want := map[string]types.CommandInvocationStatus{nodes[0]: types.CommandInvocationStatusSuccess, nodes[1]: types.CommandInvocationStatusSuccess}
			if diff := cmp.Diff(want, statuses(invocations)); diff != "" {
				t.Errorf("statuses mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWaitNodeNotInCommand(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(3)
	cmdID := f.seed(t, nodes[:2]...)

	invocations, err := f.client().Wait(context.Background(), cmdID, nodes[0], nodes[2])
	if !errors.Is(err, ssmerrors.ErrInvalidInstanceID) {
		t.Fatalf("Wait = %v, want an error matching ErrInvalidInstanceID", err)
	}
	if !strings.Contains(err.Error(), nodes[2]) {
		t.Errorf("error %q does not name the node %s", err, nodes[2])
	}
	if errors.Is(err, ssmerrors.ErrNotFinished) {
		t.Errorf("error %v matches ErrNotFinished; the wait ended on the missing node, not on ctx", err)
	}
	if diff := cmp.Diff([]string{nodes[0], nodes[2]}, order(invocations)); diff != "" {
		t.Errorf("invocation order mismatch (-want +got):\n%s", diff)
	}
	elapsed := f.clock.Now().Sub(time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC))
	if elapsed < ssmcancel.DefaultVisibilityTimeout || elapsed > ssmcancel.DefaultVisibilityTimeout+ssmcancel.DefaultMaxDelay {
		t.Errorf("the wait gave up after %v of virtual time, want about %v", elapsed, ssmcancel.DefaultVisibilityTimeout)
	}
}

func TestWaitUnknownCommand(t *testing.T) {
	f := newFakeTime(t)
	const unknown = "11111111-2222-3333-4444-555555555555"
	for _, tt := range []struct {
		name string
		ids  []string
	}{{"with IDs", nodeIDs(1)}, {"whole command", nil}} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.client().Wait(context.Background(), unknown, tt.ids...)
			if !errors.Is(err, ssmerrors.ErrInvalidCommandID) {
				t.Errorf("Wait = %v, want an error matching ErrInvalidCommandID", err)
			}
		})
	}
}

func TestWaitPollTimeout(t *testing.T) {
	f := newRealTime(t)
	nodes := nodeIDs(1)
	cmdID := f.seed(t, nodes...)
	f.server.FailNext("ListCommandInvocations", 1, ssmcanceltest.SlowReply(5*time.Second))
	if err := f.client().Cancel(context.Background(), cmdID); err != nil {
		t.Fatalf("Cancel = %v", err)
	}

	client := f.client(func(o *ssmcancel.Options) {
		o.PollTimeout = 100 * time.Millisecond
		o.MinDelay, o.MaxDelay = 5*time.Millisecond, 20*time.Millisecond
	})
	invocations, err := client.Wait(context.Background(), cmdID, nodes...)
	if err != nil {
		t.Fatalf("Wait = %v, want nil after one poll timed out", err)
	}
	if got := invocations[0].Status; got != types.CommandInvocationStatusCancelled {
		t.Errorf("status = %q, want Cancelled", got)
	}
}

func TestWaitAccessDenied(t *testing.T) {
	f := newFakeTime(t)
	cmdID := f.seed(t, nodeIDs(1)...)
	f.server.FailNext("ListCommandInvocations", 1, ssmcanceltest.Fault{StatusCode: 400, Code: "AccessDeniedException", Message: "not authorized"})

	_, err := f.client().Wait(context.Background(), cmdID, nodeIDs(1)...)
	if !errors.Is(err, ssmerrors.ErrAccessDenied) {
		t.Errorf("Wait = %v, want an error matching ErrAccessDenied", err)
	}
}

func TestWaitInvalidInput(t *testing.T) {
	f := newFakeTime(t)
	tests := []struct {
		name      string
		commandID string
		ids       []string
		want      error
	}{
		{"short command ID", "abc", nil, ssmerrors.ErrInvalidCommandID},
		{"bad node", commandID, []string{"i-1"}, ssmerrors.ErrInvalidInstanceID},
		{"repeated node", commandID, []string{"i-1234abcd", "i-1234abcd"}, ssmerrors.ErrDuplicateInstanceID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			invocations, err := f.client().Wait(context.Background(), tt.commandID, tt.ids...)
			if !errors.Is(err, tt.want) {
				t.Errorf("Wait = %v, want an error matching %v", err, tt.want)
			}
			if diff := cmp.Diff(tt.ids, order(invocations), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("invocations mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if got := len(f.server.Calls()); got != 0 {
		t.Errorf("server received %d calls, want 0", got)
	}
}

func TestCancelAndWaitManyNodesWithTerminated(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(75)
	cmdID := f.seed(t, nodes...)
	f.server.TerminateNode(nodes[60])

	invocations, err := f.client().CancelAndWait(context.Background(), cmdID, nodes...)
	if !errors.Is(err, ssmerrors.ErrInvalidInstanceID) {
		t.Errorf("CancelAndWait = %v, want an error matching ErrInvalidInstanceID", err)
	}
	if diff := cmp.Diff(nodes, order(invocations)); diff != "" {
		t.Errorf("invocation order mismatch (-want +got):\n%s", diff)
	}
	for i, inv := range invocations {
		if i == 60 {
			if !errors.Is(inv.Err, ssmerrors.ErrInvalidInstanceID) {
				t.Errorf("%s: Err = %v, want ErrInvalidInstanceID", inv.InstanceID, inv.Err)
			}
			continue
		}
		if inv.Err != nil || inv.Status != types.CommandInvocationStatusCancelled {
			t.Errorf("%s: {%q, %v}, want {Cancelled, nil}", inv.InstanceID, inv.Status, inv.Err)
		}
	}
}
