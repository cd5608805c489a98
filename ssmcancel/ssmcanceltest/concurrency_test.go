package ssmcanceltest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

func TestConcurrentClients(t *testing.T) {
	s, clock, client := newTestServer(t)
	const workers = 16
	const rounds = 10

	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*3)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			nodes := instanceIDs(3 * (w + 1))[3*w:]
			for range rounds {
				out, err := client.SendCommand(ctx, &ssm.SendCommandInput{DocumentName: aws.String("AWS-RunShellScript"), InstanceIds: nodes})
				if err != nil {
					errs <- err
					continue
				}
				clock.Advance(time.Millisecond)
				if _, err := client.CancelCommand(ctx, &ssm.CancelCommandInput{CommandId: out.Command.CommandId, InstanceIds: nodes[:1]}); err != nil {
					errs <- err
				}
				if _, err := client.ListCommandInvocations(ctx, &ssm.ListCommandInvocationsInput{CommandId: out.Command.CommandId}); err != nil {
					errs <- err
				}
				s.Calls()
				s.InvocationStatus(*out.Command.CommandId, nodes[0])
			}
		}()
	}
	wg.Wait()
	close(errs)

	for err := range errs {
		t.Error(err)
	}
	if got, want := s.CallCount("SendCommand"), workers*rounds; got != want {
		t.Errorf("CallCount(SendCommand) = %d, want %d", got, want)
	}
}

func TestBulkCancelOfTenThousandNodes(t *testing.T) {
	s, _, client := newTestServer(t)
	nodes := instanceIDs(10_000)
	id, err := s.SeedCommand("AWS-RunShellScript", nodes...)
	if err != nil {
		t.Fatalf("SeedCommand: %v", err)
	}

	for start := 0; start < len(nodes); start += 50 {
		if _, err := client.CancelCommand(context.Background(), &ssm.CancelCommandInput{
			CommandId: aws.String(id), InstanceIds: nodes[start : start+50],
		}); err != nil {
			t.Fatalf("CancelCommand(%d..): %v", start, err)
		}
	}

	if status, _ := s.CommandStatus(id); status != "Cancelling" {
		t.Errorf("CommandStatus = %s, want Cancelling", status)
	}
}
