package ssmcancel_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/ssmcancel"
	"github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest"
)

// fakeSSM is an ssmcancel.API with one command. It rejects any other
// command ID as the service does.
type fakeSSM struct {
	ssmcancel.API // ListCommands and ListCommandInvocations are not used here
	commandID     string
}

func (f fakeSSM) CancelCommand(_ context.Context, in *ssm.CancelCommandInput, _ ...func(*ssm.Options)) (*ssm.CancelCommandOutput, error) {
	if aws.ToString(in.CommandId) != f.commandID {
		return nil, &types.InvalidCommandId{}
	}
	return &ssm.CancelCommandOutput{}, nil
}

func ExampleClient_Cancel() {
	client := ssmcancel.New(fakeSSM{commandID: "0b9f6e02-8a3c-4a1b-9c1e-2d5f8e7a6b4c"})
	ctx := context.Background()

	err := client.Cancel(ctx, "0b9f6e02-8a3c-4a1b-9c1e-2d5f8e7a6b4c", "i-1234abcd")
	fmt.Println("known command:", err)

	err = client.Cancel(ctx, "11111111-2222-3333-4444-555555555555")
	fmt.Println("unknown command:", errors.Is(err, ssmerrors.ErrInvalidCommandID))

	err = client.Cancel(ctx, "0b9f6e02-8a3c-4a1b-9c1e-2d5f8e7a6b4c", "i-12")
	fmt.Println("bad node ID:", errors.Is(err, ssmerrors.ErrInvalidInstanceID))
	fmt.Println(err)
	// Output:
	// known command: <nil>
	// unknown command: true
	// bad node ID: true
	// ssmcancel: cancel command "0b9f6e02-8a3c-4a1b-9c1e-2d5f8e7a6b4c": invalid InstanceIds[0] "i-12": has 2 characters after "i-"; want "i-" followed by 8 or 17 letters, digits or underscores, or "mi-" followed by 17
}

// ExampleClient_CancelAndWait runs a cancel end to end against the test
// server, on a fake clock that the wait advances as it pauses.
func ExampleClient_CancelAndWait() {
	clock := ssmcanceltest.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	server := ssmcanceltest.NewServer(func(o *ssmcanceltest.Options) { o.Clock = clock })
	defer server.Close()
	server.SetNodeBehavior("i-0000000000000000b", ssmcanceltest.IgnoreCancel)

	api := server.Client()
	ctx := context.Background()
	sent, err := api.SendCommand(ctx, &ssm.SendCommandInput{
		DocumentName: aws.String("AWS-RunShellScript"),
		InstanceIds:  []string{"i-0000000000000000a", "i-0000000000000000b"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	client := ssmcancel.New(api, func(o *ssmcancel.Options) { o.Clock = clock })
	invocations, err := client.CancelAndWait(ctx, aws.ToString(sent.Command.CommandId), "i-0000000000000000a", "i-0000000000000000b")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, inv := range invocations {
		fmt.Println(inv.InstanceID, inv.Status)
	}
	// Output:
	// i-0000000000000000a Cancelled
	// i-0000000000000000b Success
}
