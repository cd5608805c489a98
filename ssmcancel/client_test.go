package ssmcancel_test

import (
	"context"
	"testing"

	"github.com/ssmkit/ssmcancel/ssmcancel"
)

func TestClientWithoutAPI(t *testing.T) {
	clients := map[string]*ssmcancel.Client{
		"zero Client": {},
		"New(nil)":    ssmcancel.New(nil, nil),
		"nil Client":  nil,
	}
	for name, client := range clients {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := client.Cancel(ctx, commandID); err == nil {
				t.Error("Cancel() = nil, want an error")
			}
			outcomes, err := client.CancelAll(ctx, commandID, nodeIDs(2))
			if err == nil || len(outcomes) != 2 || outcomes[0].Err == nil {
				t.Errorf("CancelAll() = %v, %v; want 2 failed outcomes and an error", outcomes, err)
			}
			if _, err := client.Wait(ctx, commandID); err == nil {
				t.Error("Wait() = nil, want an error")
			}
			if _, err := client.CancelAndWait(ctx, commandID, nodeIDs(1)...); err == nil {
				t.Error("CancelAndWait() = nil, want an error")
			}
			cancelled, cancel := context.WithCancel(ctx)
			stop := client.CancelOnDone(cancelled, commandID)
			cancel()
			stop()
		})
	}
}
