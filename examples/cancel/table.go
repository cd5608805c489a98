package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// statusOrder is the order of statuses in the summary line: the terminal
// ones first, then those that keep a wait polling.
var statusOrder = []string{"Cancelled", "Success", "Failed", "TimedOut", "Cancelling", "InProgress", "Pending", "Delayed"}

// writeTable prints rep as a table with one row per node and a summary.
func writeTable(w io.Writer, rep report) {
	switch rep.Target {
	case "emulator":
		fmt.Fprintf(w, "Target: the embedded SSM emulator at %s (no AWS account used)\n", rep.EndpointURL)
	case "aws":
		where := "the SDK's default endpoint"
		if rep.EndpointURL != "" {
			where = rep.EndpointURL
		}
		fmt.Fprintf(w, "Target: AWS Systems Manager in %s at %s\n", rep.Region, where)
	}
	fmt.Fprintf(w, "Command: %s\n\n", rep.CommandID)

	if len(rep.Nodes) > 0 {
		// tabwriter pads every cell but the last, so a row with an empty
		// note would end in spaces; write to a buffer and trim them.
		var rows bytes.Buffer
		tw := tabwriter.NewWriter(&rows, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "INSTANCE ID\tCANCEL\tFINAL STATUS\tSTATUS DETAILS\tNOTE")
		for _, n := range rep.Nodes {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", n.InstanceID, cancelColumn(n), orDash(n.Status), orDash(n.StatusDetails), note(n, rep.Waited))
		}
		tw.Flush()
		for _, line := range strings.SplitAfter(rows.String(), "\n") {
			io.WriteString(w, strings.TrimRight(line, " \n"))
			if strings.HasSuffix(line, "\n") {
				io.WriteString(w, "\n")
			}
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintln(w, summaryLine(rep))
	if rep.Error != nil {
		fmt.Fprintf(w, "Error (%s): %s\n", *rep.ErrorKind, *rep.Error)
	}
}

func cancelColumn(n nodeResult) string {
	if n.ErrorKind != nil {
		return "failed: " + string(*n.ErrorKind)
	}
	return "accepted"
}

func note(n nodeResult, waited bool) string {
	switch {
	case n.CancelError != nil:
		return *n.CancelError
	case n.SuccessDespiteCancel:
		return "ended Success despite the cancel"
	case !waited:
		return "not waited for"
	case n.Status == "":
		return "never listed by the service"
	case !isTerminal(n.Status):
		return "did not reach a terminal status in time"
	}
	return ""
}

func isTerminal(status string) bool {
	switch status {
	case "Success", "Failed", "TimedOut", "Cancelled":
		return true
	}
	return false
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// summaryLine returns one line that counts the nodes by cancel result and
// final status.
func summaryLine(rep report) string {
	s := rep.Summary
	if rep.AllNodes && s.Nodes == 0 {
		if rep.Error != nil {
			return "Summary: the cancel for every node of the command failed."
		}
		return "Summary: the service accepted the cancel for every node of the command."
	}

	var b strings.Builder
	fmt.Fprintf(&b, "Summary: %d of %d nodes accepted the cancel", s.Accepted, s.Nodes)
	if rep.Waited {
		var counts []string
		for _, status := range statusOrder {
			if c := s.Statuses[status]; c > 0 {
				counts = append(counts, fmt.Sprintf("%d %s", c, status))
			}
		}
		if len(counts) > 0 {
			fmt.Fprintf(&b, "; final status: %s", strings.Join(counts, ", "))
		}
	}
	if s.SuccessDespiteCancel > 0 {
		fmt.Fprintf(&b, "; %d ended Success despite the cancel, because a cancel is a request, not a guarantee", s.SuccessDespiteCancel)
	}
	b.WriteString(".")
	return b.String()
}
