// Package leakcheck fails a test binary whose tests leave goroutines of
// this module behind, such as a worker of CancelAll, a CancelOnDone
// callback or a test server. It is for the module's own tests.
package leakcheck

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// timeout is how long Main waits for goroutines to end after the tests
// pass: long enough for servers and idle connections to close.
const timeout = 5 * time.Second

// Main runs the tests and, when they pass, waits for every goroutine that
// runs code of this module or of package main, other than the test
// runner's own, to end. It prints the stacks of those still running after
// the timeout and exits with status 1. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if leaked := leakedGoroutines(); leaked != "" {
			fmt.Fprintf(os.Stderr, "goroutines left behind by the tests:\n%s\n", leaked)
			code = 1
		}
	}
	os.Exit(code)
}

func leakedGoroutines() string {
	deadline := time.Now().Add(timeout)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]

		var leaked []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			ours := strings.Contains(g, "github.com/ssmkit/ssmcancel/") || strings.Contains(g, "\nmain.")
			runner := strings.Contains(g, "TestMain") || strings.Contains(g, "runtime.Stack")
			if ours && !runner {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 || time.Now().After(deadline) {
			return strings.Join(leaked, "\n\n")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
