package ssmcancel

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ssmkit/ssmcancel/validate"
)

// Options configures a Client. A zero or negative value of a number or
// duration selects its default, and a MaxDelay below MinDelay is raised to
// MinDelay.
type Options struct {
	// APIOptions are passed, unchanged and in order, to every SDK call the
	// Client makes, ahead of the Client's own per-call options.
	APIOptions []func(*ssm.Options)

	// MaxConcurrency is the maximum number of CancelCommand requests that
	// CancelAll has in flight at once. The default is 4.
	MaxConcurrency int

	// MaxRequestRate caps the CancelCommand requests per second that
	// CancelAll sends. The default, 0, sets no cap: CancelAll then starts at
	// 50 requests per second and follows the service's throttling.
	MaxRequestRate float64

	// MinDelay and MaxDelay bound the pause between two polls of Wait. The
	// pause starts near MinDelay and doubles, with jitter, up to MaxDelay.
	// The defaults are 250 milliseconds and 5 seconds: an SSM Agent
	// usually acknowledges a cancel within seconds.
	MinDelay time.Duration
	MaxDelay time.Duration

	// PollTimeout bounds each ListCommands and ListCommandInvocations call
	// of Wait, so that one hung call cannot hang the wait. The default is 20
	// seconds.
	PollTimeout time.Duration

	// VisibilityTimeout is how long after Wait starts a command or node that
	// the service does not list yet counts as not visible yet rather than
	// invalid. SSM lists a new command and its invocations only after a
	// short delay. The default is 30 seconds.
	VisibilityTimeout time.Duration

	// CancelTimeout bounds the cancel that CancelOnDone sends after its
	// context ends. The default is 30 seconds.
	CancelTimeout time.Duration

	// AfterCancelOnDone, when set, receives the result of each cancel that
	// CancelOnDone sends.
	AfterCancelOnDone func(outcomes []Outcome, err error)

	// Clock supplies the time and the pauses of Wait. The default is the
	// system clock. ssmcanceltest.FakeClock implements it, so a test can run
	// a wait against the test server in virtual time. With a clock whose
	// Sleep returns at once, a wait that never finishes polls without pause,
	// so bound it with a context deadline.
	Clock Clock
}

// Clock supplies time to a Client.
type Clock interface {
	// Now returns the current time.
	Now() time.Time

	// Sleep pauses for d, or until ctx is done, and then returns ctx.Err().
	Sleep(ctx context.Context, d time.Duration) error
}

// Default values of Options.
const (
	DefaultMaxConcurrency    = 4
	DefaultMinDelay          = 250 * time.Millisecond
	DefaultMaxDelay          = 5 * time.Second
	DefaultPollTimeout       = 20 * time.Second
	DefaultVisibilityTimeout = 30 * time.Second
	DefaultCancelTimeout     = 30 * time.Second
)

// Client cancels SSM Run Command commands. It is safe for concurrent use by
// multiple goroutines. Create it with New: the methods of a zero Client
// return an error.
type Client struct {
	api     API
	options Options
}

// New returns a Client that sends its requests through api, usually an
// *ssm.Client, with the options that optFns set. Nil option functions are
// skipped. When api is nil, every method of the Client returns an error.
func New(api API, optFns ...func(*Options)) *Client {
	var o Options
	for _, fn := range optFns {
		if fn != nil {
			fn(&o)
		}
	}
	o.APIOptions = slices.Clone(o.APIOptions)
	o.setDefaults()
	return &Client{api: api, options: o}
}

func (o *Options) setDefaults() {
	if o.MaxConcurrency <= 0 {
		o.MaxConcurrency = DefaultMaxConcurrency
	}
	if o.MaxRequestRate < 0 {
		o.MaxRequestRate = 0
	}
	if o.MinDelay <= 0 {
		o.MinDelay = DefaultMinDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = DefaultMaxDelay
	}
	if o.MaxDelay < o.MinDelay {
		o.MaxDelay = o.MinDelay
	}
	if o.PollTimeout <= 0 {
		o.PollTimeout = DefaultPollTimeout
	}
	if o.VisibilityTimeout <= 0 {
		o.VisibilityTimeout = DefaultVisibilityTimeout
	}
	if o.CancelTimeout <= 0 {
		o.CancelTimeout = DefaultCancelTimeout
	}
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
}

// Cancel requests that the service stop the command on the given nodes,
// or on every node it was sent to when instanceIDs is empty. It checks the
// command ID and the node IDs first and sends nothing when they are
// invalid, then makes one CancelCommand call, which the SDK's retryer may
// retry. A nil error means the service accepted the request, not that the
// command stopped: use Wait or CancelAndWait to learn how it ended.
//
// Cancel takes at most validate.MaxInstanceIDs node IDs; CancelAll takes
// any number.
func (c *Client) Cancel(ctx context.Context, commandID string, instanceIDs ...string) error {
	if err := c.check(); err != nil {
		return &OperationError{Operation: opCancel, CommandID: commandID, Err: err}
	}
	if err := validate.CommandID(commandID); err != nil {
		return &OperationError{Operation: opCancel, CommandID: commandID, Err: err}
	}
	if err := validate.InstanceIDs(instanceIDs); err != nil {
		return &OperationError{Operation: opCancel, CommandID: commandID, Err: err}
	}
	return c.cancelCommand(ctx, commandID, instanceIDs)
}

// errNoAPI reports a Client made without New or with a nil API.
var errNoAPI = errors.New("the Client has no SSM API: create it with ssmcancel.New and a non-nil API, such as an *ssm.Client")

// check returns errNoAPI when the Client cannot send requests.
func (c *Client) check() error {
	if c == nil || c.api == nil {
		return errNoAPI
	}
	return nil
}

// cancelCommand sends one CancelCommand request for valid input, adding
// extra to the caller's per-call options.
func (c *Client) cancelCommand(ctx context.Context, commandID string, instanceIDs []string, extra ...func(*ssm.Options)) error {
	input := &ssm.CancelCommandInput{CommandId: aws.String(commandID)}
	if len(instanceIDs) > 0 {
		// An empty list would be sent as "InstanceIds": [], so leave it
		// out; both mean every node.
		input.InstanceIds = instanceIDs
	}

	_, err := c.api.CancelCommand(ctx, input, c.apiOptions(extra)...)
	if err != nil {
		return &OperationError{Operation: opCancel, CommandID: commandID, Err: fromSDK("CancelCommand", err)}
	}
	return nil
}

// apiOptions returns the caller's per-call options followed by extra.
func (c *Client) apiOptions(extra []func(*ssm.Options)) []func(*ssm.Options) {
	if len(extra) == 0 {
		return c.options.APIOptions
	}
	fns := make([]func(*ssm.Options), 0, len(c.options.APIOptions)+len(extra))
	fns = append(fns, c.options.APIOptions...)
	return append(fns, extra...)
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return ctx.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
}
