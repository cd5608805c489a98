package ssmcancel

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/validate"
)

// Invocation is the state of a command on one node.
type Invocation struct {
	// InstanceID is the node ID.
	InstanceID string

	// Status is the last status the service listed for the node, or empty
	// when it never listed the node.
	Status types.CommandInvocationStatus

	// StatusDetails is the service's finer-grained status, such as
	// "Undeliverable" or "DeliveryTimedOut" for a Failed invocation.
	StatusDetails string

	// Err is the error of the cancel for this node in CancelAndWait, and
	// nil otherwise. Wait does not wait for a node whose cancel failed.
	Err error
}

// Terminal reports whether the status is final: Success, Failed, TimedOut
// or Cancelled.
func (inv Invocation) Terminal() bool { return terminalInvocation(inv.Status) }

func terminalInvocation(s types.CommandInvocationStatus) bool {
	switch s {
	case types.CommandInvocationStatusSuccess, types.CommandInvocationStatusFailed,
		types.CommandInvocationStatusTimedOut, types.CommandInvocationStatusCancelled:
		return true
	}
	return false
}

func terminalCommand(s types.CommandStatus) bool {
	switch s {
	case types.CommandStatusSuccess, types.CommandStatusFailed,
		types.CommandStatusTimedOut, types.CommandStatusCancelled:
		return true
	}
	return false
}

// pageSize is the MaxResults of each ListCommandInvocations call, the
// maximum the service allows.
const pageSize = 50

// Wait polls the service until each of the given nodes reaches a terminal
// status (Success, Failed, TimedOut or Cancelled) and returns one
// Invocation for each, in the order given. It rejects malformed and
// repeated instance IDs before it sends anything, but takes any number. Pending, InProgress, Delayed
// and Cancelling keep it polling. A node that ends with Success after a
// cancel is a result, not an error. With no instance IDs, Wait waits for
// the command itself and every invocation it lists, and returns them in
// the order the service lists them.
//
// Each round lists the command's invocations with ListCommandInvocations
// in pages of 50, so it costs at most one call per 50 nodes of the
// command. It stops paging once it has seen every requested node. With no
// instance IDs, each round also makes one ListCommands call. Between rounds
// Wait pauses between Options.MinDelay and Options.MaxDelay, with jitter.
// It pauses longer after a poll that was throttled, got a server error or
// timed out, and keeps polling. Each call is bounded by Options.PollTimeout.
// Any other error, such as denied access, ends the wait.
//
// SSM lists a new command only after a short delay, so until
// Options.VisibilityTimeout has passed Wait treats an empty list, an
// InvalidCommandId error and a missing node as not visible yet. After
// that, a node the command does not list ends the wait with an error that
// matches ssmerrors.ErrInvalidInstanceID and names it, and a command with
// no invocation listed at all ends it with ssmerrors.ErrInvalidCommandID.
//
// When ctx ends first, Wait returns the last statuses it saw with an error
// that matches both ctx.Err() and ssmerrors.ErrNotFinished.
func (c *Client) Wait(ctx context.Context, commandID string, instanceIDs ...string) ([]Invocation, error) {
	invocations := make([]Invocation, len(instanceIDs))
	for i, id := range instanceIDs {
		invocations[i].InstanceID = id
	}
	err := c.check()
	if err == nil {
		err = checkWaitInput(commandID, instanceIDs)
	}
	if err != nil {
		return invocations, &OperationError{Operation: opWait, CommandID: commandID, Err: err}
	}

	w := c.newWaiter(commandID, invocations)
	err = w.run(ctx)
	if err != nil {
		err = &OperationError{Operation: opWait, CommandID: commandID, Err: err}
	}
	return w.result(), err
}

// checkWaitInput checks the command ID, and each instance ID and repeats
// without the limit of 50 that applies to a single CancelCommand request.
func checkWaitInput(commandID string, instanceIDs []string) error {
	if err := validate.CommandID(commandID); err != nil {
		return err
	}
	outcomes := make([]Outcome, len(instanceIDs))
	checkEach(instanceIDs, outcomes)
	var errs []error
	for _, o := range outcomes {
		if o.Err != nil {
			errs = append(errs, o.Err)
		}
	}
	return ssmerrors.Join(errs...)
}

// waiter is the state of one wait.
type waiter struct {
	client    *Client
	commandID string
	start     time.Time

	// With instance IDs, invocations holds one element per requested node
	// and index maps a node ID to its element. Without, all is true and
	// invocations grows in the order the service lists them.
	invocations []Invocation
	index       map[string]int
	all         bool

	commandStatus types.CommandStatus
	listedAny     bool // whether any invocation of the command was listed
}

func (c *Client) newWaiter(commandID string, invocations []Invocation) *waiter {
	w := &waiter{
		client:      c,
		commandID:   commandID,
		start:       c.options.Clock.Now(),
		invocations: invocations,
		index:       make(map[string]int, len(invocations)),
		all:         len(invocations) == 0,
	}
	for i, inv := range invocations {
		w.index[inv.InstanceID] = i
	}
	return w
}

func (w *waiter) result() []Invocation { return w.invocations }

// run polls until the wait is over.
func (w *waiter) run(ctx context.Context) error {
	opts := w.client.options
	delay := opts.MinDelay
	for {
		done, slowDown, err := w.round(ctx)
		if err != nil {
			return err
		}
		if done {
			return nil
		}

		if slowDown {
			delay = double(delay, opts.MaxDelay)
		}
		// Equal jitter: half the delay is fixed, half is random.
		pause := delay/2 + rand.N(delay/2+1)
		if err := opts.Clock.Sleep(ctx, pause); err != nil {
			return w.notFinished(err)
		}
		delay = double(delay, opts.MaxDelay)
	}
}

// double returns 2*d, or limit when that is larger, without overflowing.
func double(d, limit time.Duration) time.Duration {
	if d > limit/2 {
		return limit
	}
	return 2 * d
}

// round polls the service once. done reports that the wait is over, and
// slowDown that a poll was throttled or failed in a way worth retrying.
func (w *waiter) round(ctx context.Context) (done, slowDown bool, err error) {
	if w.all {
		status, visible, retry, err := w.pollCommand(ctx)
		switch {
		case err != nil:
			return false, false, err
		case retry:
			return false, true, nil
		case !visible:
			return false, false, nil
		}
		w.commandStatus = status
	}

	seen, complete, retry, err := w.pollInvocations(ctx)
	switch {
	case err != nil:
		return false, false, err
	case retry:
		return false, true, nil
	}
	return w.finished(seen, complete)
}

// finished decides, after a round that listed the nodes in seen, whether
// the wait is over. complete reports that the round read every page.
func (w *waiter) finished(seen map[string]bool, complete bool) (done, slowDown bool, err error) {
	running := 0
	var missing []string
	for _, inv := range w.invocations {
		if inv.Terminal() || inv.Err != nil {
			continue
		}
		running++
		if !w.all && complete && !seen[inv.InstanceID] {
			missing = append(missing, inv.InstanceID)
		}
	}
	if len(missing) > 0 && w.pastVisibility() {
		if !w.listedAny {
			// The service lists an unknown command's invocations as an
			// empty list, so blame the command, not the nodes.
			return false, false, &notListedError{after: w.client.options.VisibilityTimeout}
		}
		return false, false, &notListedError{instanceIDs: missing, after: w.client.options.VisibilityTimeout}
	}
	if running > 0 {
		return false, false, nil
	}
	if !w.all {
		return true, false, nil
	}

	// Waiting for the whole command: its own status must be final, and
	// an empty list right after SendCommand means not visible yet.
	if len(w.invocations) == 0 && !w.pastVisibility() {
		return false, false, nil
	}
	return terminalCommand(w.commandStatus), false, nil
}

func (w *waiter) pastVisibility() bool {
	return w.client.options.Clock.Now().Sub(w.start) >= w.client.options.VisibilityTimeout
}

// pollCommand reads the command's status with ListCommands.
func (w *waiter) pollCommand(ctx context.Context) (status types.CommandStatus, visible, retry bool, err error) {
	pollCtx, cancel := context.WithTimeout(ctx, w.client.options.PollTimeout)
	defer cancel()
	out, err := w.client.api.ListCommands(pollCtx, &ssm.ListCommandsInput{
		CommandId: aws.String(w.commandID),
	}, w.client.options.APIOptions...)
	if err != nil {
		retry, err := w.classifyPollError(ctx, "ListCommands", err)
		return "", false, retry, err
	}
	for _, cmd := range out.Commands {
		if aws.ToString(cmd.CommandId) == w.commandID {
			return cmd.Status, true, false, nil
		}
	}
	if w.pastVisibility() {
		return "", false, false, &notListedError{after: w.client.options.VisibilityTimeout}
	}
	return "", false, false, nil
}

// pollInvocations lists the command's invocations, page by page, and
// records the status of each node of interest. It stops early once it has
// seen every requested node that is not final yet. seen holds the nodes
// listed in this round; complete reports that every page was read.
func (w *waiter) pollInvocations(ctx context.Context) (seen map[string]bool, complete, retry bool, err error) {
	seen = make(map[string]bool)
	waiting := 0
	for _, inv := range w.invocations {
		if !inv.Terminal() && inv.Err == nil {
			waiting++
		}
	}

	input := &ssm.ListCommandInvocationsInput{
		CommandId:  aws.String(w.commandID),
		MaxResults: aws.Int32(pageSize),
	}
	for {
		out, err := w.listPage(ctx, input)
		if err != nil {
			retry, err := w.classifyPollError(ctx, "ListCommandInvocations", err)
			return seen, false, retry, err
		}

		for _, ci := range out.CommandInvocations {
			w.listedAny = true
			id := aws.ToString(ci.InstanceId)
			i, ok := w.index[id]
			if !ok {
				if !w.all {
					continue
				}
				i = len(w.invocations)
				w.index[id] = i
				w.invocations = append(w.invocations, Invocation{InstanceID: id})
			}
			inv := &w.invocations[i]
			if inv.Err != nil || seen[id] {
				continue
			}
			seen[id] = true
			if !inv.Terminal() {
				inv.Status = ci.Status
				inv.StatusDetails = aws.ToString(ci.StatusDetails)
				if !w.all {
					waiting--
				}
			}
		}

		if out.NextToken == nil || *out.NextToken == "" {
			return seen, true, false, nil
		}
		if !w.all && waiting <= 0 {
			return seen, false, false, nil
		}
		input.NextToken = out.NextToken
	}
}

func (w *waiter) listPage(ctx context.Context, input *ssm.ListCommandInvocationsInput) (*ssm.ListCommandInvocationsOutput, error) {
	pollCtx, cancel := context.WithTimeout(ctx, w.client.options.PollTimeout)
	defer cancel()
	return w.client.api.ListCommandInvocations(pollCtx, input, w.client.options.APIOptions...)
}

// classifyPollError decides what a failed poll means. When ctx is done, the
// wait ends. Throttling, a server error or a poll that timed out gets a
// retry after a longer pause. An unknown command before the visibility
// timeout is not visible yet, and anything else ends the wait.
func (w *waiter) classifyPollError(ctx context.Context, operation string, err error) (retry bool, _ error) {
	if ctx.Err() != nil {
		return false, w.notFinished(ctx.Err())
	}
	err = fromSDK(operation, err)

	var serviceErr *ssmerrors.ServiceError
	isService := errors.As(err, &serviceErr)
	switch {
	case errors.Is(err, ssmerrors.ErrThrottled), errors.Is(err, ssmerrors.ErrInternalServer):
		return true, nil
	case errors.Is(err, context.DeadlineExceeded):
		return true, nil // this poll's own timeout
	case isService && (serviceErr.Code == "InvalidCommandId" || serviceErr.Code == "InvocationDoesNotExist") && !w.pastVisibility():
		return false, nil
	}
	return false, err
}

// notFinished returns the error for a wait that ctx ended: it matches
// ssmerrors.ErrNotFinished and cause, and names the nodes still running.
func (w *waiter) notFinished(cause error) error {
	var running []string
	for _, inv := range w.invocations {
		if inv.Err == nil && !inv.Terminal() {
			running = append(running, inv.InstanceID)
		}
	}
	return &notFinishedError{instanceIDs: running, total: len(w.invocations), all: w.all, cause: cause}
}

// notFinishedError reports a wait that ended before every node reached a
// terminal status.
type notFinishedError struct {
	instanceIDs []string
	total       int
	all         bool
	cause       error
}

func (e *notFinishedError) Error() string {
	var b strings.Builder
	if e.all && len(e.instanceIDs) == 0 {
		b.WriteString("the command did not reach a terminal status")
	} else {
		b.WriteString(strconv.Itoa(len(e.instanceIDs)) + " of " + strconv.Itoa(e.total) + " nodes did not reach a terminal status")
		writeIDs(&b, e.instanceIDs)
	}
	b.WriteString(": " + e.cause.Error())
	return b.String()
}

func (e *notFinishedError) Unwrap() []error { return []error{ssmerrors.ErrNotFinished, e.cause} }

// notListedError reports requested nodes, or with no nodes the command
// itself, that the service does not list after the visibility timeout.
type notListedError struct {
	instanceIDs []string
	after       time.Duration
}

func (e *notListedError) Error() string {
	if len(e.instanceIDs) == 0 {
		return "the service lists neither the command nor any invocation of it " + e.after.String() +
			" after the wait started; check the command ID, account and Region"
	}
	var b strings.Builder
	b.WriteString("the command does not list " + strconv.Itoa(len(e.instanceIDs)) + " requested nodes")
	writeIDs(&b, e.instanceIDs)
	b.WriteString(" " + e.after.String() + " after the wait started; check that the command was sent to them")
	return b.String()
}

func (e *notListedError) Unwrap() error {
	if len(e.instanceIDs) == 0 {
		return ssmerrors.ErrInvalidCommandID
	}
	return ssmerrors.ErrInvalidInstanceID
}

// maxListedIDs is the number of node IDs an error message names.
const maxListedIDs = 10

func writeIDs(b *strings.Builder, ids []string) {
	if len(ids) == 0 {
		return
	}
	b.WriteString(" (")
	for i, id := range ids {
		if i == maxListedIDs {
			b.WriteString(", and " + strconv.Itoa(len(ids)-maxListedIDs) + " more")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(ssmerrors.Quote(id))
	}
	b.WriteString(")")
}
