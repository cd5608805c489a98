package ssmcanceltest

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/google/go-cmp/cmp"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

const patternConstraint = `Member must satisfy constraint: [Member must satisfy regular expression pattern: (^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)]`

func TestSendCommandResponse(t *testing.T) {
	_, _, client := newTestServer(t)

	got, err := client.SendCommand(context.Background(), &ssm.SendCommandInput{
		DocumentName:   aws.String("AWS-RunShellScript"),
		InstanceIds:    []string{"i-12345678", "mi-0123456789abcdef0"},
		Comment:        aws.String("restart nginx"),
		Parameters:     map[string][]string{"commands": {"systemctl restart nginx"}},
		TimeoutSeconds: aws.Int32(600),
	})
	if err != nil {
		t.Fatalf("SendCommand: %v", err)
	}

	id := aws.ToString(got.Command.CommandId)
	if !uuidV4.MatchString(id) {
		t.Errorf("CommandId = %q, want a lower-case version 4 UUID", id)
	}
	want := &ssm.SendCommandOutput{Command: &types.Command{
		CommandId:         aws.String(id),
		Comment:           aws.String("restart nginx"),
		DocumentName:      aws.String("AWS-RunShellScript"),
		DocumentVersion:   aws.String("$DEFAULT"),
		ExpiresAfter:      aws.Time(testStart.Add(600 * time.Second)),
		InstanceIds:       []string{"i-12345678", "mi-0123456789abcdef0"},
		MaxConcurrency:    aws.String("50"),
		MaxErrors:         aws.String("0"),
		Parameters:        map[string][]string{"commands": {"systemctl restart nginx"}},
		RequestedDateTime: aws.Time(testStart),
		Status:            types.CommandStatusPending,
		StatusDetails:     aws.String("Pending"),
		TargetCount:       2,
		TimeoutSeconds:    aws.Int32(600),
	}}
	if diff := cmp.Diff(want, got, sdkOptions); diff != "" {
		t.Errorf("SendCommand output mismatch (-want +got):\n%s", diff)
	}
}

func TestSendCommandErrors(t *testing.T) {
	tests := []struct {
		name    string
		input   *ssm.SendCommandInput
		code    string
		message string
	}{
		{
			name:    "too many instances",
			input:   &ssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: instanceIDs(51)},
			code:    "ValidationException",
			message: "1 validation error detected: Value '[" + strings.Join(instanceIDs(51), ", ") + "]' at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50",
		},
		{
			name:    "bad instance pattern",
			input:   &ssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: []string{"i-bad"}},
			code:    "ValidationException",
			message: "1 validation error detected: Value '[i-bad]' at 'instanceIds' failed to satisfy constraint: " + patternConstraint,
		},
		{
			name:    "empty instance list",
			input:   &ssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: []string{}},
			code:    "ValidationException",
			message: "1 validation error detected: Value '[]' at 'instanceIds' failed to satisfy constraint: Member must have length greater than or equal to 1",
		},
		{
			name:    "bad document name",
			input:   &ssm.SendCommandInput{DocumentName: aws.String("x"), InstanceIds: []string{"i-12345678"}},
			code:    "ValidationException",
			message: `1 validation error detected: Value 'x' at 'documentName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\-.:/]{3,128}$`,
		},
		{
			name:    "timeout too short",
			input:   &ssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: []string{"i-12345678"}, TimeoutSeconds: aws.Int32(10)},
			code:    "ValidationException",
			message: "1 validation error detected: Value '10' at 'timeoutSeconds' failed to satisfy constraint: Member must have value greater than or equal to 30",
		},
		{
			name:    "comment too long",
			input:   &ssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: []string{"i-12345678"}, Comment: aws.String(strings.Repeat("c", 101))},
			code:    "ValidationException",
			message: "1 validation error detected: Value '" + strings.Repeat("c", 101) + "' at 'comment' failed to satisfy constraint: Member must have length less than or equal to 100",
		},
		{
			name:    "duplicate instance",
			input:   &ssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: []string{"i-12345678", "i-12345678"}},
			code:    "DuplicateInstanceId",
			message: "",
		},
		{
			name: "targets only",
			input: &ssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), Targets: []types.Target{
				{Key: aws.String("tag:Role"), Values: []string{"web"}},
			}},
			code:    "UnsupportedOperationException",
			message: "the emulator supports SendCommand only with InstanceIds, not Targets: list the instance IDs instead",
		},
		{
			name:    "unregistered instance",
			input:   &ssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: []string{"i-87654321"}},
			code:    "InvalidInstanceId",
			message: "instance i-87654321 is not a registered managed node",
		},
		{
			name:    "terminated instance",
			input:   &ssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: []string{"i-dead0000"}},
			code:    "InvalidInstanceId",
			message: "instance i-dead0000 is terminated or deregistered",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, client := newTestServer(t)
			s.RegisterNodes("i-12345678", "i-dead0000")
			s.TerminateNode("i-dead0000")

			_, err := client.SendCommand(context.Background(), tt.input)

			checkAPIError(t, err, tt.code, tt.message)
		})
	}
}

func TestCancelCommandSuccess(t *testing.T) {
	s, _, client := newTestServer(t)
	id := sendCommand(t, client, "i-12345678", "i-87654321")

	got, err := client.CancelCommand(context.Background(), &ssm.CancelCommandInput{
		CommandId:   aws.String(id),
		InstanceIds: []string{"i-87654321"},
	})
	if err != nil {
		t.Fatalf("CancelCommand: %v", err)
	}

	if diff := cmp.Diff(&ssm.CancelCommandOutput{}, got, sdkOptions); diff != "" {
		t.Errorf("CancelCommand output mismatch (-want +got):\n%s", diff)
	}
	for instance, want := range map[string]types.CommandInvocationStatus{
		"i-12345678": types.CommandInvocationStatusPending,
		"i-87654321": types.CommandInvocationStatusCancelling,
	} {
		if got, _ := s.InvocationStatus(id, instance); got != want {
			t.Errorf("InvocationStatus(%s) = %s, want %s", instance, got, want)
		}
	}
}

func TestCancelCommandErrors(t *testing.T) {
	const unknownID = "00000000-0000-4000-8000-000000000000"
	tests := []struct {
		name      string
		commandID string // "sent" selects the command the test sent
		instances []string
		code      string
		message   string
	}{
		{
			name:      "short command ID",
			commandID: "abc",
			code:      "ValidationException",
			message:   "1 validation error detected: Value 'abc' at 'commandId' failed to satisfy constraint: Member must have length greater than or equal to 36",
		},
		{
			name:      "long command ID",
			commandID: unknownID + "0",
			code:      "ValidationException",
			message:   "1 validation error detected: Value '" + unknownID + "0' at 'commandId' failed to satisfy constraint: Member must have length less than or equal to 36",
		},
		{
			name:      "36 code points in more bytes",
			commandID: strings.Repeat("é", 36),
			code:      "InvalidCommandId",
		},
		{
			name:      "too many instances",
			commandID: "sent",
			instances: instanceIDs(51),
			code:      "ValidationException",
			message:   "1 validation error detected: Value '[" + strings.Join(instanceIDs(51), ", ") + "]' at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to 50",
		},
		{
			name:      "bad instance pattern",
			commandID: "sent",
			instances: []string{"i-12345678", "i-bad"},
			code:      "ValidationException",
			message:   "1 validation error detected: Value '[i-12345678, i-bad]' at 'instanceIds' failed to satisfy constraint: " + patternConstraint,
		},
		{
			name:      "trailing newline",
			commandID: "sent",
			instances: []string{"i-12345678\n"},
			code:      "ValidationException",
			message:   "1 validation error detected: Value '[i-12345678\n]' at 'instanceIds' failed to satisfy constraint: " + patternConstraint,
		},
		{
			name:      "two violations",
			commandID: "abc",
			instances: []string{"i-bad"},
			code:      "ValidationException",
			message: "2 validation errors detected: Value 'abc' at 'commandId' failed to satisfy constraint: Member must have length greater than or equal to 36; " +
				"Value '[i-bad]' at 'instanceIds' failed to satisfy constraint: " + patternConstraint,
		},
		{
			name:      "duplicate instance",
			commandID: "sent",
			instances: []string{"i-12345678", "i-12345678"},
			code:      "DuplicateInstanceId",
		},
		{
			name:      "unknown command",
			commandID: unknownID,
			code:      "InvalidCommandId",
		},
		{
			name:      "instance not targeted",
			commandID: "sent",
			instances: []string{"i-12345678", "i-00000000"},
			code:      "InvalidInstanceId",
			message:   "instance i-00000000 is not a target of command %s",
		},
		{
			name:      "terminated instance",
			commandID: "sent",
			instances: []string{"i-12345678", "i-dead0000"},
			code:      "InvalidInstanceId",
			message:   "instance i-dead0000 is terminated or deregistered",
		},
		{
			name:      "unregistered instance",
			commandID: "sent",
			instances: []string{"i-11111111"},
			code:      "InvalidInstanceId",
			message:   "instance i-11111111 is not a registered managed node",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, client := newTestServer(t)
			s.RegisterNodes("i-12345678", "i-dead0000", "i-00000000")
			sent := sendCommand(t, client, "i-12345678", "i-dead0000")
			s.TerminateNode("i-dead0000")
			commandID := tt.commandID
			if commandID == "sent" {
				commandID = sent
			}

			_, err := client.CancelCommand(context.Background(), &ssm.CancelCommandInput{
				CommandId:   aws.String(commandID),
				InstanceIds: tt.instances,
			})

			message := tt.message
			if strings.Contains(message, "%s") {
				message = strings.ReplaceAll(message, "%s", sent)
			}
			checkAPIError(t, err, tt.code, message)
			if got, _ := s.InvocationStatus(sent, "i-12345678"); got != types.CommandInvocationStatusPending {
				t.Errorf("after a rejected cancel, InvocationStatus(i-12345678) = %s, want Pending", got)
			}
		})
	}
}

func TestCancelCommandModeledErrors(t *testing.T) {
	_, _, client := newTestServer(t)
	id := sendCommand(t, client, "i-12345678")

	_, err := client.CancelCommand(context.Background(), &ssm.CancelCommandInput{CommandId: aws.String("00000000-0000-4000-8000-000000000000")})
	var invalidCommand *types.InvalidCommandId
	if !errors.As(err, &invalidCommand) {
		t.Errorf("unknown command: error = %v, want *types.InvalidCommandId", err)
	}

	_, err = client.CancelCommand(context.Background(), &ssm.CancelCommandInput{CommandId: aws.String(id), InstanceIds: []string{"i-12345678", "i-12345678"}})
	var duplicate *types.DuplicateInstanceId
	if !errors.As(err, &duplicate) {
		t.Errorf("duplicate instance: error = %v, want *types.DuplicateInstanceId", err)
	}

	_, err = client.CancelCommand(context.Background(), &ssm.CancelCommandInput{CommandId: aws.String(id), InstanceIds: []string{"i-87654321"}})
	var invalidInstance *types.InvalidInstanceId
	if !errors.As(err, &invalidInstance) {
		t.Errorf("instance not targeted: error = %v, want *types.InvalidInstanceId", err)
	}
}

func TestListCommandsResponse(t *testing.T) {
	_, clock, client := newTestServer(t)
	first := sendCommand(t, client, "i-12345678")
	clock.Advance(time.Second)
	second := sendCommand(t, client, "i-12345678", "i-87654321")
	clock.Advance(testRun) // first done, second in progress

	got, err := client.ListCommands(context.Background(), &ssm.ListCommandsInput{})
	if err != nil {
		t.Fatalf("ListCommands: %v", err)
	}

	command := func(id string, ids []string, requested time.Time, status types.CommandStatus, details string, completed int32) types.Command {
		return types.Command{
			CommandId:         aws.String(id),
			Comment:           aws.String(""),
			CompletedCount:    completed,
			DocumentName:      aws.String("AWS-RunShellScript"),
			DocumentVersion:   aws.String("$DEFAULT"),
			ExpiresAfter:      aws.Time(requested.Add(time.Hour)),
			InstanceIds:       ids,
			MaxConcurrency:    aws.String("50"),
			MaxErrors:         aws.String("0"),
			Parameters:        map[string][]string{"commands": {"sleep 60"}},
			RequestedDateTime: aws.Time(requested),
			Status:            status,
			StatusDetails:     aws.String(details),
			TargetCount:       int32(len(ids)),
			TimeoutSeconds:    aws.Int32(3600),
		}
	}
	want := &ssm.ListCommandsOutput{Commands: []types.Command{
		command(second, []string{"i-12345678", "i-87654321"}, testStart.Add(time.Second), types.CommandStatusInProgress, "In Progress", 0),
		command(first, []string{"i-12345678"}, testStart, types.CommandStatusSuccess, "Success", 1),
	}}
	if diff := cmp.Diff(want, got, sdkOptions); diff != "" {
		t.Errorf("ListCommands output mismatch (-want +got):\n%s", diff)
	}
}

func TestListCommandsPagination(t *testing.T) {
	_, _, client := newTestServer(t)
	var sent []string
	for range 5 {
		sent = append([]string{sendCommand(t, client, "i-12345678")}, sent...)
	}
	sendCommand(t, client, "i-87654321")

	var got []string
	pages := 0
	paginator := ssm.NewListCommandsPaginator(client, &ssm.ListCommandsInput{InstanceId: aws.String("i-12345678"), MaxResults: aws.Int32(2)})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(context.Background())
		if err != nil {
			t.Fatalf("ListCommands page %d: %v", pages, err)
		}
		pages++
		for _, c := range page.Commands {
			got = append(got, aws.ToString(c.CommandId))
		}
	}

	if diff := cmp.Diff(sent, got); diff != "" {
		t.Errorf("command IDs mismatch (-want +got):\n%s", diff)
	}
	if pages != 3 {
		t.Errorf("pages = %d, want 3", pages)
	}
}

func TestListCommandsErrors(t *testing.T) {
	tests := []struct {
		name    string
		input   *ssm.ListCommandsInput
		code    string
		message string
	}{
		{
			name:    "max results zero",
			input:   &ssm.ListCommandsInput{MaxResults: aws.Int32(0)},
			code:    "ValidationException",
			message: "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
		},
		{
			name:    "max results 51",
			input:   &ssm.ListCommandsInput{MaxResults: aws.Int32(51)},
			code:    "ValidationException",
			message: "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
		},
		{
			name:  "unknown command",
			input: &ssm.ListCommandsInput{CommandId: aws.String("00000000-0000-4000-8000-000000000000")},
			code:  "InvalidCommandId",
		},
		{
			name:    "garbage token",
			input:   &ssm.ListCommandsInput{NextToken: aws.String("not a token")},
			code:    "InvalidNextToken",
			message: "the NextToken is not valid for this request: pass the token from the previous page of the same request",
		},
		{
			name:    "bad instance ID",
			input:   &ssm.ListCommandsInput{InstanceId: aws.String("i-1")},
			code:    "ValidationException",
			message: `1 validation error detected: Value 'i-1' at 'instanceId' failed to satisfy constraint: Member must satisfy regular expression pattern: (^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)`,
		},
		{
			name:    "filters",
			input:   &ssm.ListCommandsInput{Filters: []types.CommandFilter{{Key: types.CommandFilterKeyStatus, Value: aws.String("Success")}}},
			code:    "InvalidFilterKey",
			message: "", // The SDK model of InvalidFilterKey has no message member.
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, client := newTestServer(t)

			_, err := client.ListCommands(context.Background(), tt.input)

			checkAPIError(t, err, tt.code, tt.message)
		})
	}
}

func TestListCommandInvocationsResponse(t *testing.T) {
	s, clock, client := newTestServer(t)
	s.SetNodeBehavior("i-87654321", Fail)
	id := sendCommand(t, client, "i-12345678", "i-87654321", "mi-0123456789abcdef0")
	clock.Advance(testPending + testRun)

	invocation := func(instance string, status types.CommandInvocationStatus, plugins []types.CommandPlugin) types.CommandInvocation {
		return types.CommandInvocation{
			CommandId:         aws.String(id),
			CommandPlugins:    plugins,
			Comment:           aws.String(""),
			DocumentName:      aws.String("AWS-RunShellScript"),
			DocumentVersion:   aws.String("$DEFAULT"),
			InstanceId:        aws.String(instance),
			InstanceName:      aws.String(""),
			RequestedDateTime: aws.Time(testStart),
			StandardErrorUrl:  aws.String(""),
			StandardOutputUrl: aws.String(""),
			Status:            status,
			StatusDetails:     aws.String(string(status)),
			TraceOutput:       aws.String(""),
		}
	}
	plugin := func(status types.CommandPluginStatus, code int32) []types.CommandPlugin {
		return []types.CommandPlugin{{
			Name:                   aws.String("aws:runShellScript"),
			Output:                 aws.String(""),
			ResponseCode:           code,
			ResponseStartDateTime:  aws.Time(testStart.Add(testPending)),
			ResponseFinishDateTime: aws.Time(testStart.Add(testPending + testRun)),
			StandardErrorUrl:       aws.String(""),
			StandardOutputUrl:      aws.String(""),
			Status:                 status,
			StatusDetails:          aws.String(string(status)),
		}}
	}

	t.Run("without details", func(t *testing.T) {
		got, err := client.ListCommandInvocations(context.Background(), &ssm.ListCommandInvocationsInput{CommandId: aws.String(id)})
		if err != nil {
			t.Fatalf("ListCommandInvocations: %v", err)
		}

		want := &ssm.ListCommandInvocationsOutput{CommandInvocations: []types.CommandInvocation{
			invocation("i-12345678", types.CommandInvocationStatusSuccess, nil),
			invocation("i-87654321", types.CommandInvocationStatusFailed, nil),
			invocation("mi-0123456789abcdef0", types.CommandInvocationStatusSuccess, nil),
		}}
		if diff := cmp.Diff(want, got, sdkOptions); diff != "" {
			t.Errorf("ListCommandInvocations output mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("with details", func(t *testing.T) {
		got, err := client.ListCommandInvocations(context.Background(), &ssm.ListCommandInvocationsInput{
			CommandId:  aws.String(id),
			InstanceId: aws.String("i-87654321"),
			Details:    true,
		})
		if err != nil {
			t.Fatalf("ListCommandInvocations: %v", err)
		}

		want := &ssm.ListCommandInvocationsOutput{CommandInvocations: []types.CommandInvocation{
			invocation("i-87654321", types.CommandInvocationStatusFailed, plugin(types.CommandPluginStatusFailed, 1)),
		}}
		if diff := cmp.Diff(want, got, sdkOptions); diff != "" {
			t.Errorf("ListCommandInvocations output mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestListCommandInvocationsPagination(t *testing.T) {
	s, _, client := newTestServer(t)
	want := instanceIDs(120)
	id, err := s.SeedCommand("AWS-RunShellScript", want...)
	if err != nil {
		t.Fatalf("SeedCommand: %v", err)
	}
	sendCommand(t, client, "i-12345678") // another command must not leak into the pages

	var got []string
	var pageSizes []int
	paginator := ssm.NewListCommandInvocationsPaginator(client, &ssm.ListCommandInvocationsInput{CommandId: aws.String(id)})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(context.Background())
		if err != nil {
			t.Fatalf("ListCommandInvocations page %d: %v", len(pageSizes), err)
		}
		pageSizes = append(pageSizes, len(page.CommandInvocations))
		for _, inv := range page.CommandInvocations {
			got = append(got, aws.ToString(inv.InstanceId))
		}
	}

	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instance IDs mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{50, 50, 20}, pageSizes); diff != "" {
		t.Errorf("page sizes mismatch (-want +got):\n%s", diff)
	}
}

func TestListCommandInvocationsAcrossCommands(t *testing.T) {
	_, _, client := newTestServer(t)
	first := sendCommand(t, client, "i-12345678", "i-87654321")
	second := sendCommand(t, client, "i-87654321")

	var got []string
	paginator := ssm.NewListCommandInvocationsPaginator(client, &ssm.ListCommandInvocationsInput{MaxResults: aws.Int32(1)})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(context.Background())
		if err != nil {
			t.Fatalf("ListCommandInvocations: %v", err)
		}
		for _, inv := range page.CommandInvocations {
			got = append(got, aws.ToString(inv.CommandId)+" "+aws.ToString(inv.InstanceId))
		}
	}

	want := []string{second + " i-87654321", first + " i-12345678", first + " i-87654321"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("invocations mismatch (-want +got):\n%s", diff)
	}

	byInstance, err := client.ListCommandInvocations(context.Background(), &ssm.ListCommandInvocationsInput{InstanceId: aws.String("i-87654321")})
	if err != nil {
		t.Fatalf("ListCommandInvocations by instance: %v", err)
	}
	if n := len(byInstance.CommandInvocations); n != 2 {
		t.Errorf("invocations on i-87654321 = %d, want 2", n)
	}
}

func TestListCommandInvocationsErrors(t *testing.T) {
	tests := []struct {
		name    string
		input   *ssm.ListCommandInvocationsInput
		code    string
		message string
	}{
		{
			name:    "max results 51",
			input:   &ssm.ListCommandInvocationsInput{MaxResults: aws.Int32(51)},
			code:    "ValidationException",
			message: "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
		},
		{
			name:    "short command ID",
			input:   &ssm.ListCommandInvocationsInput{CommandId: aws.String("abc")},
			code:    "ValidationException",
			message: "1 validation error detected: Value 'abc' at 'commandId' failed to satisfy constraint: Member must have length greater than or equal to 36",
		},
		{
			name:    "garbage token",
			input:   &ssm.ListCommandInvocationsInput{NextToken: aws.String("garbage")},
			code:    "InvalidNextToken",
			message: "the NextToken is not valid for this request: pass the token from the previous page of the same request",
		},
		{
			name:    "token of another request",
			input:   &ssm.ListCommandInvocationsInput{NextToken: aws.String(makeNextToken("ListCommands||", 1))},
			code:    "InvalidNextToken",
			message: "the NextToken is not valid for this request: pass the token from the previous page of the same request",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, client := newTestServer(t)

			_, err := client.ListCommandInvocations(context.Background(), tt.input)

			checkAPIError(t, err, tt.code, tt.message)
		})
	}
}

func TestListCommandInvocationsUnknownCommand(t *testing.T) {
	_, _, client := newTestServer(t)

	out, err := client.ListCommandInvocations(context.Background(), &ssm.ListCommandInvocationsInput{
		CommandId: aws.String("00000000-0000-4000-8000-000000000000"),
	})
	if err != nil {
		t.Fatalf("ListCommandInvocations(unknown command) = %v, want an empty list", err)
	}
	if len(out.CommandInvocations) != 0 || out.NextToken != nil {
		t.Errorf("ListCommandInvocations(unknown command) = %d invocations, NextToken %v; want none", len(out.CommandInvocations), out.NextToken)
	}
}

func TestGetCommandInvocationResponse(t *testing.T) {
	_, clock, client := newTestServer(t)
	id := sendCommand(t, client, "i-12345678")

	want := func(status types.CommandInvocationStatus, details, start, elapsed, end string, code int32) *ssm.GetCommandInvocationOutput {
		return &ssm.GetCommandInvocationOutput{
			CommandId:              aws.String(id),
			Comment:                aws.String(""),
			DocumentName:           aws.String("AWS-RunShellScript"),
			DocumentVersion:        aws.String("$DEFAULT"),
			ExecutionElapsedTime:   aws.String(elapsed),
			ExecutionEndDateTime:   aws.String(end),
			ExecutionStartDateTime: aws.String(start),
			InstanceId:             aws.String("i-12345678"),
			PluginName:             aws.String("aws:runShellScript"),
			ResponseCode:           code,
			StandardErrorContent:   aws.String(""),
			StandardErrorUrl:       aws.String(""),
			StandardOutputContent:  aws.String(""),
			StandardOutputUrl:      aws.String(""),
			Status:                 status,
			StatusDetails:          aws.String(details),
		}
	}
	steps := []struct {
		name    string
		advance time.Duration
		want    *ssm.GetCommandInvocationOutput
	}{
		{"pending", 0, want(types.CommandInvocationStatusPending, "Pending", "", "", "", -1)},
		{"in progress", testPending + 2500*time.Millisecond, want(types.CommandInvocationStatusInProgress, "In Progress",
			"2023-11-14T22:13:21.000Z", "PT2.5S", "", -1)},
		{"success", testRun, want(types.CommandInvocationStatusSuccess, "Success",
			"2023-11-14T22:13:21.000Z", "PT10S", "2023-11-14T22:13:31.000Z", 0)},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			clock.Advance(step.advance)

			got, err := client.GetCommandInvocation(context.Background(), &ssm.GetCommandInvocationInput{
				CommandId:  aws.String(id),
				InstanceId: aws.String("i-12345678"),
			})
			if err != nil {
				t.Fatalf("GetCommandInvocation: %v", err)
			}

			if diff := cmp.Diff(step.want, got, sdkOptions); diff != "" {
				t.Errorf("GetCommandInvocation output mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetCommandInvocationErrors(t *testing.T) {
	// The SDK model of InvocationDoesNotExist and InvalidPluginName has no
	// message member, so the SDK drops the server's message.
	tests := []struct {
		name     string
		command  string // "sent" selects the command the test sent
		instance string
		plugin   *string
		code     string
		message  string
	}{
		{"unknown command", "00000000-0000-4000-8000-000000000000", "i-12345678", nil, "InvocationDoesNotExist", ""},
		{"instance not targeted", "sent", "i-87654321", nil, "InvocationDoesNotExist", ""},
		{"wrong plugin", "sent", "i-12345678", aws.String("aws:runPowerShellScript"), "InvalidPluginName", ""},
		{"bad instance ID", "sent", "i-1", nil, "ValidationException",
			`1 validation error detected: Value 'i-1' at 'instanceId' failed to satisfy constraint: Member must satisfy regular expression pattern: (^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, client := newTestServer(t)
			sent := sendCommand(t, client, "i-12345678")
			command := tt.command
			if command == "sent" {
				command = sent
			}

			_, err := client.GetCommandInvocation(context.Background(), &ssm.GetCommandInvocationInput{
				CommandId:  aws.String(command),
				InstanceId: aws.String(tt.instance),
				PluginName: tt.plugin,
			})

			checkAPIError(t, err, tt.code, strings.ReplaceAll(tt.message, "%s", sent))
		})
	}
}
