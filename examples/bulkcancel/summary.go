package main

import (
	"fmt"
	"io"
	"time"

	"github.com/ssmkit/ssmcancel/ssmcancel"
	"github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest"
)

// summary counts the CancelCommand requests and node outcomes of a run.
type summary struct {
	requests  int // CancelCommand requests the emulator received
	throttled int // of which it rejected with ThrottlingException
	rejected  int // of which it rejected with InvalidInstanceId
	nodes     int
	accepted  int
	failed    []ssmcancel.Outcome
	elapsed   time.Duration
}

// summarize counts the CancelCommand calls the emulator recorded and the
// outcomes of CancelAll.
func summarize(calls []ssmcanceltest.Call, outcomes []ssmcancel.Outcome, elapsed time.Duration) summary {
	s := summary{nodes: len(outcomes), elapsed: elapsed}
	for _, c := range calls {
		if c.Operation != "CancelCommand" {
			continue
		}
		s.requests++
		switch c.ErrorCode {
		case "ThrottlingException":
			s.throttled++
		case "InvalidInstanceId":
			s.rejected++
		}
	}
	for _, o := range outcomes {
		if o.Err != nil {
			s.failed = append(s.failed, o)
			continue
		}
		s.accepted++
	}
	return s
}

// writeSummary prints s, with each failed node and its error.
func writeSummary(w io.Writer, url, commandID string, s summary) {
	fmt.Fprintf(w, "Target: the embedded SSM emulator at %s (no AWS account used)\n", url)
	fmt.Fprintf(w, "Command: %s\n\n", commandID)
	fmt.Fprintf(w, "CancelCommand requests:  %d (%d throttled, %d rejected with InvalidInstanceId)\n", s.requests, s.throttled, s.rejected)
	fmt.Fprintf(w, "Nodes accepted:          %d of %d\n", s.accepted, s.nodes)
	fmt.Fprintf(w, "Nodes failed:            %d\n", len(s.failed))
	for _, o := range s.failed {
		fmt.Fprintf(w, "  %s: %v\n", o.InstanceID, o.Err)
	}
	fmt.Fprintf(w, "Elapsed:                 %v\n", s.elapsed.Round(time.Millisecond))
}
