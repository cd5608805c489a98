package ssmcancel_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/ssmcancel"
)

// TestClientAndServiceAgree sends each bad request twice: through Cancel,
// whose client-side check rejects it, and raw through the SDK to the
// emulator, which checks the service's constraints on its own. Both must
// map to the same sentinels.
func TestClientAndServiceAgree(t *testing.T) {
	f := newFakeTime(t)
	nodes := nodeIDs(2)
	cmdID := f.seed(t, nodes...)

	tests := []struct {
		name        string
		commandID   string
		instanceIDs []string
	}{
		{"35-character command ID", cmdID[:35], nil},
		{"37-character command ID", cmdID + "0", nil},
		{"36 bytes but 35 characters", "é" + cmdID[:34], nil},
		{"51 instance IDs", cmdID, nodeIDs(51)},
		{"16 characters after i-", cmdID, []string{"i-0b8185eca982369a"}},
		{"mi- with 8", cmdID, []string{"mi-1234abcd"}},
		{"trailing newline", cmdID, []string{"i-1234abcd\n"}},
		{"repeated node", cmdID, []string{nodes[0], nodes[0]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clientErr := ssmcancel.New(f.api).Cancel(context.Background(), tt.commandID, tt.instanceIDs...)
			var v *ssmerrors.ValidationError
			if !errors.As(clientErr, &v) {
				t.Fatalf("Cancel() = %v, want a client-side *ValidationError", clientErr)
			}

			_, rawErr := f.api.CancelCommand(context.Background(), &ssm.CancelCommandInput{
				CommandId:   aws.String(tt.commandID),
				InstanceIds: tt.instanceIDs,
			})
			var apiErr smithy.APIError
			if !errors.As(rawErr, &apiErr) {
				t.Fatalf("raw CancelCommand = %v, want a service error", rawErr)
			}
			serviceSentinels := ssmerrors.Classify(apiErr.ErrorCode(), apiErr.ErrorMessage(), 400)

			if diff := cmp.Diff(sentinelsOf(clientErr), serviceSentinels, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("sentinels mismatch (-client +service):\n%s\nservice said %s: %s", diff, apiErr.ErrorCode(), shorten(apiErr.ErrorMessage()))
			}
		})
	}
}

// sentinelsOf returns the sentinels that err matches, in the order of
// Classify's table.
func sentinelsOf(err error) []error {
	var got []error
	for _, sentinel := range []error{ssmerrors.ErrInvalidCommandID, ssmerrors.ErrTooManyInstanceIDs, ssmerrors.ErrInvalidInstanceID,
		ssmerrors.ErrDuplicateInstanceID, ssmerrors.ErrValidation} {
		if errors.Is(err, sentinel) {
			got = append(got, sentinel)
		}
	}
	return got
}

func shorten(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return strings.TrimSpace(s)
}
