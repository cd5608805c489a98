package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    config
		wantErr string // substring of the output on error
	}{
		{
			name: "defaults",
			args: nil,
			want: config{addr: "127.0.0.1:4583", pending: 200 * time.Millisecond, run: 3 * time.Second, cancelDelay: 300 * time.Millisecond},
		},
		{
			name: "all flags",
			args: []string{"-addr", "127.0.0.1:0", "-pending", "0s", "-run", "1m", "-cancel-delay", "5s", "-nodes", "i-12345678, i-87654321"},
			want: config{addr: "127.0.0.1:0", run: time.Minute, cancelDelay: 5 * time.Second, nodes: []string{"i-12345678", "i-87654321"}},
		},
		{name: "bad duration", args: []string{"-run", "3"}, wantErr: `invalid value "3" for flag -run`},
		{name: "negative duration", args: []string{"-pending", "-1s"}, wantErr: "emulator: invalid -pending -1s: must not be negative"},
		{name: "bad address", args: []string{"-addr", "4583"}, wantErr: `emulator: invalid -addr "4583"`},
		{name: "extra argument", args: []string{"serve"}, wantErr: `emulator: unexpected argument "serve"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer

			got, err := parseFlags(tt.args, &out)

			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("parseFlags(%q) = %+v, want an error", tt.args, got)
				}
				if !strings.Contains(out.String(), tt.wantErr) || !strings.Contains(out.String(), "usage: emulator") {
					t.Errorf("output = %q, want %q and the usage", out.String(), tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseFlags(%q): %v", tt.args, err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(config{})); diff != "" {
				t.Errorf("config mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunStartsAndStops(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	run(ctx, config{addr: "127.0.0.1:0"}, logger)

	for _, want := range []string{"emulator started", "url=http://127.0.0.1:", "emulator stopped"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs = %q, want %q", logs.String(), want)
		}
	}
}
