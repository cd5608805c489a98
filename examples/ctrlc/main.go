// Command ctrlc shows how a job that runs an AWS Systems Manager Run
// Command command cancels it when the user presses Ctrl-C, with
// ssmcancel.Client.CancelOnDone.
//
// It starts the embedded emulator of package ssmcanceltest on 127.0.0.1,
// sends a command to three emulated nodes and waits for it, as a job
// would. The job's context comes from signal.NotifyContext, and
// CancelOnDone sends the cancel as soon as that context ends. The deferred
// stop waits for the cancel to reach the service before the job returns,
// and Options.AfterCancelOnDone reports how it went. The program then
// prints each node's final status.
//
//	go run ./examples/ctrlc            # press Ctrl-C within 30 seconds
//	go run ./examples/ctrlc -after 1s  # simulate the Ctrl-C after 1 second
//
// A second Ctrl-C stops the program at once, without waiting for the
// cancel.
//
// Flags:
//
//	-after  simulate the interrupt after this long, as a Go duration;
//	        0, the default, waits for a real Ctrl-C or SIGTERM
//	-job    how long the emulated command runs unless interrupted
//	        (default 30s)
//
// Exit codes: 0 when the job finished, or when every node accepted the
// cancel and reached a terminal status; 1 when the cancel or the final
// wait failed; 2 on a bad flag.
//
// The program logs its steps with log/slog to stderr.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ssmkit/ssmcancel/ssmcancel"
	"github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest"
)

// nodes are the emulated nodes the job runs on.
var nodes = []string{
	"i-0c1d2e3f4a5b00001",
	"i-0c1d2e3f4a5b00002",
	"i-0c1d2e3f4a5b00003",
}

// finalWaitTimeout bounds the wait for the final statuses after the
// cancel. The emulator cancels an invocation within cancelDelay.
const (
	finalWaitTimeout = 10 * time.Second
	cancelDelay      = 300 * time.Millisecond
)

// errSimulatedInterrupt is the cause of the job context's end when -after
// elapses.
var errSimulatedInterrupt = errors.New("simulated interrupt (-after)")

func main() {
	ctx, stopNotify := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, restore the default handling, so that a
	// second Ctrl-C ends the program at once.
	context.AfterFunc(ctx, stopNotify)

	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stopNotify()
	os.Exit(code)
}

// config is the parsed command line.
type config struct {
	after time.Duration
	job   time.Duration
}

// parseFlags parses args. On a bad flag it prints a one-line error and the
// usage to output and returns the error.
func parseFlags(args []string, output io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("ctrlc", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.DurationVar(&cfg.after, "after", 0, "simulate the interrupt after this `duration`; 0 waits for a real Ctrl-C or SIGTERM")
	fs.DurationVar(&cfg.job, "job", 30*time.Second, "how long the emulated command runs unless interrupted, as a Go `duration`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: ctrlc [flags]\n")
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), "\nExit codes: 0 the job finished or was cancelled on every node; 1 the cancel or the final wait failed; 2 a bad flag.\n")
	}

	if err := fs.Parse(args); err != nil {
		// The flag package has already printed the error and the usage.
		return config{}, err
	}

	bad := func(err error) (config, error) {
		fmt.Fprintln(fs.Output(), "ctrlc:", err)
		fs.Usage()
		return config{}, err
	}
	if fs.NArg() > 0 {
		return bad(fmt.Errorf("unexpected argument %q: ctrlc takes only flags", fs.Arg(0)))
	}
	if cfg.after < 0 {
		return bad(fmt.Errorf("invalid -after %v: must not be negative", cfg.after))
	}
	if cfg.job <= 0 {
		return bad(fmt.Errorf("invalid -job %v: must be positive", cfg.job))
	}
	return cfg, nil
}

// cancelResult is the result of the cancel, as Options.AfterCancelOnDone
// received it.
type cancelResult struct {
	outcomes []ssmcancel.Outcome
	err      error
}

// run runs the program with the command-line arguments args, without the
// program name, and returns the exit code. The job counts as interrupted
// when ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	server := ssmcanceltest.NewServer(func(o *ssmcanceltest.Options) {
		o.PendingDuration = 100 * time.Millisecond
		o.RunDuration = cfg.job
		o.CancelDelay = cancelDelay
	})
	defer server.Close()
	logger.Info("embedded emulator started", "url", server.URL)

	api := server.Client()
	sent, err := api.SendCommand(ctx, &ssm.SendCommandInput{
		DocumentName: aws.String("AWS-RunShellScript"),
		InstanceIds:  nodes,
		Parameters:   map[string][]string{"commands": {"./long-job.sh"}},
	})
	if err != nil {
		logger.Error("sending the command to the embedded emulator failed", "url", server.URL, "error", err)
		return 1
	}
	commandID := aws.ToString(sent.Command.CommandId)
	logger.Info("command sent", "command_id", commandID, "nodes", len(nodes), "runs_for", cfg.job)

	// The hook runs in CancelOnDone's goroutine. The buffer lets it return
	// without a reader.
	results := make(chan cancelResult, 1)
	client := ssmcancel.New(api, func(o *ssmcancel.Options) {
		o.MinDelay = 100 * time.Millisecond
		o.MaxDelay = time.Second
		o.AfterCancelOnDone = func(outcomes []ssmcancel.Outcome, err error) {
			if err != nil {
				logger.Error("cancel after the interrupt failed", "command_id", commandID, "error", err)
			} else {
				logger.Info("cancel after the interrupt accepted", "command_id", commandID, "nodes", len(outcomes))
			}
			results <- cancelResult{outcomes: outcomes, err: err}
		}
	})

	jobCtx, cancelJob := context.WithCancelCause(ctx)
	defer cancelJob(nil)
	if cfg.after > 0 {
		timer := time.AfterFunc(cfg.after, func() { cancelJob(errSimulatedInterrupt) })
		defer timer.Stop()
		logger.Info("the interrupt will be simulated", "after", cfg.after)
	} else {
		fmt.Fprintf(stderr, "Press Ctrl-C to interrupt the job and cancel the command (or run with -after 1s). The command ends by itself after %v.\n", cfg.job)
	}

	jobErr := runJob(jobCtx, client, commandID, logger)

	var result *cancelResult
	select {
	case r := <-results:
		result = &r
	default:
	}

	// Read the final statuses with a fresh context, because the job's
	// context has ended when it was interrupted.
	waitCtx, cancelWait := context.WithTimeout(context.WithoutCancel(ctx), finalWaitTimeout)
	defer cancelWait()
	final, waitErr := client.Wait(waitCtx, commandID, nodes...)
	if waitErr != nil {
		logger.Error("waiting for the final statuses failed", "command_id", commandID, "error", waitErr)
	}

	writeReport(stdout, server.URL, commandID, context.Cause(jobCtx), jobErr, result, final)

	switch {
	case waitErr != nil:
		return 1
	case result != nil && result.err != nil:
		return 1
	}
	return 0
}

// runJob waits for the command as a job would, and arranges with
// CancelOnDone for the command to be cancelled when ctx ends first. It
// returns nil when the command finished, and the wait's error otherwise.
func runJob(ctx context.Context, client *ssmcancel.Client, commandID string, logger *slog.Logger) error {
	stop := client.CancelOnDone(ctx, commandID, nodes...)
	// On an interrupt, stop waits until the cancel has reached the service,
	// so the job does not return, and the program does not exit, before it.
	defer stop()

	_, err := client.Wait(ctx, commandID, nodes...)
	if err != nil {
		logger.Info("job interrupted, the command is being cancelled", "command_id", commandID, "cause", context.Cause(ctx))
		return err
	}
	logger.Info("job finished", "command_id", commandID)
	return nil
}
