package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/validate"
)

// usageText follows the flag defaults in the output of -h.
const usageText = `
With no flags, cancel runs a demo against an embedded SSM emulator on
127.0.0.1 and needs no AWS account. With -command-id it cancels a real
command, with credentials from the AWS SDK's default chain.

Exit codes:
  0  every node accepted the cancel and, with -wait, reached a terminal
     status (a node that ended Success despite the cancel counts too)
  1  any other failure: AWS configuration, network, interrupt
  2  invalid input: bad flag, malformed or repeated ID, no AWS Region
  3  the service rejected the request: unknown command, invalid instance,
     access denied, validation
  4  throttling, server error (HTTP 5xx), or the -timeout deadline,
     including a wait that did not finish
When several apply, the first in the order 2, 3, 4, 1 wins.
`

// config is the parsed command line.
type config struct {
	commandID   string
	instanceIDs []string
	region      string
	endpointURL string
	wait        bool
	timeout     time.Duration
	json        bool
}

// parseFlags parses args. On a bad flag it prints a one-line error and the
// usage to output and returns the error.
func parseFlags(args []string, output io.Writer) (config, error) {
	var cfg config
	var instanceIDs string

	fs := flag.NewFlagSet("cancel", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&cfg.commandID, "command-id", "", "`ID` of the command to cancel; without it, run the demo against the embedded emulator")
	fs.StringVar(&instanceIDs, "instance-ids", "", "comma-separated instance `IDs` to cancel on; empty means every node the command was sent to")
	fs.StringVar(&cfg.region, "region", "", "AWS `Region`; the default comes from AWS_REGION or the shared config file")
	fs.StringVar(&cfg.endpointURL, "endpoint-url", "", "SSM endpoint `URL`, such as http://127.0.0.1:4583 for examples/emulator; the default is the SDK's endpoint for the Region")
	fs.BoolVar(&cfg.wait, "wait", true, "wait until every node reaches a terminal status; -wait=false only sends the cancel")
	fs.DurationVar(&cfg.timeout, "timeout", 2*time.Minute, "deadline for the whole run, as a Go `duration`")
	fs.BoolVar(&cfg.json, "json", false, "print one JSON object instead of the table")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: cancel [flags]\n")
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), usageText)
	}

	if err := fs.Parse(args); err != nil {
		// The flag package has already printed the error and the usage.
		return config{}, err
	}

	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	bad := func(err error) (config, error) {
		fmt.Fprintln(fs.Output(), "cancel:", err)
		fs.Usage()
		return config{}, err
	}
	if fs.NArg() > 0 {
		return bad(fmt.Errorf("unexpected argument %q: cancel takes only flags", fs.Arg(0)))
	}
	if cfg.timeout <= 0 {
		return bad(fmt.Errorf("invalid -timeout %v: must be positive", cfg.timeout))
	}
	if !set["command-id"] {
		for _, name := range []string{"instance-ids", "region", "endpoint-url"} {
			if set[name] {
				return bad(fmt.Errorf("-%s needs -command-id; without -command-id the program runs the demo against the embedded emulator", name))
			}
		}
		return cfg, nil
	}

	var err error
	if cfg.instanceIDs, err = parseIDs(cfg.commandID, instanceIDs); err != nil {
		return bad(err)
	}
	if cfg.endpointURL != "" {
		if err := checkEndpointURL(cfg.endpointURL); err != nil {
			return bad(err)
		}
	}
	return cfg, nil
}

// parseIDs checks the command ID and splits the comma-separated instance
// IDs, and reports every malformed or repeated ID in one error. An empty
// list means every node. It applies no limit of 50, because CancelAll
// sends any number of nodes in batches.
func parseIDs(commandID, instanceIDs string) ([]string, error) {
	if err := validate.CommandID(commandID); err != nil {
		return nil, fmt.Errorf("-command-id: %w", err)
	}

	var ids []string
	for _, id := range strings.Split(instanceIDs, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}

	var errs []error
	first := make(map[string]int, len(ids))
	for i, id := range ids {
		if err := validate.InstanceID(id); err != nil {
			var v *ssmerrors.ValidationError
			if errors.As(err, &v) {
				v.Index = i
			}
			errs = append(errs, err)
			continue
		}
		if j, seen := first[id]; seen {
			errs = append(errs, validate.DuplicateError(i, id, j))
			continue
		}
		first[id] = i
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("-instance-ids: %w", joinOnOneLine(errs))
	}
	return ids, nil
}

// checkEndpointURL checks that raw is an absolute http or https URL.
func checkEndpointURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("invalid -endpoint-url %q: %v", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("invalid -endpoint-url %q: want an absolute URL such as http://127.0.0.1:4583", raw)
	}
	return nil
}

// lineJoinError joins errors with "; " so that the message stays on one
// line, unlike errors.Join, and errors.Is still matches each.
type lineJoinError []error

func joinOnOneLine(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	return lineJoinError(errs)
}

func (e lineJoinError) Error() string {
	msgs := make([]string, len(e))
	for i, err := range e {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

func (e lineJoinError) Unwrap() []error { return e }
