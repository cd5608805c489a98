package ssmcanceltest

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// NodeBehavior is the outcome a managed node gives its commands and its
// reaction to cancellation. The zero value is Succeed.
type NodeBehavior int

const (
	// Succeed finishes every command with Success and honours cancellation.
	Succeed NodeBehavior = iota
	// Fail finishes every command with Failed and honours cancellation.
	Fail
	// TimeOut finishes every command with TimedOut and honours cancellation.
	TimeOut
	// IgnoreCancel shows Cancelling after a cancel but still finishes with
	// Success at its normal time, like an agent whose script ignores the
	// signal.
	IgnoreCancel
	// StuckCancelling never leaves Cancelling once cancelled, like an agent
	// that lost contact after the cancel reached it.
	StuckCancelling
)

func (b NodeBehavior) String() string {
	switch b {
	case Succeed:
		return "Succeed"
	case Fail:
		return "Fail"
	case TimeOut:
		return "TimeOut"
	case IgnoreCancel:
		return "IgnoreCancel"
	case StuckCancelling:
		return "StuckCancelling"
	default:
		return fmt.Sprintf("NodeBehavior(%d)", int(b))
	}
}

// command is one SendCommand request and its invocations, in the order the
// request listed the nodes.
type command struct {
	id             string
	documentName   string
	comment        string
	parameters     map[string][]string
	timeoutSeconds int32
	requested      time.Time
	instanceIDs    []string
	invocations    []invocation
	index          map[string]int // instance ID to position in invocations
}

// invocation is a command on one node. Its status is derived from the clock.
type invocation struct {
	instanceID string
	behavior   NodeBehavior // captured at SendCommand time
	cancelAt   time.Time    // zero until a CancelCommand reached it
}

// invocationState is an invocation's status at one instant.
type invocationState struct {
	status       types.CommandInvocationStatus
	startedAt    time.Time // zero before InProgress
	endedAt      time.Time // zero before a terminal status
	responseCode int32     // -1 until terminal
}

func (st invocationState) terminal() bool {
	return isTerminal(st.status)
}

func isTerminal(status types.CommandInvocationStatus) bool {
	switch status {
	case types.CommandInvocationStatusSuccess, types.CommandInvocationStatusFailed,
		types.CommandInvocationStatusTimedOut, types.CommandInvocationStatusCancelled:
		return true
	}

	return false
}

// statusDetails returns the service's StatusDetails for an invocation status,
// as listed in "Understanding command statuses" of the Systems Manager User
// Guide.
func statusDetails(status types.CommandInvocationStatus) string {
	switch status {
	case types.CommandInvocationStatusInProgress:
		return "In Progress"
	case types.CommandInvocationStatusTimedOut:
		return "Execution Timed Out"
	default:
		return string(status)
	}
}

// stateAt computes the invocation's state at now.
//
// Timeline: Pending from requested, InProgress from start, final at end. A
// cancel at tc shows Cancelling from tc and Cancelled at tc+cancelDelay, even
// if the natural end falls in between, except for IgnoreCancel and
// StuckCancelling nodes.
func (s *Server) stateAt(c *command, inv *invocation, now time.Time) invocationState {
	start := c.requested.Add(s.pending)
	end := start.Add(s.run)

	var st invocationState
	st.responseCode = -1
	if !now.Before(start) {
		st.startedAt = start
	}

	if !inv.cancelAt.IsZero() && !now.Before(inv.cancelAt) {
		switch inv.behavior {
		case StuckCancelling:
			st.status = types.CommandInvocationStatusCancelling
			return st

		case IgnoreCancel:
			if now.Before(end) {
				st.status = types.CommandInvocationStatusCancelling
				return st
			}

		default:
			done := inv.cancelAt.Add(s.cancelDelay)
			if now.Before(done) {
				st.status = types.CommandInvocationStatusCancelling
				return st
			}
			st.status = types.CommandInvocationStatusCancelled
			st.endedAt = done
			if !start.Before(done) {
				st.startedAt = time.Time{}
			}
			return st
		}
	}

	switch {
	case now.Before(start):
		st.status = types.CommandInvocationStatusPending
	case now.Before(end):
		st.status = types.CommandInvocationStatusInProgress
	default:
		st.endedAt = end
		switch inv.behavior {
		case Fail:
			st.status = types.CommandInvocationStatusFailed
			st.responseCode = 1
		case TimeOut:
			st.status = types.CommandInvocationStatusTimedOut
			// NOTE: the agent's exit code for an execution timeout is a
			// guess; the emulator reports -1 (no exit code).
		default:
			st.status = types.CommandInvocationStatusSuccess
			st.responseCode = 0
		}
	}

	return st
}

// commandSummary is a command's aggregate status at one instant.
type commandSummary struct {
	status         types.CommandStatus
	details        string
	completedCount int32
	errorCount     int32
}

// summarize derives the command's status from its invocations, after
// "Understanding command statuses" in the Systems Manager User Guide. The
// status is Pending while every invocation is pending, Cancelling while a
// cancelled invocation has not finished, and InProgress while any other is
// not terminal. Then it is Success if all succeeded, Cancelled if any was
// cancelled, Failed if any failed (the emulator's MaxErrors is 0), and
// TimedOut otherwise.
//
// NOTE: the service may report a partly cancelled or partly failed command
// differently (for example with StatusDetails "Incomplete"); this rule is the
// emulator's simplification.
func (s *Server) summarize(c *command, now time.Time) commandSummary {
	var pending, cancelling, nonTerminal, success, cancelled, failed, timedOut int32
	for i := range c.invocations {
		switch s.stateAt(c, &c.invocations[i], now).status {
		case types.CommandInvocationStatusPending:
			pending++
			nonTerminal++
		case types.CommandInvocationStatusCancelling:
			cancelling++
			nonTerminal++
		case types.CommandInvocationStatusInProgress:
			nonTerminal++
		case types.CommandInvocationStatusSuccess:
			success++
		case types.CommandInvocationStatusCancelled:
			cancelled++
		case types.CommandInvocationStatusFailed:
			failed++
		case types.CommandInvocationStatusTimedOut:
			timedOut++
		}
	}

	total := int32(len(c.invocations))
	sum := commandSummary{
		completedCount: total - nonTerminal,
		errorCount:     failed + timedOut,
	}

	switch {
	case cancelling > 0:
		sum.status, sum.details = types.CommandStatusCancelling, "Cancelling"
	case nonTerminal > 0 && pending == total:
		sum.status, sum.details = types.CommandStatusPending, "Pending"
	case nonTerminal > 0:
		sum.status, sum.details = types.CommandStatusInProgress, "In Progress"
	case success == total:
		sum.status, sum.details = types.CommandStatusSuccess, "Success"
	case cancelled > 0:
		sum.status, sum.details = types.CommandStatusCancelled, "Cancelled"
	case failed > 0:
		sum.status, sum.details = types.CommandStatusFailed, "Failed"
	default:
		sum.status, sum.details = types.CommandStatusTimedOut, "Execution Timed Out"
	}

	return sum
}

// InvocationStatus returns the status of the invocation of commandID on
// instanceID at the server's current time, and false if there is none.
func (s *Server) InvocationStatus(commandID, instanceID string) (types.CommandInvocationStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()

	c, ok := s.commands[commandID]
	if !ok {
		return "", false
	}
	i, ok := c.index[instanceID]
	if !ok {
		return "", false
	}

	return s.stateAt(c, &c.invocations[i], s.clock.Now()).status, true
}

// CommandStatus returns the aggregate status of commandID at the server's
// current time, and false if there is no such command.
func (s *Server) CommandStatus(commandID string) (types.CommandStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()

	c, ok := s.commands[commandID]
	if !ok {
		return "", false
	}

	return s.summarize(c, s.clock.Now()).status, true
}
