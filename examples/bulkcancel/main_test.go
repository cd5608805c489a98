package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ssmkit/ssmcancel/internal/leakcheck"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }

var requestsLine = regexp.MustCompile(`CancelCommand requests:\s+(\d+) \((\d+) throttled, (\d+) rejected with InvalidInstanceId\)`)

func TestRunDefaults(t *testing.T) {
	var stdout, stderr bytes.Buffer

	code := run(t.Context(), nil, &stdout, &stderr)

	out := stdout.String()
	if code != 0 {
		t.Fatalf("exit code = %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, stderr.String())
	}
	if !strings.Contains(out, "Nodes accepted:          298 of 300") {
		t.Errorf("stdout does not report 298 of 300 nodes accepted:\n%s", out)
	}
	ids := nodeIDs(300)
	for _, id := range []string{ids[20], ids[280]} {
		want := fmt.Sprintf("  %s: ssm CancelCommand: InvalidInstanceId:", id)
		if !strings.Contains(out, want) {
			t.Errorf("stdout does not list terminated node %s with its error:\n%s", id, out)
		}
	}

	m := requestsLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("stdout has no line of request counts:\n%s", out)
	}
	requests, _ := strconv.Atoi(m[1])
	throttled, _ := strconv.Atoi(m[2])
	rejected, _ := strconv.Atoi(m[3])
	// Six requests of 50, and at least one split per terminated node.
	if requests < 6+2*2 {
		t.Errorf("requests = %d, want at least 10", requests)
	}
	if throttled == 0 {
		t.Errorf("throttled = 0, want the rate limit to throttle some requests")
	}
	if rejected < 2 {
		t.Errorf("rejected = %d, want at least one per terminated node", rejected)
	}
}

func TestNodeIDsDistinctAndValid(t *testing.T) {
	ids := nodeIDs(500)
	pattern := regexp.MustCompile(`^i-\w{17}$`)
	seen := map[string]bool{}
	for i, id := range ids {
		if !pattern.MatchString(id) {
			t.Errorf("nodeIDs[%d] = %q, want i- and 17 characters", i, id)
		}
		if seen[id] {
			t.Errorf("nodeIDs[%d] = %q repeats an earlier ID", i, id)
		}
		seen[id] = true
	}
}

func TestRunBadFlags(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantError string
	}{
		{name: "too few nodes", args: []string{"-nodes", "10"}, wantError: "bulkcancel: invalid -nodes 10: must be at least 100"},
		{name: "zero rate", args: []string{"-rate", "0"}, wantError: "bulkcancel: invalid -rate 0: must be positive"},
		{name: "zero burst", args: []string{"-burst", "0"}, wantError: "bulkcancel: invalid -burst 0: must be at least 1"},
		{name: "unknown flag", args: []string{"-all"}, wantError: "flag provided but not defined: -all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer

			code := run(t.Context(), tt.args, &stdout, &stderr)

			if code != 2 {
				t.Errorf("exit code = %d, want 2", code)
			}
			first, _, _ := strings.Cut(stderr.String(), "\n")
			if !strings.HasPrefix(first, tt.wantError) {
				t.Errorf("first line of stderr = %q, want it to start with %q", first, tt.wantError)
			}
		})
	}
}
