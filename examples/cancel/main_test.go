package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/google/go-cmp/cmp"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/internal/leakcheck"
	"github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }

// runProgram runs the program with args and returns its exit code and
// output.
func runProgram(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(t.Context(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunDemoTable(t *testing.T) {
	t.Parallel()

	code, stdout, stderr := runProgram(t)

	if code != exitOK {
		t.Fatalf("exit code = %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "embedded SSM emulator") {
		t.Errorf("stdout does not say it ran against the embedded emulator:\n%s", stdout)
	}
	for i, id := range demoNodes {
		row := rowOf(stdout, id)
		if row == "" {
			t.Errorf("stdout has no row for %s:\n%s", id, stdout)
			continue
		}
		want := "accepted  Cancelled"
		if i == demoIgnoresCancel {
			want = "accepted  Success"
		}
		if !strings.Contains(row, want) {
			t.Errorf("row of %s = %q, want it to contain %q", id, row, want)
		}
	}
	if row := rowOf(stdout, demoNodes[demoIgnoresCancel]); !strings.Contains(row, "despite the cancel") {
		t.Errorf("row of the node that ignores the cancel = %q, want a note that it ended Success despite the cancel", row)
	}
	if !strings.Contains(stdout, "Summary: 5 of 5 nodes accepted the cancel; final status: 4 Cancelled, 1 Success") {
		t.Errorf("stdout has no summary with the counts:\n%s", stdout)
	}
}

// rowOf returns the line of the table that starts with id, or "".
func rowOf(table, id string) string {
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, id+" ") {
			return line
		}
	}
	return ""
}

func TestRunDemoJSON(t *testing.T) {
	t.Parallel()

	code, stdout, stderr := runProgram(t, "-json")

	if code != exitOK {
		t.Fatalf("exit code = %d, want 0\nstderr:\n%s", code, stderr)
	}
	var got report
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("stdout is not a JSON report: %v\n%s", err, stdout)
	}

	var wantNodes []nodeResult
	for i, id := range demoNodes {
		n := nodeResult{InstanceID: id, Status: "Cancelled", StatusDetails: "Cancelled"}
		if i == demoIgnoresCancel {
			n = nodeResult{InstanceID: id, Status: "Success", StatusDetails: "Success", SuccessDespiteCancel: true}
		}
		wantNodes = append(wantNodes, n)
	}
	if diff := cmp.Diff(wantNodes, got.Nodes); diff != "" {
		t.Errorf("nodes mismatch (-want +got):\n%s", diff)
	}
	wantSummary := summary{Nodes: 5, Accepted: 5, Terminal: 5, SuccessDespiteCancel: 1, Statuses: map[string]int{"Cancelled": 4, "Success": 1}}
	if diff := cmp.Diff(wantSummary, got.Summary); diff != "" {
		t.Errorf("summary mismatch (-want +got):\n%s", diff)
	}
	if got.Target != "emulator" || got.CommandID == "" || got.Error != nil || got.ExitCode != 0 {
		t.Errorf("report = target %q, command ID %q, error %v, exit code %d; want emulator, an ID, no error, 0",
			got.Target, got.CommandID, got.Error, got.ExitCode)
	}
}

func TestRunDemoJSONFieldNames(t *testing.T) {
	rep := newReport(target{kind: "emulator"}, true, nil, nil)
	rep.Nodes = []nodeResult{{}}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var fields struct {
		Top   map[string]any
		Nodes []map[string]any `json:"nodes"`
	}
	if err := json.Unmarshal(data, &fields.Top); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatal(err)
	}

	for _, name := range []string{"target", "endpoint_url", "region", "command_id", "waited", "all_nodes", "nodes", "summary", "error", "error_kind", "exit_code"} {
		if _, ok := fields.Top[name]; !ok {
			t.Errorf("report has no field %q: %s", name, data)
		}
	}
	for _, name := range []string{"instance_id", "cancel_error", "error_kind", "status", "status_details", "success_despite_cancel"} {
		if _, ok := fields.Nodes[0][name]; !ok {
			t.Errorf("node has no field %q: %s", name, data)
		}
	}
}

func TestRunInvalidInput(t *testing.T) {
	const validID = "1a2b3c4d-1a2b-1a2b-1a2b-1a2b3c4d5e6f"
	tests := []struct {
		name      string
		args      []string
		wantError string // the first line of stderr
	}{
		{name: "unknown flag", args: []string{"-force"}, wantError: "flag provided but not defined: -force"},
		{name: "bad duration", args: []string{"-timeout", "5"}, wantError: `invalid value "5" for flag -timeout: parse error`},
		{name: "zero timeout", args: []string{"-timeout", "0s"}, wantError: "cancel: invalid -timeout 0s: must be positive"},
		{name: "extra argument", args: []string{"now"}, wantError: `cancel: unexpected argument "now": cancel takes only flags`},
		{name: "instance IDs without command", args: []string{"-instance-ids", "i-0123456789abcdef0"}, wantError: "cancel: -instance-ids needs -command-id"},
		{name: "short command ID", args: []string{"-command-id", "abc"}, wantError: `cancel: -command-id: invalid CommandId "abc"`},
		{name: "empty command ID", args: []string{"-command-id", ""}, wantError: `cancel: -command-id: invalid CommandId`},
		{name: "malformed instance IDs", args: []string{"-command-id", validID, "-instance-ids", "i-1,i-0123456789abcdef0,web-1"}, wantError: `cancel: -instance-ids: invalid InstanceIds[0] "i-1"`},
		{name: "repeated instance ID", args: []string{"-command-id", validID, "-instance-ids", "i-0123456789abcdef0,i-0123456789abcdef0"}, wantError: `cancel: -instance-ids: invalid InstanceIds[1] "i-0123456789abcdef0"`},
		{name: "relative endpoint URL", args: []string{"-command-id", validID, "-endpoint-url", "127.0.0.1:4583"}, wantError: `cancel: invalid -endpoint-url "127.0.0.1:4583"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runProgram(t, tt.args...)

			if code != exitInvalidInput {
				t.Errorf("exit code = %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want it empty", stdout)
			}
			first, _, _ := strings.Cut(stderr, "\n")
			if !strings.HasPrefix(first, tt.wantError) {
				t.Errorf("first line of stderr = %q, want it to start with %q", first, tt.wantError)
			}
			if !strings.Contains(stderr, "usage: cancel [flags]") {
				t.Errorf("stderr has no usage:\n%s", stderr)
			}
		})
	}
}

func TestRunMalformedIDsReportedTogether(t *testing.T) {
	_, _, stderr := runProgram(t, "-command-id", "1a2b3c4d-1a2b-1a2b-1a2b-1a2b3c4d5e6f", "-instance-ids", "i-1,i-0123456789abcdef0,web-1")

	first, _, _ := strings.Cut(stderr, "\n")
	for _, want := range []string{`InstanceIds[0] "i-1"`, `InstanceIds[2] "web-1"`} {
		if !strings.Contains(first, want) {
			t.Errorf("first line of stderr = %q, want it to contain %q", first, want)
		}
	}
}

func TestRunHelp(t *testing.T) {
	code, stdout, stderr := runProgram(t, "-h")

	if code != exitOK {
		t.Errorf("exit code = %d, want 0", code)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want it empty", stdout)
	}
	for _, want := range []string{"-command-id", "-endpoint-url", "Exit codes:", "the first in the order 2, 3, 4, 1 wins"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("help does not contain %q:\n%s", want, stderr)
		}
	}
}

// setFakeAWSEnv gives the SDK's default chain dummy credentials and a
// Region, and keeps it away from the user's AWS files and from the EC2
// instance metadata address.
func setFakeAWSEnv(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_SSM", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	// One attempt per request, so that a test of a server error does not
	// wait for the SDK's backoff.
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
}

func TestRunAgainstEndpoint(t *testing.T) {
	const (
		node1       = "i-0123456789abcdef0"
		node2       = "i-0fedcba9876543210"
		unknownID   = "00000000-0000-4000-8000-000000000000"
		bothNodes   = node1 + "," + node2
		terminated  = node2
		stuckNodeID = node1
	)
	tests := []struct {
		name      string
		before    func(*ssmcanceltest.Server) // before SendCommand
		setup     func(*ssmcanceltest.Server) // after SendCommand
		commandID string                      // "" for the command sent to both nodes
		args      []string
		wantCode  int
		wantKind  errorKind // "" for no error
		wantNodes []nodeResult
	}{
		{
			name:     "listed nodes cancelled",
			args:     []string{"-instance-ids", bothNodes},
			wantCode: exitOK,
			wantNodes: []nodeResult{
				{InstanceID: node1, Status: "Cancelled", StatusDetails: "Cancelled"},
				{InstanceID: node2, Status: "Cancelled", StatusDetails: "Cancelled"},
			},
		},
		{
			name:     "every node cancelled",
			wantCode: exitOK,
			wantNodes: []nodeResult{
				{InstanceID: node1, Status: "Cancelled", StatusDetails: "Cancelled"},
				{InstanceID: node2, Status: "Cancelled", StatusDetails: "Cancelled"},
			},
		},
		{
			name:     "no wait",
			args:     []string{"-instance-ids", bothNodes, "-wait=false"},
			wantCode: exitOK,
			wantNodes: []nodeResult{
				{InstanceID: node1},
				{InstanceID: node2},
			},
		},
		{
			name:      "unknown command",
			commandID: unknownID,
			args:      []string{"-instance-ids", node1},
			wantCode:  exitRejected,
			wantKind:  kindRejected,
			wantNodes: []nodeResult{{InstanceID: node1, ErrorKind: ptr(kindRejected)}},
		},
		{
			name:      "unknown command on every node",
			commandID: unknownID,
			wantCode:  exitRejected,
			wantKind:  kindRejected,
			wantNodes: []nodeResult{},
		},
		{
			name:     "terminated node",
			setup:    func(s *ssmcanceltest.Server) { s.TerminateNode(terminated) },
			args:     []string{"-instance-ids", bothNodes},
			wantCode: exitRejected,
			wantKind: kindRejected,
			wantNodes: []nodeResult{
				{InstanceID: node1, Status: "Cancelled", StatusDetails: "Cancelled"},
				{InstanceID: node2, ErrorKind: ptr(kindRejected)},
			},
		},
		{
			name:      "server error",
			setup:     func(s *ssmcanceltest.Server) { s.FailNext("CancelCommand", 1, ssmcanceltest.InternalError()) },
			args:      []string{"-instance-ids", bothNodes},
			wantCode:  exitRetryable,
			wantKind:  kindServer,
			wantNodes: []nodeResult{{InstanceID: node1, ErrorKind: ptr(kindServer)}, {InstanceID: node2, ErrorKind: ptr(kindServer)}},
		},
		{
			name:      "throttled on every node",
			setup:     func(s *ssmcanceltest.Server) { s.FailNext("CancelCommand", 1, ssmcanceltest.Throttle()) },
			wantCode:  exitRetryable,
			wantKind:  kindThrottled,
			wantNodes: []nodeResult{},
		},
		{
			name:      "throttled until the deadline",
			setup:     func(s *ssmcanceltest.Server) { s.FailNext("CancelCommand", 1000, ssmcanceltest.Throttle()) },
			args:      []string{"-instance-ids", bothNodes, "-timeout", "300ms"},
			wantCode:  exitRetryable,
			wantKind:  kindTimedOut,
			wantNodes: []nodeResult{{InstanceID: node1, ErrorKind: ptr(kindTimedOut)}, {InstanceID: node2, ErrorKind: ptr(kindTimedOut)}},
		},
		{
			name:     "stuck in Cancelling",
			before:   func(s *ssmcanceltest.Server) { s.SetNodeBehavior(stuckNodeID, ssmcanceltest.StuckCancelling) },
			args:     []string{"-instance-ids", bothNodes, "-timeout", "1s"},
			wantCode: exitRetryable,
			wantKind: kindNotFinished,
			wantNodes: []nodeResult{
				{InstanceID: node1, Status: "Cancelling", StatusDetails: "Cancelling"},
				{InstanceID: node2, Status: "Cancelled", StatusDetails: "Cancelled"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setFakeAWSEnv(t)
			server := ssmcanceltest.NewServer(func(o *ssmcanceltest.Options) {
				o.PendingDuration = 10 * time.Millisecond
				o.RunDuration = 30 * time.Second
				o.CancelDelay = 50 * time.Millisecond
			})
			t.Cleanup(server.Close)
			if tt.before != nil {
				tt.before(server)
			}
			commandID := tt.commandID
			if commandID == "" {
				commandID = sendCommand(t, server, node1, node2)
			}
			if tt.setup != nil {
				tt.setup(server)
			}

			args := append([]string{"-json", "-endpoint-url", server.URL, "-command-id", commandID}, tt.args...)
			code, stdout, stderr := runProgram(t, args...)

			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout, stderr)
			}
			var got report
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("stdout is not a JSON report: %v\n%s", err, stdout)
			}
			if got.ExitCode != code {
				t.Errorf("exit_code = %d, want the exit code %d", got.ExitCode, code)
			}
			var gotKind errorKind
			if got.ErrorKind != nil {
				gotKind = *got.ErrorKind
			}
			if gotKind != tt.wantKind {
				t.Errorf("error_kind = %q, want %q (error %v)", gotKind, tt.wantKind, deref(got.Error))
			}
			// Compare the nodes without the error messages, which come
			// from the SDK; only their presence matters here.
			for i := range got.Nodes {
				if (got.Nodes[i].CancelError != nil) != (got.Nodes[i].ErrorKind != nil) {
					t.Errorf("node %s: cancel_error %v with error_kind %v, want both or neither",
						got.Nodes[i].InstanceID, deref(got.Nodes[i].CancelError), got.Nodes[i].ErrorKind)
				}
				got.Nodes[i].CancelError = nil
			}
			if diff := cmp.Diff(tt.wantNodes, got.Nodes); diff != "" {
				t.Errorf("nodes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// sendCommand sends a command to nodes through the server and returns its
// ID.
func sendCommand(t *testing.T, server *ssmcanceltest.Server, nodes ...string) string {
	t.Helper()
	sent, err := server.Client().SendCommand(t.Context(), &ssm.SendCommandInput{
		DocumentName: aws.String("AWS-RunShellScript"),
		InstanceIds:  nodes,
		Parameters:   map[string][]string{"commands": {"sleep 600"}},
	})
	if err != nil {
		t.Fatalf("SendCommand: %v", err)
	}
	return aws.ToString(sent.Command.CommandId)
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func TestRunNoRegion(t *testing.T) {
	setFakeAWSEnv(t)
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")

	code, stdout, stderr := runProgram(t, "-command-id", "00000000-0000-4000-8000-000000000000", "-endpoint-url", "http://127.0.0.1:9")

	if code != exitInvalidInput {
		t.Errorf("exit code = %d, want 2\nstderr:\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want it empty", stdout)
	}
	if !strings.Contains(stderr, "no AWS Region: pass -region or set AWS_REGION") {
		t.Errorf("stderr does not name the missing Region:\n%s", stderr)
	}
}

func TestRunConnectionRefused(t *testing.T) {
	setFakeAWSEnv(t)
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	// A listener closed at once leaves a port that refuses connections.
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()

	code, _, stderr := runProgram(t, "-command-id", "00000000-0000-4000-8000-000000000000", "-endpoint-url", url)

	if code != exitOther {
		t.Errorf("exit code = %d, want %d for a network error\nstderr:\n%s", code, exitOther, stderr)
	}
	if !strings.Contains(stderr, "connection refused") {
		t.Errorf("stderr does not show the network error:\n%s", stderr)
	}
}

func TestClassify(t *testing.T) {
	validation := &ssmerrors.ValidationError{Field: "CommandId", Index: -1, Value: "abc", Err: ssmerrors.ErrInvalidCommandID}
	service := func(code string, status int) error {
		return ssmerrors.NewServiceError("CancelCommand", code, "", "", status, nil)
	}
	notFinished := func(cause error) error { return errors.Join(ssmerrors.ErrNotFinished, cause) }

	tests := []struct {
		name string
		err  error
		want errorKind
	}{
		{name: "validation", err: validation, want: kindInvalidInput},
		{name: "unknown command", err: service("InvalidCommandId", 400), want: kindRejected},
		{name: "access denied", err: service("AccessDeniedException", 400), want: kindRejected},
		{name: "unknown 4xx code", err: service("SomethingNew", 400), want: kindRejected},
		{name: "throttled", err: service("ThrottlingException", 400), want: kindThrottled},
		{name: "server", err: service("", 503), want: kindServer},
		{name: "deadline", err: fmt.Errorf("not sent: %w", context.DeadlineExceeded), want: kindTimedOut},
		{name: "wait deadline", err: notFinished(context.DeadlineExceeded), want: kindNotFinished},
		{name: "wait interrupted", err: notFinished(context.Canceled), want: kindInterrupted},
		{name: "node not listed", err: fmt.Errorf("node not listed: %w", ssmerrors.ErrInvalidInstanceID), want: kindRejected},
		{name: "network", err: errors.New("dial tcp 127.0.0.1:9: connection refused"), want: kindOther},
		{name: "rejected wins over unfinished", err: errors.Join(service("InvalidInstanceId", 400), notFinished(context.DeadlineExceeded)), want: kindRejected},
		{name: "retryable wins over network", err: errors.Join(errors.New("connection reset"), service("ThrottlingException", 400)), want: kindThrottled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(tt.err); got != tt.want {
				t.Errorf("classify(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}
