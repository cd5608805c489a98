// Command emulator runs the ssmcanceltest SSM endpoint as a standalone server,
// so the AWS CLI, boto3 or any SDK can send and cancel Run Command commands
// without an AWS account:
//
//	go run ./examples/emulator -nodes i-0123456789abcdef0
//	AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 \
//	  aws --endpoint-url http://127.0.0.1:4583 ssm send-command \
//	  --document-name AWS-RunShellScript --instance-ids i-0123456789abcdef0 \
//	  --parameters commands=uptime
//
// It logs each call with log/slog and stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest"
)

// config is the parsed command line.
type config struct {
	addr        string
	pending     time.Duration
	run         time.Duration
	cancelDelay time.Duration
	nodes       []string
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		os.Exit(2)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	run(ctx, cfg, logger)
}

// parseFlags parses args. On a bad flag it prints a one-line error and the
// usage to output and returns the error.
func parseFlags(args []string, output io.Writer) (config, error) {
	var cfg config
	var nodes string

	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:4583", "TCP `address` to listen on")
	fs.DurationVar(&cfg.pending, "pending", ssmcanceltest.DefaultPendingDuration, "how long an invocation stays Pending, as a Go duration")
	fs.DurationVar(&cfg.run, "run", ssmcanceltest.DefaultRunDuration, "how long an invocation stays InProgress before it succeeds, as a Go duration")
	fs.DurationVar(&cfg.cancelDelay, "cancel-delay", ssmcanceltest.DefaultCancelDelay, "how long an invocation stays Cancelling after CancelCommand, as a Go duration")
	fs.StringVar(&nodes, "nodes", "", "comma-separated instance `IDs` to register; when set, other nodes get InvalidInstanceId")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: emulator [flags]\n")
		fs.PrintDefaults()
	}

	if err := fs.Parse(args); err != nil {
		// The flag package has already printed the error and the usage.
		return config{}, err
	}

	bad := func(format string, a ...any) (config, error) {
		err := fmt.Errorf(format, a...)
		fmt.Fprintln(fs.Output(), "emulator:", err)
		fs.Usage()
		return config{}, err
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q: the emulator takes only flags", fs.Arg(0))
	}
	if _, _, err := net.SplitHostPort(cfg.addr); err != nil {
		return bad("invalid -addr %q: %v", cfg.addr, err)
	}
	for name, d := range map[string]time.Duration{"-pending": cfg.pending, "-run": cfg.run, "-cancel-delay": cfg.cancelDelay} {
		if d < 0 {
			return bad("invalid %s %v: must not be negative", name, d)
		}
	}
	for _, id := range strings.Split(nodes, ",") {
		if id = strings.TrimSpace(id); id != "" {
			cfg.nodes = append(cfg.nodes, id)
		}
	}

	return cfg, nil
}

// run serves until ctx is done.
func run(ctx context.Context, cfg config, logger *slog.Logger) {
	server := ssmcanceltest.NewServer(func(o *ssmcanceltest.Options) {
		o.Addr = cfg.addr
		// A zero flag means no delay; the Options use negative for that.
		o.PendingDuration = noDelayAsNegative(cfg.pending)
		o.RunDuration = noDelayAsNegative(cfg.run)
		o.CancelDelay = noDelayAsNegative(cfg.cancelDelay)
		o.OnCall = func(c ssmcanceltest.Call) { logCall(logger, c) }
	})
	if len(cfg.nodes) > 0 {
		server.RegisterNodes(cfg.nodes...)
	}
	logger.Info("emulator started", "url", server.URL,
		"pending", cfg.pending, "run", cfg.run, "cancel_delay", cfg.cancelDelay, "registered_nodes", len(cfg.nodes))

	<-ctx.Done()

	server.Close()
	logger.Info("emulator stopped", "reason", context.Cause(ctx))
}

func noDelayAsNegative(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// logCall logs one call after its response. It logs no request headers, so credentials
// and signatures never reach the log.
func logCall(logger *slog.Logger, c ssmcanceltest.Call) {
	attrs := []any{
		"operation", c.Operation,
		"request_id", c.RequestID,
		"status", c.StatusCode,
		"duration", c.Duration,
	}
	if c.Injected {
		attrs = append(attrs, "injected_fault", true)
	}

	if c.ErrorCode != "" || c.StatusCode >= 400 || c.StatusCode == 0 {
		logger.Warn("call failed", append(attrs, "error_code", c.ErrorCode)...)
		return
	}
	logger.Info("call", attrs...)
}
