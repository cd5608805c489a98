package ssmcancel

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/validate"
)

// Outcome is the result of a cancel for one node.
type Outcome struct {
	// InstanceID is the node ID as the caller passed it.
	InstanceID string

	// Err is nil when the service accepted the cancel for the node. It is
	// a *ssmerrors.ValidationError when the ID was invalid or repeated, and
	// the request's error otherwise.
	Err error
}

// CancelAll requests that the service stop the command on any number of
// nodes. It returns one Outcome for each element of instanceIDs, in the
// same order, whatever fails.
//
// Invalid IDs get their validation error and are never sent. For a
// repeated ID, the first occurrence is sent and each later one gets an
// error that matches ssmerrors.ErrDuplicateInstanceID. The valid IDs go out
// in CancelCommand requests of at most validate.MaxInstanceIDs, with at
// most Options.MaxConcurrency in flight. When the service rejects a request
// with InvalidInstanceId, which one terminated or unmanaged node causes for
// the whole request, CancelAll splits it in halves until the bad nodes are
// alone, so that every other node is still cancelled. Throttled requests
// are sent again; the rate of requests follows the service's throttling
// and never exceeds Options.MaxRequestRate. An error that applies to the
// whole command, such as an unknown command ID or denied access, ends the
// work: the nodes not yet sent get the same error.
//
// With no instance IDs, CancelAll makes one request that cancels the
// command on every node it was sent to, and returns no outcomes.
//
// The error is nil when every outcome succeeded. Otherwise errors.Is
// matches it against each distinct sentinel among the outcomes' errors,
// and against the context's error when ctx ended the work.
func (c *Client) CancelAll(ctx context.Context, commandID string, instanceIDs []string) ([]Outcome, error) {
	outcomes := make([]Outcome, len(instanceIDs))
	for i, id := range instanceIDs {
		outcomes[i].InstanceID = id
	}

	err := c.check()
	if err == nil {
		err = validate.CommandID(commandID)
	}
	if err != nil {
		for i := range outcomes {
			outcomes[i].Err = err
		}
		return outcomes, &OperationError{Operation: opCancelAll, CommandID: commandID, Err: err}
	}
	if len(instanceIDs) == 0 {
		if err := c.cancelCommand(ctx, commandID, nil); err != nil {
			return outcomes, &OperationError{Operation: opCancelAll, CommandID: commandID, Err: errors.Unwrap(err)}
		}
		return outcomes, nil
	}

	send := checkEach(instanceIDs, outcomes)
	run := &cancelRun{
		client:    c,
		commandID: commandID,
		ids:       instanceIDs,
		outcomes:  outcomes,
		pacer:     newPacer(c.options.MaxRequestRate),
	}
	run.do(ctx, send)
	return outcomes, summarize(commandID, outcomes)
}

// checkEach sets the validation error of each invalid or repeated ID in
// outcomes and returns the indexes of the IDs to send.
func checkEach(ids []string, outcomes []Outcome) []int {
	send := make([]int, 0, len(ids))
	first := make(map[string]int, len(ids))
	for i, id := range ids {
		if err := validate.InstanceID(id); err != nil {
			var v *ssmerrors.ValidationError
			if errors.As(err, &v) {
				v.Index = i
			}
			outcomes[i].Err = err
			continue
		}
		if j, seen := first[id]; seen {
			outcomes[i].Err = validate.DuplicateError(i, id, j)
			continue
		}
		first[id] = i
		send = append(send, i)
	}
	return send
}

// cancelRun is the state of one CancelAll call.
type cancelRun struct {
	client    *Client
	commandID string
	ids       []string
	outcomes  []Outcome // each element written by one worker only
	pacer     *pacer

	mu    sync.Mutex
	fatal error // an error for the whole command; set once
}

// do cancels the nodes at the indexes in send, in batches.
func (r *cancelRun) do(ctx context.Context, send []int) {
	// A batch holds at least one node and is split at most into single
	// nodes, so the queue never holds more than len(send) batches and a
	// send on it never blocks.
	queue := make(chan []int, len(send))
	var pending sync.WaitGroup
	for start := 0; start < len(send); start += validate.MaxInstanceIDs {
		end := min(start+validate.MaxInstanceIDs, len(send))
		pending.Add(1)
		queue <- send[start:end:end]
	}

	enqueue := func(batch []int) {
		pending.Add(1)
		queue <- batch
	}

	var workers sync.WaitGroup
	for range min(r.client.options.MaxConcurrency, len(queue)) {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for batch := range queue {
				r.process(ctx, batch, enqueue)
				pending.Done()
			}
		}()
	}

	pending.Wait()
	close(queue)
	workers.Wait()
}

// process sends one batch, and either records its outcomes or puts the
// batch, or its halves, back on the queue.
func (r *cancelRun) process(ctx context.Context, batch []int, enqueue func([]int)) {
	if err := r.fatalError(); err != nil {
		r.record(batch, err)
		return
	}
	seq, err := r.pacer.wait(ctx)
	if err != nil {
		r.record(batch, notSent(ctx, err))
		return
	}

	ids := make([]string, len(batch))
	for i, index := range batch {
		ids[i] = r.ids[index]
	}
	err = r.client.cancelCommand(ctx, r.commandID, ids, returnThrottles)
	if err != nil {
		err = errors.Unwrap(err) // drop the OperationError of a single cancel
	}

	switch {
	case err == nil:
		r.pacer.succeeded()
		r.record(batch, nil)
	case errors.Is(err, ssmerrors.ErrThrottled) && ctx.Err() == nil:
		r.pacer.throttled(seq)
		enqueue(batch)
	case errors.Is(err, ssmerrors.ErrInvalidInstanceID) && len(batch) > 1:
		half := len(batch) / 2
		enqueue(batch[:half:half])
		enqueue(batch[half:])
	case errors.Is(err, ssmerrors.ErrInvalidCommandID), errors.Is(err, ssmerrors.ErrAccessDenied):
		r.setFatal(err)
		r.record(batch, err)
	default:
		r.record(batch, err)
	}
}

func (r *cancelRun) record(batch []int, err error) {
	for _, index := range batch {
		r.outcomes[index].Err = err
	}
}

func (r *cancelRun) fatalError() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fatal
}

func (r *cancelRun) setFatal(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fatal == nil {
		r.fatal = err
	}
}

// notSent returns the error for nodes left unsent because ctx ended, or
// because the pacer's next slot lies past ctx's deadline.
func notSent(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return &notSentError{err: ctxErr}
	}
	return &notSentError{err: fmt.Errorf("%w: %v", context.DeadlineExceeded, err)}
}

type notSentError struct{ err error }

func (e *notSentError) Error() string { return "not sent: " + e.err.Error() }
func (e *notSentError) Unwrap() error { return e.err }

// summarize returns nil when every outcome succeeded, and otherwise an
// error that counts the failures. It groups the failed nodes by sentinel,
// or by error where none fits, keeping client-side validation errors apart,
// and wraps the first error of each group.
func summarize(commandID string, outcomes []Outcome) error {
	// groupKey separates a node rejected on the client from one the
	// service rejected with the same sentinel.
	type groupKey struct {
		cause      error
		clientSide bool
	}
	var (
		failed int
		groups []failedGroup
		index  = map[groupKey]int{}
	)
	for _, o := range outcomes {
		if o.Err == nil {
			continue
		}
		failed++
		var v *ssmerrors.ValidationError
		key := groupKey{cause: sentinelOf(o.Err), clientSide: errors.As(o.Err, &v)}
		if key.cause == nil {
			key.cause = o.Err
		}
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, failedGroup{err: o.Err})
		}
		groups[i].instanceIDs = append(groups[i].instanceIDs, o.InstanceID)
	}
	if failed == 0 {
		return nil
	}
	return &OperationError{
		Operation: opCancelAll,
		CommandID: commandID,
		Err:       &nodesError{failed: failed, total: len(outcomes), groups: groups},
	}
}

var knownSentinels = []error{
	ssmerrors.ErrInvalidCommandID,
	ssmerrors.ErrInvalidInstanceID,
	ssmerrors.ErrTooManyInstanceIDs,
	ssmerrors.ErrDuplicateInstanceID,
	ssmerrors.ErrInternalServer,
	ssmerrors.ErrThrottled,
	ssmerrors.ErrAccessDenied,
	ssmerrors.ErrValidation,
	context.Canceled,
	context.DeadlineExceeded,
}

func sentinelOf(err error) error {
	for _, sentinel := range knownSentinels {
		if errors.Is(err, sentinel) {
			return sentinel
		}
	}
	return nil
}

// failedGroup is the nodes of a CancelAll call that failed for one reason.
type failedGroup struct {
	err         error // the first node's error
	instanceIDs []string
}

// nodesError reports the nodes of a CancelAll call that failed.
type nodesError struct {
	failed, total int
	groups        []failedGroup
}

// Error returns a message such as
// `2 of 300 nodes failed; 2 nodes ("i-…", "i-…"), the first with: <error>`.
func (e *nodesError) Error() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(e.failed) + " of " + strconv.Itoa(e.total) + " nodes failed")
	for _, g := range e.groups {
		b.WriteString("; " + countNodes(len(g.instanceIDs)))
		writeIDs(&b, g.instanceIDs)
		if len(g.instanceIDs) > 1 {
			b.WriteString(", the first with")
		}
		b.WriteString(": " + g.err.Error())
	}
	return b.String()
}

func (e *nodesError) Unwrap() []error {
	errs := make([]error, len(e.groups))
	for i, g := range e.groups {
		errs[i] = g.err
	}
	return errs
}

// countNodes returns "1 node" or "n nodes".
func countNodes(n int) string {
	if n == 1 {
		return "1 node"
	}
	return strconv.Itoa(n) + " nodes"
}
