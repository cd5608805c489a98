package ssmcanceltest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rawResponse is the response as a plain HTTP client receives it.
type rawResponse struct {
	status int
	header http.Header
	body   map[string]any
	text   string
}

// postRaw sends body to the server without the SDK. An empty target omits
// the X-Amz-Target header, and auth=false omits Authorization.
func postRaw(t *testing.T, s *Server, method, target string, body io.Reader, auth bool) rawResponse {
	t.Helper()

	req, err := http.NewRequest(method, s.URL+"/", body)
	if err != nil {
		t.Fatalf("NewRequest: %v", err)
	}
	req.Header.Set("Content-Type", jsonContentType)
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	if auth {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=00")
	}

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()

	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	out := rawResponse{status: resp.StatusCode, header: resp.Header, text: string(data)}
	if err := json.Unmarshal(data, &out.body); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", data, err)
	}

	return out
}

func TestRawErrors(t *testing.T) {
	const cancel = "AmazonSSM.CancelCommand"
	tests := []struct {
		name   string
		method string
		target string
		body   string
		auth   bool
		status int
		want   map[string]any
	}{
		{
			name: "missing authorization", method: http.MethodPost, target: cancel, body: `{}`, auth: false,
			status: 400, want: map[string]any{"__type": "MissingAuthenticationTokenException", "message": "Missing Authentication Token"},
		},
		{
			name: "body not JSON", method: http.MethodPost, target: cancel, body: `{"CommandId":`, auth: true,
			status: 400, want: map[string]any{"__type": "SerializationException", "message": "request body is not valid JSON"},
		},
		{
			name: "empty body", method: http.MethodPost, target: cancel, body: ``, auth: true,
			status: 400, want: map[string]any{"__type": "SerializationException", "message": "request body is not valid JSON"},
		},
		{
			name: "wrong member type", method: http.MethodPost, target: cancel, body: `{"CommandId": 5}`, auth: true,
			status: 400, want: map[string]any{"__type": "SerializationException",
				"message": "invalid request body: json: cannot unmarshal number into Go struct field CancelCommandInput.CommandId of type string"},
		},
		{
			name: "unknown target", method: http.MethodPost, target: "AmazonEC2.RunInstances", body: `{}`, auth: true,
			status: 400, want: map[string]any{"__type": "UnknownOperationException",
				"message": `unknown operation "AmazonEC2.RunInstances": expected AmazonSSM.<Operation>`},
		},
		{
			name: "missing target", method: http.MethodPost, target: "", body: `{}`, auth: true,
			status: 400, want: map[string]any{"__type": "UnknownOperationException",
				"message": "missing X-Amz-Target header: expected AmazonSSM.<Operation>"},
		},
		{
			name: "unimplemented operation", method: http.MethodPost, target: "AmazonSSM.DescribeInstanceInformation", body: `{}`, auth: true,
			status: 400, want: map[string]any{"__type": "UnknownOperationException",
				"message": "the emulator does not implement AmazonSSM.DescribeInstanceInformation: it implements CancelCommand, GetCommandInvocation, ListCommandInvocations, ListCommands, SendCommand"},
		},
		{
			name: "GET", method: http.MethodGet, target: cancel, body: ``, auth: true,
			status: 405, want: map[string]any{"__type": "UnknownOperationException",
				"message": "method GET is not allowed: send POST / with an X-Amz-Target header"},
		},
		{
			name: "missing command ID", method: http.MethodPost, target: cancel, body: `{}`, auth: true,
			status: 400, want: map[string]any{"__type": "ValidationException",
				"message": "1 validation error detected: Value null at 'commandId' failed to satisfy constraint: Member must not be null"},
		},
		{
			name: "member name in lower case", method: http.MethodPost, target: cancel,
			body: `{"commandid":"00000000-0000-4000-8000-000000000000"}`, auth: true,
			status: 400, want: map[string]any{"__type": "ValidationException",
				"message": "1 validation error detected: Value null at 'commandId' failed to satisfy constraint: Member must not be null"},
		},
		{
			name: "body not an object", method: http.MethodPost, target: cancel, body: `["x"]`, auth: true,
			status: 400, want: map[string]any{"__type": "SerializationException",
				"message": "invalid request body: json: cannot unmarshal array into Go value of type map[string]json.RawMessage"},
		},
		{
			name: "missing document name", method: http.MethodPost, target: "AmazonSSM.SendCommand", body: `{"InstanceIds":["i-12345678"]}`, auth: true,
			status: 400, want: map[string]any{"__type": "ValidationException",
				"message": "1 validation error detected: Value null at 'documentName' failed to satisfy constraint: Member must not be null"},
		},
		{
			name: "missing instance ID", method: http.MethodPost, target: "AmazonSSM.GetCommandInvocation",
			body: `{"CommandId":"00000000-0000-4000-8000-000000000000"}`, auth: true,
			status: 400, want: map[string]any{"__type": "ValidationException",
				"message": "1 validation error detected: Value null at 'instanceId' failed to satisfy constraint: Member must not be null"},
		},
		{
			name: "unknown command has no message", method: http.MethodPost, target: cancel,
			body: `{"CommandId":"00000000-0000-4000-8000-000000000000"}`, auth: true,
			status: 400, want: map[string]any{"__type": "InvalidCommandId"},
		},
		{
			name: "invocation message kept", method: http.MethodPost, target: "AmazonSSM.GetCommandInvocation",
			body: `{"CommandId":"00000000-0000-4000-8000-000000000000","InstanceId":"i-12345678"}`, auth: true,
			status: 400, want: map[string]any{"__type": "InvocationDoesNotExist",
				"message": "command 00000000-0000-4000-8000-000000000000 does not exist"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := newTestServer(t)

			got := postRaw(t, s, tt.method, tt.target, strings.NewReader(tt.body), tt.auth)

			if got.status != tt.status {
				t.Errorf("status = %d, want %d", got.status, tt.status)
			}
			if diff := cmp.Diff(tt.want, got.body); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
			checkRawHeaders(t, got, tt.want["__type"].(string))
		})
	}
}

// checkRawHeaders checks the headers of every JSON response.
func checkRawHeaders(t *testing.T, got rawResponse, errorType string) {
	t.Helper()

	if ct := got.header.Get("Content-Type"); ct != jsonContentType {
		t.Errorf("Content-Type = %q, want %q", ct, jsonContentType)
	}
	if id := got.header.Get("X-Amzn-RequestId"); !uuidV4.MatchString(id) {
		t.Errorf("X-Amzn-RequestId = %q, want a version 4 UUID", id)
	}
	if et := got.header.Get("X-Amzn-ErrorType"); et != errorType {
		t.Errorf("X-Amzn-ErrorType = %q, want %q", et, errorType)
	}
}

func TestRawBodyTooLarge(t *testing.T) {
	s, _, _ := newTestServer(t)
	body := `{"CommandId":"` + strings.Repeat("a", maxBodyBytes) + `"}`

	got := postRaw(t, s, http.MethodPost, "AmazonSSM.CancelCommand", strings.NewReader(body), true)

	if got.status != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", got.status)
	}
	want := map[string]any{"__type": "RequestEntityTooLargeException", "message": "request body exceeds the limit of 1048576 bytes"}
	if diff := cmp.Diff(want, got.body); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}
	checkRawHeaders(t, got, "RequestEntityTooLargeException")
}

func TestRawSuccessShape(t *testing.T) {
	s, _, client := newTestServer(t)
	id := sendCommand(t, client, "i-12345678")

	got := postRaw(t, s, http.MethodPost, "AmazonSSM.CancelCommand", strings.NewReader(`{"CommandId":"`+id+`"}`), true)

	if got.status != http.StatusOK {
		t.Errorf("status = %d, want 200", got.status)
	}
	if got.text != "{}" {
		t.Errorf("body = %q, want {}", got.text)
	}
	checkRawHeaders(t, got, "")
}

func TestRawAllowAnonymous(t *testing.T) {
	s, _, _ := newTestServer(t, func(o *Options) { o.AllowAnonymous = true })

	got := postRaw(t, s, http.MethodPost, "AmazonSSM.ListCommands", strings.NewReader(`{}`), false)

	if got.status != http.StatusOK {
		t.Errorf("status = %d, want 200; body %s", got.status, got.text)
	}
}

func TestRawTimestampsAreEpochSeconds(t *testing.T) {
	s, _, _ := newTestServer(t)

	got := postRaw(t, s, http.MethodPost, "AmazonSSM.SendCommand",
		strings.NewReader(`{"DocumentName":"AWS-RunShellScript","InstanceIds":["i-12345678"]}`), true)

	command := got.body["Command"].(map[string]any)
	if requested, ok := command["RequestedDateTime"].(float64); !ok || requested != float64(testStart.Unix()) {
		t.Errorf("RequestedDateTime = %#v, want the number %d", command["RequestedDateTime"], testStart.Unix())
	}
}
