// Command bulkcancel cancels one command on a few hundred emulated nodes
// with ssmcancel.Client.CancelAll, and prints what it took.
//
// It starts the embedded emulator of package ssmcanceltest on 127.0.0.1
// and creates a command on -nodes nodes with Server.SeedCommand, because
// SendCommand takes at most 50. The emulator throttles CancelCommand to
// -rate requests per second with bursts of -burst, and two of the nodes
// are terminated, so the service rejects every request that lists one of
// them. CancelAll sends the nodes in requests of 50, splits each rejected
// request until the terminated node is alone, and paces its requests from
// the throttling. The program then prints the number of requests, the
// nodes that accepted the cancel, the nodes that failed and why, the
// elapsed time and the throttled attempts that the emulator recorded.
//
//	go run ./examples/bulkcancel
//	go run ./examples/bulkcancel -nodes 1000 -rate 10
//
// -timeout (default 1m) bounds the cancel; nodes not sent by then fail with
// the context's deadline. At -rate requests per second, -nodes nodes take
// about nodes/50/rate seconds.
//
// Exit codes: 0 when the run went as expected, every node but the two
// terminated ones accepted the cancel and those two failed with
// InvalidInstanceId; 1 otherwise; 2 on a bad flag.
//
// The program logs its steps and each failed node with log/slog to stderr.
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

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/ssmcancel"
	"github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is the parsed command line.
type config struct {
	nodes   int
	rate    float64
	burst   int
	timeout time.Duration
}

// minNodes is the smallest -nodes that puts the two terminated nodes in
// different requests of 50.
const minNodes = 100

// parseFlags parses args. On a bad flag it prints a one-line error and the
// usage to output and returns the error.
func parseFlags(args []string, output io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("bulkcancel", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.IntVar(&cfg.nodes, "nodes", 300, fmt.Sprintf("number of emulated nodes, at least %d", minNodes))
	fs.Float64Var(&cfg.rate, "rate", 20, "CancelCommand requests per second that the emulator allows before it throttles")
	fs.IntVar(&cfg.burst, "burst", 2, "CancelCommand requests that the emulator allows in a burst")
	fs.DurationVar(&cfg.timeout, "timeout", time.Minute, "deadline for the cancel, as a Go `duration`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: bulkcancel [flags]\n")
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), "\nExit codes: 0 every node but the two terminated ones accepted the cancel; 1 any other result; 2 a bad flag.\n")
	}

	if err := fs.Parse(args); err != nil {
		// The flag package has already printed the error and the usage.
		return config{}, err
	}

	bad := func(err error) (config, error) {
		fmt.Fprintln(fs.Output(), "bulkcancel:", err)
		fs.Usage()
		return config{}, err
	}
	switch {
	case fs.NArg() > 0:
		return bad(fmt.Errorf("unexpected argument %q: bulkcancel takes only flags", fs.Arg(0)))
	case cfg.nodes < minNodes:
		return bad(fmt.Errorf("invalid -nodes %d: must be at least %d", cfg.nodes, minNodes))
	case cfg.rate <= 0:
		return bad(fmt.Errorf("invalid -rate %v: must be positive", cfg.rate))
	case cfg.burst < 1:
		return bad(fmt.Errorf("invalid -burst %d: must be at least 1", cfg.burst))
	case cfg.timeout <= 0:
		return bad(fmt.Errorf("invalid -timeout %v: must be positive", cfg.timeout))
	}
	return cfg, nil
}

// run runs the program with the command-line arguments args, without the
// program name, and returns the exit code.
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
		// The command runs long enough that every node is still InProgress
		// when its cancel arrives.
		o.RunDuration = 10 * time.Minute
	})
	defer server.Close()

	ids := nodeIDs(cfg.nodes)
	commandID, err := server.SeedCommand("AWS-RunShellScript", ids...)
	if err != nil {
		logger.Error("creating the command on the emulator failed", "nodes", len(ids), "error", err)
		return 1
	}
	// Terminate one node in the first request of 50 and one in the last,
	// so that two requests are rejected and split.
	terminated := []string{ids[20], ids[len(ids)-20]}
	for _, id := range terminated {
		server.TerminateNode(id)
	}
	server.SetRateLimit("CancelCommand", cfg.rate, cfg.burst)
	logger.Info("embedded emulator ready", "url", server.URL, "command_id", commandID, "nodes", len(ids),
		"terminated", terminated, "rate", cfg.rate, "burst", cfg.burst)

	client := ssmcancel.New(server.Client())
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	start := time.Now()
	outcomes, err := client.CancelAll(ctx, commandID, ids)
	elapsed := time.Since(start)
	if err != nil {
		logger.Warn("cancel failed on some nodes", "command_id", commandID, "error", err)
	}
	for _, o := range outcomes {
		if o.Err != nil {
			logger.Warn("node failed", "command_id", commandID, "instance_id", o.InstanceID, "error", o.Err)
		}
	}

	s := summarize(server.Calls(), outcomes, elapsed)
	writeSummary(stdout, server.URL, commandID, s)

	if !asExpected(outcomes, terminated) {
		logger.Error("the result differs from the expected one: every node but the terminated ones accepted",
			"command_id", commandID, "terminated", terminated)
		return 1
	}
	return 0
}

// nodeIDs returns n distinct instance IDs of the 17-character form.
func nodeIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("i-0b%015x", i+1)
	}
	return ids
}

// asExpected reports whether exactly the terminated nodes failed, with
// errors that match ssmerrors.ErrInvalidInstanceID.
func asExpected(outcomes []ssmcancel.Outcome, terminated []string) bool {
	bad := map[string]bool{}
	for _, id := range terminated {
		bad[id] = true
	}
	for _, o := range outcomes {
		if bad[o.InstanceID] != (o.Err != nil) {
			return false
		}
		if o.Err != nil && !errors.Is(o.Err, ssmerrors.ErrInvalidInstanceID) {
			return false
		}
	}
	return true
}
