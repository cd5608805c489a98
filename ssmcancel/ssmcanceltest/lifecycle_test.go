package ssmcanceltest

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// checkStatus fails the test unless the invocation has status want.
func checkStatus(t *testing.T, s *Server, commandID, instanceID string, want types.CommandInvocationStatus) {
	t.Helper()

	got, ok := s.InvocationStatus(commandID, instanceID)
	if !ok {
		t.Fatalf("InvocationStatus(%s, %s): no such invocation", commandID, instanceID)
	}
	if got != want {
		t.Errorf("at +%v, InvocationStatus(%s) = %s, want %s", s.Now().Sub(testStart), instanceID, got, want)
	}
}

func TestLifecycleWithoutCancel(t *testing.T) {
	tests := []struct {
		behavior NodeBehavior
		final    types.CommandInvocationStatus
	}{
		{Succeed, types.CommandInvocationStatusSuccess},
		{Fail, types.CommandInvocationStatusFailed},
		{TimeOut, types.CommandInvocationStatusTimedOut},
		{IgnoreCancel, types.CommandInvocationStatusSuccess},
		{StuckCancelling, types.CommandInvocationStatusSuccess},
	}
	for _, tt := range tests {
		t.Run(tt.behavior.String(), func(t *testing.T) {
			s, clock, client := newTestServer(t)
			s.SetNodeBehavior("i-12345678", tt.behavior)
			id := sendCommand(t, client, "i-12345678")

			checkStatus(t, s, id, "i-12345678", types.CommandInvocationStatusPending)
			clock.Advance(testPending - time.Nanosecond)
			checkStatus(t, s, id, "i-12345678", types.CommandInvocationStatusPending)
			clock.Advance(time.Nanosecond)
			checkStatus(t, s, id, "i-12345678", types.CommandInvocationStatusInProgress)
			clock.Advance(testRun - time.Nanosecond)
			checkStatus(t, s, id, "i-12345678", types.CommandInvocationStatusInProgress)
			clock.Advance(time.Nanosecond)
			checkStatus(t, s, id, "i-12345678", tt.final)
		})
	}
}

func TestLifecycleCancel(t *testing.T) {
	tests := []struct {
		name     string
		behavior NodeBehavior
		cancelAt time.Duration // after SendCommand
		// want lists the status at each offset after the cancel.
		want map[time.Duration]types.CommandInvocationStatus
	}{
		{
			name: "pending", behavior: Succeed, cancelAt: 0,
			want: map[time.Duration]types.CommandInvocationStatus{
				0:               types.CommandInvocationStatusCancelling,
				testCancelDelay: types.CommandInvocationStatusCancelled,
				time.Hour:       types.CommandInvocationStatusCancelled,
			},
		},
		{
			name: "in progress", behavior: Succeed, cancelAt: testPending + time.Second,
			want: map[time.Duration]types.CommandInvocationStatus{
				testCancelDelay - time.Nanosecond: types.CommandInvocationStatusCancelling,
				testCancelDelay:                   types.CommandInvocationStatusCancelled,
			},
		},
		{
			name: "cancel wins over natural end", behavior: Succeed, cancelAt: testPending + testRun - time.Second,
			want: map[time.Duration]types.CommandInvocationStatus{
				time.Second:     types.CommandInvocationStatusCancelling,
				testCancelDelay: types.CommandInvocationStatusCancelled,
			},
		},
		{
			name: "failing node", behavior: Fail, cancelAt: testPending,
			want: map[time.Duration]types.CommandInvocationStatus{
				testCancelDelay: types.CommandInvocationStatusCancelled,
			},
		},
		{
			name: "terminal is kept", behavior: Fail, cancelAt: testPending + testRun,
			want: map[time.Duration]types.CommandInvocationStatus{
				0:         types.CommandInvocationStatusFailed,
				time.Hour: types.CommandInvocationStatusFailed,
			},
		},
		{
			name: "ignore cancel", behavior: IgnoreCancel, cancelAt: testPending,
			want: map[time.Duration]types.CommandInvocationStatus{
				0:                         types.CommandInvocationStatusCancelling,
				testCancelDelay:           types.CommandInvocationStatusCancelling,
				testRun - time.Nanosecond: types.CommandInvocationStatusCancelling,
				testRun:                   types.CommandInvocationStatusSuccess,
			},
		},
		{
			name: "stuck cancelling", behavior: StuckCancelling, cancelAt: testPending,
			want: map[time.Duration]types.CommandInvocationStatus{
				0:                types.CommandInvocationStatusCancelling,
				testRun:          types.CommandInvocationStatusCancelling,
				1000 * time.Hour: types.CommandInvocationStatusCancelling,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for offset, want := range tt.want {
				s, clock, client := newTestServer(t)
				s.SetNodeBehavior("i-12345678", tt.behavior)
				id := sendCommand(t, client, "i-12345678")
				clock.Advance(tt.cancelAt)

				if _, err := client.CancelCommand(context.Background(), &ssm.CancelCommandInput{CommandId: aws.String(id)}); err != nil {
					t.Fatalf("CancelCommand: %v", err)
				}
				clock.Advance(offset)

				checkStatus(t, s, id, "i-12345678", want)
			}
		})
	}
}

func TestLifecycleSecondCancelKeepsFirst(t *testing.T) {
	s, clock, client := newTestServer(t)
	id := sendCommand(t, client, "i-12345678")
	cancel := func() {
		t.Helper()
		if _, err := client.CancelCommand(context.Background(), &ssm.CancelCommandInput{CommandId: aws.String(id)}); err != nil {
			t.Fatalf("CancelCommand: %v", err)
		}
	}

	cancel()
	clock.Advance(testCancelDelay - time.Second)
	cancel()
	clock.Advance(time.Second)

	checkStatus(t, s, id, "i-12345678", types.CommandInvocationStatusCancelled)
}

func TestCommandStatusDerivation(t *testing.T) {
	tests := []struct {
		name      string
		behaviors [2]NodeBehavior
		cancel    []string // nil: no cancel; empty: whole command
		cancelAt  time.Duration
		advance   time.Duration // after the cancel
		want      types.CommandStatus
		completed int32
		errors    int32
	}{
		{"all pending", [2]NodeBehavior{}, nil, 0, 0, types.CommandStatusPending, 0, 0},
		{"running", [2]NodeBehavior{}, nil, 0, testPending, types.CommandStatusInProgress, 0, 0},
		{"all succeeded", [2]NodeBehavior{}, nil, 0, testPending + testRun, types.CommandStatusSuccess, 2, 0},
		{"one failed", [2]NodeBehavior{Succeed, Fail}, nil, 0, testPending + testRun, types.CommandStatusFailed, 2, 1},
		{"one timed out", [2]NodeBehavior{Succeed, TimeOut}, nil, 0, testPending + testRun, types.CommandStatusTimedOut, 2, 1},
		{"failed beats timed out", [2]NodeBehavior{TimeOut, Fail}, nil, 0, testPending + testRun, types.CommandStatusFailed, 2, 2},
		{"cancelling", [2]NodeBehavior{}, []string{}, testPending, 0, types.CommandStatusCancelling, 0, 0},
		{"cancelled", [2]NodeBehavior{}, []string{}, testPending, testCancelDelay, types.CommandStatusCancelled, 2, 0},
		{"partly cancelled", [2]NodeBehavior{}, []string{"i-87654321"}, testPending, testPending + testRun, types.CommandStatusCancelled, 2, 0},
		{"stuck node keeps cancelling", [2]NodeBehavior{Succeed, StuckCancelling}, []string{}, testPending, time.Hour, types.CommandStatusCancelling, 1, 0},
		{"ignored cancel succeeds", [2]NodeBehavior{IgnoreCancel, IgnoreCancel}, []string{}, testPending, testRun, types.CommandStatusSuccess, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock, client := newTestServer(t)
			s.SetNodeBehavior("i-12345678", tt.behaviors[0])
			s.SetNodeBehavior("i-87654321", tt.behaviors[1])
			id := sendCommand(t, client, "i-12345678", "i-87654321")
			clock.Advance(tt.cancelAt)
			if tt.cancel != nil {
				_, err := client.CancelCommand(context.Background(), &ssm.CancelCommandInput{CommandId: aws.String(id), InstanceIds: tt.cancel})
				if err != nil {
					t.Fatalf("CancelCommand: %v", err)
				}
			}
			clock.Advance(tt.advance)

			out, err := client.ListCommands(context.Background(), &ssm.ListCommandsInput{CommandId: aws.String(id)})
			if err != nil {
				t.Fatalf("ListCommands: %v", err)
			}

			got := out.Commands[0]
			if got.Status != tt.want {
				t.Errorf("Status = %s, want %s", got.Status, tt.want)
			}
			if got.CompletedCount != tt.completed {
				t.Errorf("CompletedCount = %d, want %d", got.CompletedCount, tt.completed)
			}
			if got.ErrorCount != tt.errors {
				t.Errorf("ErrorCount = %d, want %d", got.ErrorCount, tt.errors)
			}
			if status, _ := s.CommandStatus(id); status != tt.want {
				t.Errorf("CommandStatus = %s, want %s", status, tt.want)
			}
		})
	}
}

func TestBehaviorCapturedAtSend(t *testing.T) {
	s, clock, client := newTestServer(t)
	s.SetNodeBehavior("i-12345678", Fail)
	failing := sendCommand(t, client, "i-12345678")
	s.SetNodeBehavior("i-12345678", Succeed)
	succeeding := sendCommand(t, client, "i-12345678")

	clock.Advance(testPending + testRun)

	checkStatus(t, s, failing, "i-12345678", types.CommandInvocationStatusFailed)
	checkStatus(t, s, succeeding, "i-12345678", types.CommandInvocationStatusSuccess)
}

func TestFakeClock(t *testing.T) {
	clock := NewFakeClock(testStart)

	clock.Advance(time.Minute)
	clock.Advance(-time.Hour)
	if got, want := clock.Now(), testStart.Add(time.Minute); !got.Equal(want) {
		t.Errorf("after Advance(1m) and Advance(-1h), Now() = %v, want %v", got, want)
	}

	if err := clock.Sleep(context.Background(), time.Second); err != nil {
		t.Errorf("Sleep: %v", err)
	}
	if got, want := clock.Now(), testStart.Add(time.Minute+time.Second); !got.Equal(want) {
		t.Errorf("after Sleep(1s), Now() = %v, want %v", got, want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := clock.Sleep(ctx, time.Hour); err != context.Canceled {
		t.Errorf("Sleep with a cancelled context = %v, want context.Canceled", err)
	}
	if got, want := clock.Now(), testStart.Add(time.Minute+time.Second); !got.Equal(want) {
		t.Errorf("after a cancelled Sleep, Now() = %v, want %v", got, want)
	}
}

func TestDurationOptions(t *testing.T) {
	clock := NewFakeClock(testStart)
	s := NewServer(func(o *Options) {
		o.Clock = clock
		o.PendingDuration = -1
		o.RunDuration = 0
	})
	defer s.Close()

	if s.pending != 0 {
		t.Errorf("pending for a negative option = %v, want 0", s.pending)
	}
	if s.run != DefaultRunDuration {
		t.Errorf("run for a zero option = %v, want %v", s.run, DefaultRunDuration)
	}
	if s.cancelDelay != DefaultCancelDelay {
		t.Errorf("cancel delay for an unset option = %v, want %v", s.cancelDelay, DefaultCancelDelay)
	}
}
