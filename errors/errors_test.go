package errors_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
)

var allSentinels = []error{
	ssmerrors.ErrInvalidCommandID,
	ssmerrors.ErrInvalidInstanceID,
	ssmerrors.ErrTooManyInstanceIDs,
	ssmerrors.ErrDuplicateInstanceID,
	ssmerrors.ErrInternalServer,
	ssmerrors.ErrThrottled,
	ssmerrors.ErrAccessDenied,
	ssmerrors.ErrValidation,
	ssmerrors.ErrNotFinished,
}

// matched returns the sentinels that errors.Is finds in err.
func matched(err error) []error {
	var got []error
	for _, sentinel := range allSentinels {
		if errors.Is(err, sentinel) {
			got = append(got, sentinel)
		}
	}
	return got
}

func TestClassify(t *testing.T) {
	const (
		tooMany       = "1 validation error detected: Value '[i-1, i-2]' at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50"
		shortCommand  = "1 validation error detected: Value 'abc' at 'commandId' failed to satisfy constraint: Member must have length greater than or equal to 36"
		badElement    = `1 validation error detected: Value '[i-1]' at 'instanceIds' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy regular expression pattern: (^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)]`
		elementPath   = `1 validation error detected: Value 'i-1' at 'instanceIds.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: (^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)`
		singleNode    = `1 validation error detected: Value 'i-1' at 'instanceId' failed to satisfy constraint: Member must satisfy regular expression pattern: (^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)`
		twoViolations = "2 validation errors detected: Value 'abc' at 'commandId' failed to satisfy constraint: Member must have length greater than or equal to 36; Value '[i-1, i-2]' at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50"
		otherMember   = "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
	)
	tests := []struct {
		name    string
		code    string
		message string
		status  int
		want    []error
	}{
		{"InvalidCommandId", "InvalidCommandId", "", 400, []error{ssmerrors.ErrInvalidCommandID}},
		{"lower case code", "invalidcommandid", "", 400, []error{ssmerrors.ErrInvalidCommandID}},
		{"upper case code", "INVALIDINSTANCEID", "", 400, []error{ssmerrors.ErrInvalidInstanceID}},
		{"DuplicateInstanceId", "DuplicateInstanceId", "", 400, []error{ssmerrors.ErrDuplicateInstanceID}},
		{"InternalServerError", "InternalServerError", "", 500, []error{ssmerrors.ErrInternalServer}},
		{"InternalFailure", "InternalFailure", "", 500, []error{ssmerrors.ErrInternalServer}},
		{"5xx without code", "", "", 502, []error{ssmerrors.ErrInternalServer}},
		{"5xx with unknown code", "SomethingBroke", "", 503, []error{ssmerrors.ErrInternalServer}},
		{"ThrottlingException", "ThrottlingException", "Rate exceeded", 400, []error{ssmerrors.ErrThrottled}},
		{"TooManyRequestsException", "TooManyRequestsException", "", 400, []error{ssmerrors.ErrThrottled}},
		{"RequestLimitExceeded", "RequestLimitExceeded", "", 400, []error{ssmerrors.ErrThrottled}},
		{"429 without code", "", "", 429, []error{ssmerrors.ErrThrottled}},
		{"AccessDeniedException", "AccessDeniedException", "User is not authorized", 400, []error{ssmerrors.ErrAccessDenied}},
		{"UnrecognizedClientException", "UnrecognizedClientException", "", 400, []error{ssmerrors.ErrAccessDenied}},
		{"InvalidSignatureException", "InvalidSignatureException", "", 400, []error{ssmerrors.ErrAccessDenied}},
		{"ExpiredTokenException", "ExpiredTokenException", "", 400, []error{ssmerrors.ErrAccessDenied}},
		{"validation too many", "ValidationException", tooMany, 400, []error{ssmerrors.ErrTooManyInstanceIDs}},
		{"validation command ID", "ValidationException", shortCommand, 400, []error{ssmerrors.ErrInvalidCommandID}},
		{"validation element", "ValidationException", badElement, 400, []error{ssmerrors.ErrInvalidInstanceID}},
		{"validation element path", "ValidationException", elementPath, 400, []error{ssmerrors.ErrInvalidInstanceID}},
		{"validation single node", "ValidationException", singleNode, 400, []error{ssmerrors.ErrInvalidInstanceID}},
		{"validation two members", "ValidationException", twoViolations, 400, []error{ssmerrors.ErrInvalidCommandID, ssmerrors.ErrTooManyInstanceIDs}},
		{"validation other member", "ValidationException", otherMember, 400, []error{ssmerrors.ErrValidation}},
		{"validation free text", "ValidationException", "something is wrong", 400, []error{ssmerrors.ErrValidation}},
		{"unknown code", "SomeNewException", "", 400, nil},
		{"no code 4xx", "", "", 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ssmerrors.Classify(tt.code, tt.message, tt.status)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateErrors(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Classify(%q, %q, %d) mismatch (-want +got):\n%s", tt.code, tt.message, tt.status, diff)
			}
		})
	}
}

func TestParseValidationMessage(t *testing.T) {
	tests := []struct {
		name    string
		message string
		want    []ssmerrors.Violation
	}{
		{
			name:    "one violation",
			message: "1 validation error detected: Value 'abc' at 'commandId' failed to satisfy constraint: Member must have length greater than or equal to 36",
			want:    []ssmerrors.Violation{{Value: "abc", Member: "commandId", Constraint: "Member must have length greater than or equal to 36"}},
		},
		{
			name:    "null value",
			message: "1 validation error detected: Value null at 'commandId' failed to satisfy constraint: Member must not be null",
			want:    []ssmerrors.Violation{{Value: "null", Member: "commandId", Constraint: "Member must not be null"}},
		},
		{
			name:    "two violations",
			message: "2 validation errors detected: Value 'abc' at 'commandId' failed to satisfy constraint: Member must have length greater than or equal to 36; Value '[i-1, i-2]' at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50",
			want: []ssmerrors.Violation{
				{Value: "abc", Member: "commandId", Constraint: "Member must have length greater than or equal to 36"},
				{Value: "[i-1, i-2]", Member: "instanceIds", Constraint: "Member must have length less than or equal to 50"},
			},
		},
		{
			name:    "element constraint in brackets",
			message: `1 validation error detected: Value '[i-1]' at 'instanceIds' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 20, Member must satisfy regular expression pattern: (^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)]`,
			want: []ssmerrors.Violation{{
				Value:      "[i-1]",
				Member:     "instanceIds",
				Constraint: `Member must satisfy constraint: [Member must have length less than or equal to 20, Member must satisfy regular expression pattern: (^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)]`,
			}},
		},
		{
			name:    "value with semicolon",
			message: "1 validation error detected: Value 'a; b' at 'commandId' failed to satisfy constraint: Member must have length less than or equal to 36",
			want:    []ssmerrors.Violation{{Value: "a; b", Member: "commandId", Constraint: "Member must have length less than or equal to 36"}},
		},
		{name: "free text", message: "Invalid request", want: nil},
		{name: "empty", message: "", want: nil},
		{name: "marker without member", message: "x' failed to satisfy constraint: y", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ssmerrors.ParseValidationMessage(tt.message)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseValidationMessage(%q) mismatch (-want +got):\n%s", tt.message, diff)
			}
		})
	}
}

// FuzzParseValidationMessage checks that parsing never panics, and that a
// message built from violations whose parts hold no separators parses back
// to them.
func FuzzParseValidationMessage(f *testing.F) {
	f.Add("abc", "commandId", "Member must have length greater than or equal to 36", "[i-1]", "instanceIds", "Member must have length less than or equal to 50")
	f.Add("", "x", "", "null", "y.1.member", "z")
	f.Add("a'b", "instanceIds", "Member must satisfy constraint: [a, b]", "é", "commandId", "c")
	f.Fuzz(func(t *testing.T, v1, m1, c1, v2, m2, c2 string) {
		message := fmt.Sprintf("2 validation errors detected: Value '%s' at '%s' failed to satisfy constraint: %s; Value '%s' at '%s' failed to satisfy constraint: %s", v1, m1, c1, v2, m2, c2)
		got := ssmerrors.ParseValidationMessage(message)
		_ = ssmerrors.Classify("ValidationException", message, 400)
		_ = ssmerrors.ParseValidationMessage(v1 + m1 + c1)

		for _, part := range []string{v1, m1, c1, v2, m2, c2} {
			if strings.Contains(part, "'") || strings.Contains(part, ";") || strings.Contains(part, " at ") || strings.Contains(part, "Value ") {
				return
			}
		}
		want := []ssmerrors.Violation{{Value: v1, Member: m1, Constraint: c1}, {Value: v2, Member: m2, Constraint: c2}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ParseValidationMessage(%q) mismatch (-want +got):\n%s", message, diff)
		}
	})
}

func TestServiceErrorUnwrap(t *testing.T) {
	sdkErr := errors.New("operation error SSM: CancelCommand, InvalidCommandId")
	err := error(ssmerrors.NewServiceError("CancelCommand", "InvalidCommandId", "", "req-1", 400, sdkErr))

	if !errors.Is(err, ssmerrors.ErrInvalidCommandID) {
		t.Errorf("errors.Is(%v, ErrInvalidCommandID) = false, want true", err)
	}
	if !errors.Is(err, sdkErr) {
		t.Errorf("errors.Is(%v, sdkErr) = false, want true", err)
	}
	if diff := cmp.Diff([]error{ssmerrors.ErrInvalidCommandID}, matched(err), cmpopts.EquateErrors()); diff != "" {
		t.Errorf("sentinels matched mismatch (-want +got):\n%s", diff)
	}

	unknown := ssmerrors.NewServiceError("CancelCommand", "BrandNewException", "", "", 400, sdkErr)
	if got := matched(unknown); len(got) != 0 {
		t.Errorf("unknown code matched %v, want no sentinel", got)
	}
	if unknown.Code != "BrandNewException" {
		t.Errorf("Code = %q, want %q", unknown.Code, "BrandNewException")
	}
}

func TestServiceErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  *ssmerrors.ServiceError
		want string
	}{
		{
			name: "message and request ID",
			err:  ssmerrors.NewServiceError("CancelCommand", "ThrottlingException", "Rate exceeded", "req-1", 400, nil),
			want: "ssm CancelCommand: ThrottlingException: Rate exceeded (HTTP 400, request ID req-1)",
		},
		{
			name: "no message gets a hint",
			err:  ssmerrors.NewServiceError("CancelCommand", "InvalidCommandId", "", "req-2", 400, nil),
			want: "ssm CancelCommand: InvalidCommandId: the service has no command with this ID in this account and Region (HTTP 400, request ID req-2)",
		},
		{
			name: "no code",
			err:  ssmerrors.NewServiceError("CancelCommand", "", "", "", 502, nil),
			want: "ssm CancelCommand: error response without an error code (HTTP 502)",
		},
		{
			name: "cut keeps runes whole",
			err:  ssmerrors.NewServiceError("", "X", "a"+strings.Repeat("é", 300), "", 0, nil),
			want: "ssm: X: a" + strings.Repeat("é", 255) + "... (601 bytes)",
		},
		{
			name: "long message is cut",
			err:  ssmerrors.NewServiceError("", "X", strings.Repeat("m", 600), "", 0, nil),
			want: "ssm: X: " + strings.Repeat("m", 512) + "... (600 bytes)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidationError(t *testing.T) {
	tests := []struct {
		name string
		err  *ssmerrors.ValidationError
		want string
	}{
		{
			name: "element",
			err:  &ssmerrors.ValidationError{Field: "InstanceIds", Index: 3, Value: "i-1", Reason: "bad", Err: ssmerrors.ErrInvalidInstanceID},
			want: `invalid InstanceIds[3] "i-1": bad`,
		},
		{
			name: "empty element",
			err:  &ssmerrors.ValidationError{Field: "InstanceIds", Index: 0, Reason: "empty", Err: ssmerrors.ErrInvalidInstanceID},
			want: `invalid InstanceIds[0] "": empty`,
		},
		{
			name: "whole list",
			err:  &ssmerrors.ValidationError{Field: "InstanceIds", Index: -1, Reason: "51 IDs", Err: ssmerrors.ErrTooManyInstanceIDs},
			want: `invalid InstanceIds: 51 IDs`,
		},
		{
			name: "long value is cut",
			err:  &ssmerrors.ValidationError{Field: "CommandId", Index: -1, Value: strings.Repeat("x", 10<<20), Err: ssmerrors.ErrInvalidCommandID},
			want: `invalid CommandId "` + strings.Repeat("x", 64) + `"... (10485760 bytes)`,
		},
		{
			name: "cut keeps runes whole",
			err:  &ssmerrors.ValidationError{Field: "CommandId", Index: -1, Value: "x" + strings.Repeat("é", 40), Err: ssmerrors.ErrInvalidCommandID},
			want: `invalid CommandId "x` + strings.Repeat("é", 31) + `"... (81 bytes)`,
		},
		{
			name: "invalid UTF-8 is quoted",
			err:  &ssmerrors.ValidationError{Field: "CommandId", Index: -1, Value: "\xff\xfe", Err: ssmerrors.ErrInvalidCommandID},
			want: `invalid CommandId "\xff\xfe"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			if !errors.Is(tt.err, tt.err.Err) {
				t.Errorf("errors.Is(err, %v) = false, want true", tt.err.Err)
			}
		})
	}
}

func TestJoin(t *testing.T) {
	single := errors.New("single")
	many := make([]error, 25)
	for i := range many {
		many[i] = fmt.Errorf("error %d", i)
	}

	if err := ssmerrors.Join(nil, nil); err != nil {
		t.Errorf("Join(nil, nil) = %v, want nil", err)
	}
	if err := ssmerrors.Join(nil, single); err != single {
		t.Errorf("Join(nil, single) = %v, want single itself", err)
	}

	joined := ssmerrors.Join(many...)
	want := "error 0\nerror 1\nerror 2\nerror 3\nerror 4\nerror 5\nerror 6\nerror 7\nerror 8\nerror 9\n... and 15 more"
	if got := joined.Error(); got != want {
		t.Errorf("Join(25 errors).Error() = %q, want %q", got, want)
	}
	if !errors.Is(joined, many[24]) {
		t.Error("errors.Is(Join(25 errors), the last) = false, want true")
	}
}
