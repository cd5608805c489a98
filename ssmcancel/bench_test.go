package ssmcancel_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/ssmcancel"
	"github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest"
)

// newAcceptingServer starts a loopback server that accepts every request
// with an empty JSON body, closed when b ends, and returns a client for it.
func newAcceptingServer(b *testing.B) *ssm.Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = io.WriteString(w, "{}")
	}))
	b.Cleanup(srv.Close)
	return newSDKClient(srv.URL)
}

// BenchmarkCancel compares Client.Cancel with a raw ssm.Client.CancelCommand
// call against the same loopback server, for 50 instance IDs.
func BenchmarkCancel(b *testing.B) {
	api := newAcceptingServer(b)
	ids := nodeIDs(50)
	ctx := context.Background()

	b.Run("raw-sdk", func(b *testing.B) {
		for b.Loop() {
			if _, err := api.CancelCommand(ctx, &ssm.CancelCommandInput{CommandId: aws.String(commandID), InstanceIds: ids}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ssmcancel", func(b *testing.B) {
		client := ssmcancel.New(api)
		for b.Loop() {
			if err := client.Cancel(ctx, commandID, ids...); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The wrapper's own cost, without the network noise around it.
	b.Run("ssmcancel-no-network", func(b *testing.B) {
		client := ssmcancel.New(fakeSSM{commandID: commandID})
		b.ReportAllocs()
		for b.Loop() {
			if err := client.Cancel(ctx, commandID, ids...); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCancelPaired alternates a raw ssm.Client.CancelCommand call and
// a Client.Cancel call against the same loopback server, timing each, so
// that drift in the machine's speed hits both alike. It reports the mean
// time of each and the wrapper's overhead in percent.
func BenchmarkCancelPaired(b *testing.B) {
	api := newAcceptingServer(b)
	client := ssmcancel.New(api)
	ids := nodeIDs(50)
	ctx := context.Background()
	input := &ssm.CancelCommandInput{CommandId: aws.String(commandID), InstanceIds: ids}

	var raw, wrapped time.Duration
	i := 0
	for b.Loop() {
		rawFirst := i%2 == 0
		i++
		for _, useRaw := range []bool{rawFirst, !rawFirst} {
			start := time.Now()
			var err error
			if useRaw {
				_, err = api.CancelCommand(ctx, input)
			} else {
				err = client.Cancel(ctx, commandID, ids...)
			}
			elapsed := time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
			if useRaw {
				raw += elapsed
			} else {
				wrapped += elapsed
			}
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(raw.Microseconds())/n, "raw-µs/op")
	b.ReportMetric(float64(wrapped.Microseconds())/n, "ssmcancel-µs/op")
	b.ReportMetric(100*(float64(wrapped)-float64(raw))/float64(raw), "overhead-%")
}

// rateBurst is the burst of the emulator's token bucket in
// BenchmarkCancelAllThrottled.
const rateBurst = 5

// BenchmarkCancelAllThrottled cancels 10,000 nodes, 200 requests of 50,
// against an emulator that allows R requests per second and returns
// ThrottlingException beyond that. It reports the sustained rate of
// accepted requests as a share of R (share-of-R) and the throttled attempts
// per accepted request. The sdk-retryer variant sends each batch as fast as
// the SDK's standard retryer lets it, as a baseline.
func BenchmarkCancelAllThrottled(b *testing.B) {
	nodes := nodeIDs(10_000)
	for _, r := range []float64{20, 100, 1000} {
		b.Run(fmt.Sprintf("R=%g/ssmcancel", r), func(b *testing.B) {
			benchmarkThrottled(b, nodes, r, func(ctx context.Context, api *ssm.Client, cmdID string) error {
				outcomes, err := ssmcancel.New(api).CancelAll(ctx, cmdID, nodes)
				for _, o := range outcomes {
					if o.Err != nil {
						return o.Err
					}
				}
				return err
			})
		})
		b.Run(fmt.Sprintf("R=%g/sdk-retryer", r), func(b *testing.B) {
			benchmarkThrottled(b, nodes, r, func(ctx context.Context, api *ssm.Client, cmdID string) error {
				return cancelWithSDKRetryer(ctx, api, cmdID, nodes)
			})
		})
	}
}

func benchmarkThrottled(b *testing.B, nodes []string, rateLimit float64, cancelAll func(context.Context, *ssm.Client, string) error) {
	var share, throttled float64
	for b.Loop() {
		b.StopTimer()
		server := ssmcanceltest.NewServer()
		cmdID, err := server.SeedCommand("AWS-RunShellScript", nodes...)
		if err != nil {
			b.Fatal(err)
		}
		server.SetRateLimit("CancelCommand", rateLimit, rateBurst)
		api := server.Client()
		b.StartTimer()

		start := time.Now()
		if err := cancelAll(context.Background(), api, cmdID); err != nil {
			b.Fatalf("cancel failed: %v", err)
		}
		elapsed := time.Since(start)

		b.StopTimer()
		accepted := 0
		for _, call := range server.Calls() {
			if call.ErrorCode == "" && call.StatusCode == http.StatusOK {
				accepted++
			}
		}
		total := server.CallCount("CancelCommand")
		share += float64(accepted) / elapsed.Seconds() / rateLimit
		throttled += float64(total-accepted) / float64(accepted)
		server.Close()
		b.StartTimer()
	}
	b.ReportMetric(share/float64(b.N), "share-of-R")
	b.ReportMetric(throttled/float64(b.N), "throttled/accepted")
}

// cancelWithSDKRetryer is the baseline: MaxConcurrency workers send the
// batches with plain CancelCommand calls, each retried by the SDK's
// standard retryer and sent again when the retryer gives up on throttling.
func cancelWithSDKRetryer(ctx context.Context, api *ssm.Client, cmdID string, nodes []string) error {
	batches := make(chan []string, len(nodes)/50+1)
	for start := 0; start < len(nodes); start += 50 {
		batches <- nodes[start:min(start+50, len(nodes))]
	}
	close(batches)

	client := ssmcancel.New(api)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range ssmcancel.DefaultMaxConcurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range batches {
				for {
					err := client.Cancel(ctx, cmdID, batch...)
					if errors.Is(err, ssmerrors.ErrThrottled) {
						continue
					}
					if err != nil {
						mu.Lock()
						firstErr = err
						mu.Unlock()
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}
