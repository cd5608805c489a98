package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/ssmkit/ssmcancel/ssmcancel"
)

// writeReport prints how the job ended and a table of the nodes' cancel
// results and final statuses. result is nil when no cancel was sent.
func writeReport(w io.Writer, url, commandID string, cause, jobErr error, result *cancelResult, final []ssmcancel.Invocation) {
	fmt.Fprintf(w, "Target: the embedded SSM emulator at %s (no AWS account used)\n", url)
	fmt.Fprintf(w, "Command: %s\n", commandID)
	switch {
	case jobErr == nil:
		fmt.Fprintln(w, "The job finished before any interrupt, so CancelOnDone sent no cancel.")
	case result == nil:
		fmt.Fprintf(w, "The job ended (%v) but CancelOnDone reported no cancel.\n", jobErr)
	case result.err != nil:
		fmt.Fprintf(w, "Interrupted (%v). CancelOnDone sent the cancel, which failed: %v\n", cause, result.err)
	default:
		fmt.Fprintf(w, "Interrupted (%v). CancelOnDone sent the cancel, and the service accepted it.\n", cause)
	}
	fmt.Fprintln(w)

	cancelErrs := map[string]error{}
	if result != nil {
		for _, o := range result.outcomes {
			cancelErrs[o.InstanceID] = o.Err
		}
	}

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "INSTANCE ID\tCANCEL\tFINAL STATUS")
	for _, inv := range final {
		cancel := "not sent"
		if err, ok := cancelErrs[inv.InstanceID]; ok {
			cancel = "accepted"
			if err != nil {
				cancel = "failed: " + err.Error()
			}
		}
		status := string(inv.Status)
		if status == "" {
			status = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", inv.InstanceID, cancel, status)
	}
	tw.Flush()
}
