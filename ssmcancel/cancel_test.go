package ssmcancel_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/ssmcancel"
)

const commandID = "0b9f6e02-8a3c-4a1b-9c1e-2d5f8e7a6b4c"

// request is what the loopback server received.
type request struct {
	Target      string
	ContentType string
	Body        map[string]any
}

// recorder is a loopback SSM endpoint whose responses a test scripts.
type recorder struct {
	mu       sync.Mutex
	requests []request
}

func (r *recorder) received() []request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]request(nil), r.requests...)
}

// newRecorder starts a loopback server that records each request and
// passes it to respond, and returns a real *ssm.Client for it whose
// retryer does not pause between attempts.
func newRecorder(t *testing.T, respond http.HandlerFunc) (*recorder, *ssm.Client) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var decoded map[string]any
		if err := json.Unmarshal(body, &decoded); err != nil {
			t.Errorf("request body %q is not JSON: %v", body, err)
		}
		rec.mu.Lock()
		rec.requests = append(rec.requests, request{
			Target:      r.Header.Get("X-Amz-Target"),
			ContentType: r.Header.Get("Content-Type"),
			Body:        decoded,
		})
		rec.mu.Unlock()
		respond(w, r)
	}))
	t.Cleanup(srv.Close)
	return rec, newSDKClient(srv.URL)
}

func newSDKClient(url string) *ssm.Client {
	return ssm.New(ssm.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "test-secret", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
}

func ok(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-RequestId", "req-ok")
	io.WriteString(w, "{}")
}

func TestCancelRequest(t *testing.T) {
	fifty := nodeIDs(50)
	fiftyAny := make([]any, len(fifty))
	for i, id := range fifty {
		fiftyAny[i] = id
	}
	tests := []struct {
		name        string
		instanceIDs []string
		wantBody    map[string]any
	}{
		{"no IDs", nil, map[string]any{"CommandId": commandID}},
		{"empty slice", []string{}, map[string]any{"CommandId": commandID}},
		{"one ID", []string{"i-1234abcd"}, map[string]any{"CommandId": commandID, "InstanceIds": []any{"i-1234abcd"}}},
		{"fifty IDs", fifty, map[string]any{"CommandId": commandID, "InstanceIds": fiftyAny}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, api := newRecorder(t, ok)
			if err := ssmcancel.New(api).Cancel(context.Background(), commandID, tt.instanceIDs...); err != nil {
				t.Fatalf("Cancel() = %v, want nil", err)
			}
			want := []request{{Target: "AmazonSSM.CancelCommand", ContentType: "application/x-amz-json-1.1", Body: tt.wantBody}}
			if diff := cmp.Diff(want, rec.received()); diff != "" {
				t.Errorf("requests mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCancelInvalidInputSendsNothing(t *testing.T) {
	tests := []struct {
		name        string
		commandID   string
		instanceIDs []string
		want        error
	}{
		{"short command ID", "abc", nil, ssmerrors.ErrInvalidCommandID},
		{"invalid UTF-8 command ID", "\xff" + commandID[1:], nil, ssmerrors.ErrInvalidCommandID},
		{"bad node ID", commandID, []string{"i-0b8185eca982369a"}, ssmerrors.ErrInvalidInstanceID},
		{"duplicate node ID", commandID, []string{"i-1234abcd", "i-1234abcd"}, ssmerrors.ErrDuplicateInstanceID},
		{"fifty-one node IDs", commandID, nodeIDs(51), ssmerrors.ErrTooManyInstanceIDs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, api := newRecorder(t, ok)
			err := ssmcancel.New(api).Cancel(context.Background(), tt.commandID, tt.instanceIDs...)
			if !errors.Is(err, tt.want) {
				t.Errorf("Cancel() = %v, want an error matching %v", err, tt.want)
			}
			var v *ssmerrors.ValidationError
			if !errors.As(err, &v) {
				t.Errorf("Cancel() = %v, want a *ValidationError", err)
			}
			if n := len(rec.received()); n != 0 {
				t.Errorf("server received %d requests, want 0", n)
			}
		})
	}
}

// reply returns a handler that responds to every request with status,
// headers and body.
func reply(status int, header map[string]string, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func TestCancelErrorShapes(t *testing.T) {
	jsonHeader := map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amzn-RequestId": "req-1"}
	withHeader := func(extra map[string]string) map[string]string {
		h := map[string]string{}
		for k, v := range jsonHeader {
			h[k] = v
		}
		for k, v := range extra {
			h[k] = v
		}
		return h
	}
	const tooMany = "1 validation error detected: Value '[i-1]' at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50"

	tests := []struct {
		name     string
		respond  http.HandlerFunc
		want     *ssmerrors.ServiceError // Operation, Code, Message, RequestID, StatusCode
		sentinel error                   // nil: matches no sentinel
		attempts int
		asType   any // a pointer to a typed SDK error that errors.As must find, or nil
	}{
		{
			name:     "plain __type",
			respond:  reply(400, jsonHeader, `{"__type":"InvalidCommandId"}`),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", Code: "InvalidCommandId", RequestID: "req-1", StatusCode: 400},
			sentinel: ssmerrors.ErrInvalidCommandID,
			attempts: 1,
			asType:   new(*types.InvalidCommandId),
		},
		{
			name:     "namespaced __type",
			respond:  reply(400, jsonHeader, `{"__type":"com.amazonaws.ssm#InvalidCommandId"}`),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", Code: "InvalidCommandId", RequestID: "req-1", StatusCode: 400},
			sentinel: ssmerrors.ErrInvalidCommandID,
			attempts: 1,
			asType:   new(*types.InvalidCommandId),
		},
		{
			name:     "X-Amzn-ErrorType header alone",
			respond:  reply(400, withHeader(map[string]string{"X-Amzn-ErrorType": "InvalidInstanceId:http://internal.amazon.com/coral/com.amazonaws.ssm/"}), `{}`),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", Code: "InvalidInstanceId", RequestID: "req-1", StatusCode: 400},
			sentinel: ssmerrors.ErrInvalidInstanceID,
			attempts: 1,
			asType:   new(*types.InvalidInstanceId),
		},
		{
			name:     "Message with capital M",
			respond:  reply(400, jsonHeader, `{"__type":"InvalidInstanceId","Message":"Instances [[i-1234abcd]] not in a valid state"}`),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", Code: "InvalidInstanceId", Message: "Instances [[i-1234abcd]] not in a valid state", RequestID: "req-1", StatusCode: 400},
			sentinel: ssmerrors.ErrInvalidInstanceID,
			attempts: 1,
			asType:   new(*types.InvalidInstanceId),
		},
		{
			name:     "message in lower case",
			respond:  reply(400, jsonHeader, `{"__type":"InvalidInstanceId","message":"not in a valid state"}`),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", Code: "InvalidInstanceId", Message: "not in a valid state", RequestID: "req-1", StatusCode: 400},
			sentinel: ssmerrors.ErrInvalidInstanceID,
			attempts: 1,
			asType:   new(*types.InvalidInstanceId),
		},
		{
			name:     "duplicate without message",
			respond:  reply(400, jsonHeader, `{"__type":"DuplicateInstanceId"}`),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", Code: "DuplicateInstanceId", RequestID: "req-1", StatusCode: 400},
			sentinel: ssmerrors.ErrDuplicateInstanceID,
			attempts: 1,
			asType:   new(*types.DuplicateInstanceId),
		},
		{
			name:     "validation exception",
			respond:  reply(400, jsonHeader, `{"__type":"ValidationException","message":"`+tooMany+`"}`),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", Code: "ValidationException", Message: tooMany, RequestID: "req-1", StatusCode: 400},
			sentinel: ssmerrors.ErrTooManyInstanceIDs,
			attempts: 1,
		},
		{
			name:     "access denied",
			respond:  reply(400, jsonHeader, `{"__type":"AccessDeniedException","Message":"not authorized"}`),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", Code: "AccessDeniedException", Message: "not authorized", RequestID: "req-1", StatusCode: 400},
			sentinel: ssmerrors.ErrAccessDenied,
			attempts: 1,
		},
		{
			name:     "unknown code",
			respond:  reply(400, jsonHeader, `{"__type":"BrandNewException","message":"new"}`),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", Code: "BrandNewException", Message: "new", RequestID: "req-1", StatusCode: 400},
			attempts: 1,
		},
		{
			name:     "internal server error retried",
			respond:  reply(500, jsonHeader, `{"__type":"InternalServerError","message":"oops"}`),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", Code: "InternalServerError", Message: "oops", RequestID: "req-1", StatusCode: 500},
			sentinel: ssmerrors.ErrInternalServer,
			attempts: 3,
			asType:   new(*types.InternalServerError),
		},
		{
			name:     "empty 500 retried",
			respond:  reply(500, map[string]string{"X-Amzn-RequestId": "req-1"}, ``),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", Code: "UnknownError", Message: "UnknownError", RequestID: "req-1", StatusCode: 500},
			sentinel: ssmerrors.ErrInternalServer,
			attempts: 3,
		},
		{
			name:     "HTML 502 retried",
			respond:  reply(502, map[string]string{"Content-Type": "text/html"}, `<html><body><h1>502 Bad Gateway</h1></body></html>`),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", StatusCode: 502},
			sentinel: ssmerrors.ErrInternalServer,
			attempts: 3,
		},
		{
			name:     "throttling retried",
			respond:  reply(400, jsonHeader, `{"__type":"ThrottlingException","message":"Rate exceeded"}`),
			want:     &ssmerrors.ServiceError{Operation: "CancelCommand", Code: "ThrottlingException", Message: "Rate exceeded", RequestID: "req-1", StatusCode: 400},
			sentinel: ssmerrors.ErrThrottled,
			attempts: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, api := newRecorder(t, tt.respond)
			err := ssmcancel.New(api).Cancel(context.Background(), commandID, "i-1234abcd")

			var got *ssmerrors.ServiceError
			if !errors.As(err, &got) {
				t.Fatalf("Cancel() = %v, want a *ServiceError", err)
			}
			ignore := cmpopts.IgnoreFields(ssmerrors.ServiceError{}, "Err")
			if tt.want.Code == "" {
				// The SDK's code and message for a body it cannot read vary
				// between versions; only the status must hold.
				ignore = cmpopts.IgnoreFields(ssmerrors.ServiceError{}, "Err", "Code", "Message", "RequestID")
			}
			if diff := cmp.Diff(tt.want, got, ignore, cmpopts.IgnoreUnexported(ssmerrors.ServiceError{})); diff != "" {
				t.Errorf("ServiceError mismatch (-want +got):\n%s", diff)
			}

			for _, sentinel := range []error{ssmerrors.ErrInvalidCommandID, ssmerrors.ErrInvalidInstanceID, ssmerrors.ErrDuplicateInstanceID,
				ssmerrors.ErrTooManyInstanceIDs, ssmerrors.ErrInternalServer, ssmerrors.ErrThrottled, ssmerrors.ErrAccessDenied, ssmerrors.ErrValidation} {
				if want := sentinel == tt.sentinel; errors.Is(err, sentinel) != want {
					t.Errorf("errors.Is(err, %v) = %v, want %v; err = %v", sentinel, !want, want, err)
				}
			}

			var opErr *smithy.OperationError
			if !errors.As(err, &opErr) {
				t.Errorf("errors.As(err, *smithy.OperationError) = false; err = %v", err)
			}
			if tt.asType != nil && !errors.As(err, tt.asType) {
				t.Errorf("errors.As(err, %T) = false; err = %v", tt.asType, err)
			}
			if got := len(rec.received()); got != tt.attempts {
				t.Errorf("server received %d attempts, want %d", got, tt.attempts)
			}
		})
	}
}

func TestCancelRetriedThenAccepted(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	rec, api := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			reply(500, nil, `{"__type":"InternalServerError"}`)(w, r)
			return
		}
		ok(w, r)
	})
	if err := ssmcancel.New(api).Cancel(context.Background(), commandID); err != nil {
		t.Fatalf("Cancel() = %v, want nil after a retry", err)
	}
	if got := len(rec.received()); got != 2 {
		t.Errorf("server received %d attempts, want 2", got)
	}
}

func TestCancelContextDeadline(t *testing.T) {
	release := make(chan struct{})
	_, api := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := ssmcancel.New(api).Cancel(ctx, commandID)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Cancel() = %v, want an error matching context.DeadlineExceeded", err)
	}
	var serviceErr *ssmerrors.ServiceError
	if errors.As(err, &serviceErr) {
		t.Errorf("Cancel() = %v, want no *ServiceError for a deadline", err)
	}
}

func TestCancelContextCanceled(t *testing.T) {
	_, api := newRecorder(t, ok)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := ssmcancel.New(api).Cancel(ctx, commandID)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Cancel() = %v, want an error matching context.Canceled", err)
	}
}

func TestCancelPassesAPIOptions(t *testing.T) {
	_, api := newRecorder(t, ok)
	var mu sync.Mutex
	var regions []string
	client := ssmcancel.New(api, func(o *ssmcancel.Options) {
		o.APIOptions = append(o.APIOptions, func(o *ssm.Options) {
			mu.Lock()
			defer mu.Unlock()
			regions = append(regions, o.Region)
		})
	})
	for range 2 {
		if err := client.Cancel(context.Background(), commandID); err != nil {
			t.Fatalf("Cancel() = %v", err)
		}
	}
	if diff := cmp.Diff([]string{"us-east-1", "us-east-1"}, regions); diff != "" {
		t.Errorf("per-call option calls mismatch (-want +got):\n%s", diff)
	}
}

func TestCancelErrorMessage(t *testing.T) {
	_, api := newRecorder(t, reply(400, map[string]string{"X-Amzn-RequestId": "req-9"}, `{"__type":"InvalidCommandId"}`))
	err := ssmcancel.New(api).Cancel(context.Background(), commandID)
	want := `ssmcancel: cancel command "` + commandID + `": ssm CancelCommand: InvalidCommandId: the service has no command with this ID in this account and Region (HTTP 400, request ID req-9)`
	if err == nil || err.Error() != want {
		t.Errorf("Cancel() error = %q, want %q", err, want)
	}

	long := strings.Repeat("x", 10<<20)
	err = ssmcancel.New(api).Cancel(context.Background(), long)
	if err == nil || len(err.Error()) > 1024 {
		t.Errorf("Cancel(10 MB ID) error has %d bytes, want at most 1024", len(fmt.Sprint(err)))
	}
}

// nodeIDs returns n distinct valid instance IDs.
func nodeIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("i-%017x", i+1)
	}
	return ids
}

func TestCancelConnectionRefused(t *testing.T) {
	// A listener that is closed at once leaves a port that refuses
	// connections.
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()

	err := ssmcancel.New(newSDKClient(url)).Cancel(context.Background(), commandID)
	if err == nil {
		t.Fatal("Cancel() = nil, want a connection error")
	}
	var serviceErr *ssmerrors.ServiceError
	if errors.As(err, &serviceErr) {
		t.Errorf("Cancel() = %v, a *ServiceError; want the network error unchanged", err)
	}
	if !strings.Contains(err.Error(), "refused") {
		t.Errorf("Cancel() = %q, want it to name the refused connection", err)
	}
	var opErr *smithy.OperationError
	if !errors.As(err, &opErr) {
		t.Errorf("errors.As(err, *smithy.OperationError) = false; err = %v", err)
	}
}
