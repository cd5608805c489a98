package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ssmkit/ssmcancel/ssmcancel"
	"github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest"
)

// demoNodes are the emulated nodes of the demo. The node at
// demoIgnoresCancel ignores the cancel and ends with Success.
var demoNodes = []string{
	"i-0a1b2c3d4e5f00001",
	"i-0a1b2c3d4e5f00002",
	"i-0a1b2c3d4e5f00003",
	"i-0a1b2c3d4e5f00004",
	"i-0a1b2c3d4e5f00005",
}

const demoIgnoresCancel = 3

// Lifecycle of the demo's invocations on the emulator's real clock. The
// command runs for demoRunDuration, so the cancel after demoCancelAfter
// finds it InProgress, and the node that ignores the cancel ends with
// Success about 1.5 seconds later.
const (
	demoPendingDuration = 100 * time.Millisecond
	demoRunDuration     = 2 * time.Second
	demoCancelDelay     = 300 * time.Millisecond
	demoCancelAfter     = 500 * time.Millisecond
)

// startDemo starts the embedded emulator, sends a command to demoNodes
// through the SDK's SendCommand, and returns the target that cancels it.
// The target's close stops the emulator.
func startDemo(ctx context.Context, logger *slog.Logger) (target, error) {
	server := ssmcanceltest.NewServer(func(o *ssmcanceltest.Options) {
		o.PendingDuration = demoPendingDuration
		o.RunDuration = demoRunDuration
		o.CancelDelay = demoCancelDelay
	})
	server.SetNodeBehavior(demoNodes[demoIgnoresCancel], ssmcanceltest.IgnoreCancel)
	logger.Info("embedded emulator started", "url", server.URL)

	api := server.Client()
	sent, err := api.SendCommand(ctx, &ssm.SendCommandInput{
		DocumentName: aws.String("AWS-RunShellScript"),
		InstanceIds:  demoNodes,
		Parameters:   map[string][]string{"commands": {"sleep 600"}},
		Comment:      aws.String("ssmcancel demo"),
	})
	if err != nil {
		server.Close()
		return target{}, fmt.Errorf("sending the demo command to the embedded emulator at %s failed: %w", server.URL, err)
	}
	commandID := aws.ToString(sent.Command.CommandId)
	logger.Info("command sent", "command_id", commandID, "nodes", len(demoNodes),
		"ignores_cancel", demoNodes[demoIgnoresCancel])

	// Let the command start, so that the cancel reaches running invocations.
	timer := time.NewTimer(demoCancelAfter)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
		server.Close()
		return target{}, fmt.Errorf("demo interrupted before the cancel: %w", context.Cause(ctx))
	}

	client := ssmcancel.New(api, func(o *ssmcancel.Options) {
		// Poll often: the emulated nodes react within a second.
		o.MinDelay = 100 * time.Millisecond
		o.MaxDelay = 400 * time.Millisecond
	})
	return target{
		kind:        "emulator",
		endpointURL: server.URL,
		region:      ssmcanceltest.Region,
		client:      client,
		commandID:   commandID,
		instanceIDs: demoNodes,
		close:       server.Close,
	}, nil
}
