package ssmcanceltest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

func TestFailNext(t *testing.T) {
	tests := []struct {
		name     string
		fault    Fault
		n        int
		attempts int // SDK attempts for one call, standard retryer of 3
		wantErr  bool
		status   int
		code     string
	}{
		{"throttle then success", Throttle(), 1, 2, false, 400, "ThrottlingException"},
		{"internal error exhausts retries", InternalError(), 3, 3, true, 500, "InternalServerError"},
		{"bad gateway HTML", BadGatewayHTML(), 1, 2, false, 502, ""},
		{"empty internal error", EmptyInternalError(), 1, 2, false, 500, ""},
		{"dropped connection", DropConnection(), 1, 2, false, 0, ""},
		{"custom code not retried", Fault{StatusCode: 400, Code: "InvalidCommandId"}, 1, 1, true, 400, "InvalidCommandId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, client := newTestServer(t)
			id := sendCommand(t, client, "i-12345678")
			s.ResetCalls()
			s.FailNext("CancelCommand", tt.n, tt.fault)

			_, err := client.CancelCommand(context.Background(), &ssm.CancelCommandInput{CommandId: aws.String(id)})

			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Errorf("CancelCommand error = %v, want error: %t", err, tt.wantErr)
			}
			calls := s.Calls()
			if len(calls) != tt.attempts {
				t.Fatalf("calls = %d, want %d attempts", len(calls), tt.attempts)
			}
			first := calls[0]
			if !first.Injected || first.StatusCode != tt.status || first.ErrorCode != tt.code {
				t.Errorf("first call = {Injected:%t StatusCode:%d ErrorCode:%q}, want {true %d %q}",
					first.Injected, first.StatusCode, first.ErrorCode, tt.status, tt.code)
			}
			if got := s.CallCount("CancelCommand"); got != tt.attempts {
				t.Errorf("CallCount(CancelCommand) = %d, want %d", got, tt.attempts)
			}
		})
	}
}

func TestFailNextCodeAndMessage(t *testing.T) {
	s, _, client := newTestServer(t)
	s.FailNext("ListCommands", 1, Fault{StatusCode: 400, Code: "AccessDeniedException", Message: "not allowed"})

	_, err := client.ListCommands(context.Background(), &ssm.ListCommandsInput{})

	checkAPIError(t, err, "AccessDeniedException", "not allowed")
}

func TestFailNextBadGatewayBody(t *testing.T) {
	s, _, _ := newTestServer(t)
	s.FailNext("ListCommands", 1, BadGatewayHTML())

	req, _ := http.NewRequest(http.MethodPost, s.URL, strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "AmazonSSM.ListCommands")
	req.Header.Set("Authorization", "test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	resp.Body.Close()

	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("status = %d, want 502", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html" {
		t.Errorf("Content-Type = %q, want text/html", ct)
	}
}

func TestSlowReply(t *testing.T) {
	s, _, client := newTestServer(t)
	s.FailNext("ListCommands", 1, SlowReply(time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()

	_, err := client.ListCommands(ctx, &ssm.ListCommandsInput{})

	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ListCommands error = %v, want context.DeadlineExceeded", err)
	}
}

func TestSlowReplyAnswers(t *testing.T) {
	s, _, client := newTestServer(t)
	s.FailNext("ListCommands", 1, SlowReply(20*time.Millisecond))

	_, err := client.ListCommands(context.Background(), &ssm.ListCommandsInput{})

	if err != nil {
		t.Errorf("ListCommands: %v", err)
	}
	if calls := s.Calls(); len(calls) != 1 || calls[0].Duration < 20*time.Millisecond {
		t.Errorf("calls = %+v, want one call of at least 20ms", calls)
	}
}

func TestRateLimit(t *testing.T) {
	s, clock, _ := newTestServer(t)
	client := s.Client(func(o *ssm.Options) { o.RetryMaxAttempts = 1 })
	s.SetRateLimit("ListCommands", 2, 3)
	list := func() error {
		_, err := client.ListCommands(context.Background(), &ssm.ListCommandsInput{})
		return err
	}

	var got []string
	record := func() {
		err := list()
		var apiErr smithy.APIError
		switch {
		case err == nil:
			got = append(got, "ok")
		case errors.As(err, &apiErr):
			got = append(got, apiErr.ErrorCode()+": "+apiErr.ErrorMessage())
		default:
			t.Fatalf("ListCommands: %v", err)
		}
	}
	for range 4 { // burst of 3, then throttled
		record()
	}
	clock.Advance(500 * time.Millisecond) // one token at 2 per second
	record()
	record()
	if _, err := client.SendCommand(context.Background(), &ssm.SendCommandInput{
		DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: []string{"i-12345678"},
	}); err != nil {
		t.Errorf("SendCommand, which has no limit: %v", err)
	}
	s.SetRateLimit("ListCommands", 0, 0)
	record()

	const throttled = "ThrottlingException: Rate exceeded"
	want := []string{"ok", "ok", "ok", throttled, "ok", throttled, "ok"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers mismatch (-want +got):\n%s", diff)
	}
}
