// Command cancel cancels an AWS Systems Manager Run Command command with
// ssmcancel, waits until each node reaches a terminal status, and prints a
// table of the nodes.
//
// With no flags it needs no AWS account and nothing else running. It starts
// the embedded emulator of package ssmcanceltest on 127.0.0.1, sends a
// command to five emulated nodes, cancels it and prints the result. One of
// the nodes ignores the cancel and ends with Success, because a cancel is a
// request, not a guarantee:
//
//	go run ./examples/cancel
//
// With -command-id it cancels a real command, with credentials and Region
// from the AWS SDK's default chain (environment, shared config files, IAM
// role). -endpoint-url sends the requests elsewhere, for example to the
// standalone emulator in examples/emulator:
//
//	go run ./examples/cancel -command-id 1a2b3c4d-1a2b-1a2b-1a2b-1a2b3c4d5e6f \
//	  -instance-ids i-0123456789abcdef0,i-0fedcba9876543210 -region eu-west-1
//
// # Flags
//
//	-command-id     command to cancel; without it the program runs the demo
//	                against the embedded emulator
//	-instance-ids   comma-separated node IDs; empty means every node the
//	                command was sent to
//	-region         AWS Region; default from AWS_REGION or the shared config
//	-endpoint-url   SSM endpoint URL, such as http://127.0.0.1:4583
//	-wait           wait for terminal statuses (default true); -wait=false
//	                only sends the cancel
//	-timeout        deadline for the whole run (default 2m)
//	-json           print one JSON object instead of the table
//
// # Exit codes
//
//	0  every node accepted the cancel and, with -wait, reached a terminal
//	   status. A node that ended with Success despite the cancel counts
//	   too; the output marks it.
//	1  any other failure: the AWS configuration could not be loaded, a
//	   network error, the demo could not start, or an interrupt.
//	2  invalid input: a bad flag, a malformed command ID or instance ID, a
//	   repeated instance ID, or no AWS Region.
//	3  the service rejected the request: an unknown command ID
//	   (InvalidCommandId), a node the command was not sent to or that is
//	   not running (InvalidInstanceId), denied access, a failed validation.
//	4  a condition that a retry may clear: throttling, a server error
//	   (HTTP 5xx), or the -timeout deadline, including a wait that ended
//	   before every node reached a terminal status.
//
// When several apply, say one node was rejected and another throttled, the
// code that comes first in the order 2, 3, 4, 1 wins.
//
// # JSON output
//
// With -json, stdout holds one JSON object whenever the program sent a
// cancel; on a bad flag or a setup failure it stays empty and stderr
// explains. The field names are stable:
//
//	target          "emulator" or "aws"
//	endpoint_url    the endpoint URL, or "" for the SDK's default endpoint
//	region          the AWS Region
//	command_id      the command ID
//	waited          whether the program waited for terminal statuses
//	all_nodes       true when no instance IDs were given
//	nodes           one object per node, in the order given (with no
//	                instance IDs: in the order the service lists them):
//	  instance_id             the node ID
//	  cancel_error            null, or the error of the cancel for this node
//	  error_kind              null, or the kind of cancel_error (see below)
//	  status                  the last status listed, such as "Cancelled";
//	                          "" when not waited for or never listed
//	  status_details          the service's finer-grained status
//	  success_despite_cancel  true when the node accepted the cancel and
//	                          still ended with Success
//	summary         counts over nodes:
//	  nodes, accepted, failed, terminal, success_despite_cancel (numbers)
//	  statuses                object from status to number of nodes
//	error           null, or the error of the whole run
//	error_kind      null, or the kind of error
//	exit_code       the process's exit code
//
// An error kind is one of "invalid_input" (exit code 2), "rejected" (3),
// "throttled", "server", "timed_out", "not_finished" (4), "interrupted" or
// "other" (1).
//
// The program logs its steps with log/slog to stderr. It never logs
// credentials.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ssmkit/ssmcancel/ssmcancel"
)

// Exit codes; the package comment describes them.
const (
	exitOK           = 0
	exitOther        = 1
	exitInvalidInput = 2
	exitRejected     = 3
	exitRetryable    = 4
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// target is a command to cancel and the client to cancel it with.
type target struct {
	kind        string // "emulator" or "aws"
	endpointURL string
	region      string
	client      *ssmcancel.Client
	commandID   string
	instanceIDs []string // empty for every node
	close       func()
}

// run runs the program with the command-line arguments args, without the
// program name, and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitInvalidInput
	}

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	var t target
	if cfg.commandID == "" {
		t, err = startDemo(ctx, logger)
	} else {
		t, err = connectAWS(ctx, cfg)
	}
	if err != nil {
		logger.Error("setup failed", "error", err)
		if errors.Is(err, errNoRegion) {
			return exitInvalidInput
		}
		return exitOther
	}
	defer t.close()

	rep := cancelTarget(ctx, t, cfg.wait, logger)

	if cfg.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			logger.Error("writing the JSON output failed", "error", err)
			return exitOther
		}
	} else {
		writeTable(stdout, rep)
	}
	return rep.ExitCode
}

// cancelTarget cancels the command, waits for it when wait is set, and
// returns the report.
func cancelTarget(ctx context.Context, t target, wait bool, logger *slog.Logger) report {
	logger.Info("sending cancel", "command_id", t.commandID, "nodes", nodeCount(t.instanceIDs), "wait", wait)
	start := time.Now()

	var (
		invocations []ssmcancel.Invocation
		err         error
	)
	if wait {
		invocations, err = t.client.CancelAndWait(ctx, t.commandID, t.instanceIDs...)
	} else {
		var outcomes []ssmcancel.Outcome
		outcomes, err = t.client.CancelAll(ctx, t.commandID, t.instanceIDs)
		for _, o := range outcomes {
			invocations = append(invocations, ssmcancel.Invocation{InstanceID: o.InstanceID, Err: o.Err})
		}
	}

	elapsed := time.Since(start).Round(time.Millisecond)
	if err != nil {
		logger.Error("cancel failed", "command_id", t.commandID, "elapsed", elapsed, "error", err)
	} else {
		logger.Info("cancel finished", "command_id", t.commandID, "elapsed", elapsed)
	}

	return newReport(t, wait, invocations, err)
}

func nodeCount(ids []string) any {
	if len(ids) == 0 {
		return "all"
	}
	return len(ids)
}
