package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ssmkit/ssmcancel/internal/leakcheck"
)

func TestMain(m *testing.M) { leakcheck.Main(m) }

func TestRun(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		interrupt  time.Duration // cancel the context passed to run after this long; 0 for never
		wantStatus string
		wantCancel string
		wantLine   string
	}{
		{
			name:       "simulated interrupt",
			args:       []string{"-after", "300ms"},
			wantStatus: "Cancelled",
			wantCancel: "accepted",
			wantLine:   "Interrupted (simulated interrupt (-after)). CancelOnDone sent the cancel, and the service accepted it.",
		},
		{
			name:       "signal context ends",
			interrupt:  300 * time.Millisecond,
			wantStatus: "Cancelled",
			wantCancel: "accepted",
			wantLine:   "CancelOnDone sent the cancel, and the service accepted it.",
		},
		{
			name:       "job finishes first",
			args:       []string{"-job", "200ms", "-after", "1m"},
			wantStatus: "Success",
			wantCancel: "not sent",
			wantLine:   "The job finished before any interrupt, so CancelOnDone sent no cancel.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tt.interrupt > 0 {
				timer := time.AfterFunc(tt.interrupt, cancel)
				defer timer.Stop()
			}
			var stdout, stderr bytes.Buffer

			code := run(ctx, tt.args, &stdout, &stderr)

			if code != 0 {
				t.Errorf("exit code = %d, want 0\nstderr:\n%s", code, stderr.String())
			}
			out := stdout.String()
			if !strings.Contains(out, tt.wantLine) {
				t.Errorf("stdout does not contain %q:\n%s", tt.wantLine, out)
			}
			for _, id := range nodes {
				want := fmt.Sprintf("%s  %s", tt.wantCancel, tt.wantStatus)
				row := rowOf(out, id)
				if !strings.Contains(row, want) {
					t.Errorf("row of %s = %q, want it to contain %q", id, row, want)
				}
			}
		})
	}
}

// rowOf returns the line of the table that starts with id, or "".
func rowOf(table, id string) string {
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, id+" ") {
			return line
		}
	}
	return ""
}

func TestRunBadFlags(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantError string
	}{
		{name: "unknown flag", args: []string{"-now"}, wantError: "flag provided but not defined: -now"},
		{name: "negative after", args: []string{"-after", "-1s"}, wantError: "ctrlc: invalid -after -1s: must not be negative"},
		{name: "zero job", args: []string{"-job", "0s"}, wantError: "ctrlc: invalid -job 0s: must be positive"},
		{name: "extra argument", args: []string{"go"}, wantError: `ctrlc: unexpected argument "go"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer

			code := run(t.Context(), tt.args, &stdout, &stderr)

			if code != 2 {
				t.Errorf("exit code = %d, want 2", code)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want it empty", stdout.String())
			}
			first, _, _ := strings.Cut(stderr.String(), "\n")
			if !strings.HasPrefix(first, tt.wantError) {
				t.Errorf("first line of stderr = %q, want it to start with %q", first, tt.wantError)
			}
			if !strings.Contains(stderr.String(), "usage: ctrlc [flags]") {
				t.Errorf("stderr has no usage:\n%s", stderr.String())
			}
		})
	}
}
