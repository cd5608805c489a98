package ssmcanceltest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest"
)

// stopCommand is the user code under test: it cancels a command on one node.
func stopCommand(ctx context.Context, client *ssm.Client, commandID, instanceID string) error {
	_, err := client.CancelCommand(ctx, &ssm.CancelCommandInput{
		CommandId:   aws.String(commandID),
		InstanceIds: []string{instanceID},
	})
	return err
}

func Example() {
	clock := ssmcanceltest.NewFakeClock(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	server := ssmcanceltest.NewServer(func(o *ssmcanceltest.Options) { o.Clock = clock })
	defer server.Close()
	client := server.Client()
	ctx := context.Background()

	sent, err := client.SendCommand(ctx, &ssm.SendCommandInput{
		DocumentName: aws.String("AWS-RunShellScript"),
		InstanceIds:  []string{"i-0123456789abcdef0"},
		Parameters:   map[string][]string{"commands": {"sleep 600"}},
	})
	if err != nil {
		fmt.Println("send:", err)
		return
	}
	id := aws.ToString(sent.Command.CommandId)
	clock.Advance(time.Second)
	status, _ := server.InvocationStatus(id, "i-0123456789abcdef0")
	fmt.Println("before cancel:", status)

	if err := stopCommand(ctx, client, id, "i-0123456789abcdef0"); err != nil {
		fmt.Println("cancel:", err)
		return
	}
	status, _ = server.InvocationStatus(id, "i-0123456789abcdef0")
	fmt.Println("after cancel:", status)

	clock.Advance(ssmcanceltest.DefaultCancelDelay)
	status, _ = server.InvocationStatus(id, "i-0123456789abcdef0")
	fmt.Println("after the agent's delay:", status)

	// Output:
	// before cancel: InProgress
	// after cancel: Cancelling
	// after the agent's delay: Cancelled
}
