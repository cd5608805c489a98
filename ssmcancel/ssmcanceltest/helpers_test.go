package ssmcanceltest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// testStart is the FakeClock's start in tests: a whole second, so epoch
// timestamps survive the JSON round trip exactly.
var testStart = time.Unix(1_700_000_000, 0).UTC()

// Lifecycle durations in tests, distinct so a wrong sum shows.
const (
	testPending     = 1 * time.Second
	testRun         = 10 * time.Second
	testCancelDelay = 2 * time.Second
)

// newTestServer starts a server on a FakeClock with the test durations and
// returns it with a client that retries without waiting.
func newTestServer(t *testing.T, optFns ...func(*Options)) (*Server, *FakeClock, *ssm.Client) {
	t.Helper()

	clock := NewFakeClock(testStart)
	fns := append([]func(*Options){func(o *Options) {
		o.Clock = clock
		o.PendingDuration = testPending
		o.RunDuration = testRun
		o.CancelDelay = testCancelDelay
	}}, optFns...)
	s := NewServer(fns...)
	t.Cleanup(s.Close)

	return s, clock, s.Client(noBackoff)
}

// noBackoff keeps the SDK's standard retryer (3 attempts) but retries at once.
func noBackoff(o *ssm.Options) {
	o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
		so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

// sendCommand sends AWS-RunShellScript to ids and returns the command ID.
func sendCommand(t *testing.T, client *ssm.Client, ids ...string) string {
	t.Helper()

	out, err := client.SendCommand(context.Background(), &ssm.SendCommandInput{
		DocumentName: aws.String("AWS-RunShellScript"),
		InstanceIds:  ids,
		Parameters:   map[string][]string{"commands": {"sleep 60"}},
	})
	if err != nil {
		t.Fatalf("SendCommand(%v): %v", ids, err)
	}

	return aws.ToString(out.Command.CommandId)
}

// checkAPIError fails the test unless err carries an API error with code and
// message.
func checkAPIError(t *testing.T, err error, code, message string) {
	t.Helper()

	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an API error with code %s", err, code)
	}
	if got := apiErr.ErrorCode(); got != code {
		t.Errorf("ErrorCode() = %q, want %q", got, code)
	}
	if got := apiErr.ErrorMessage(); got != message {
		t.Errorf("ErrorMessage() = %q, want %q", got, message)
	}
}

// sdkOptions compares SDK structs field by field, ignoring unexported
// markers and response metadata.
var sdkOptions = cmp.Options{
	cmpopts.IgnoreUnexported(
		ssm.SendCommandOutput{}, ssm.ListCommandsOutput{}, ssm.ListCommandInvocationsOutput{},
		ssm.GetCommandInvocationOutput{}, ssm.CancelCommandOutput{},
		types.Command{}, types.CommandInvocation{}, types.CommandPlugin{}, types.Target{},
	),
	cmpopts.IgnoreFields(ssm.SendCommandOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(ssm.ListCommandsOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(ssm.ListCommandInvocationsOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(ssm.GetCommandInvocationOutput{}, "ResultMetadata"),
	cmpopts.IgnoreFields(ssm.CancelCommandOutput{}, "ResultMetadata"),
	cmpopts.EquateEmpty(),
	cmpopts.EquateApproxTime(time.Millisecond),
}

// instanceIDs returns n distinct well-formed instance IDs.
func instanceIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmtInstanceID(i)
	}
	return ids
}

func fmtInstanceID(i int) string {
	const digits = "0123456789abcdef"
	b := []byte("i-00000000000000000")
	for pos := len(b) - 1; i > 0; pos-- {
		b[pos] = digits[i%16]
		i /= 16
	}
	return string(b)
}
