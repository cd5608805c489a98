package ssmcancel

import (
	"context"
	"math"
	"sync"

	"golang.org/x/time/rate"
)

// Pacing constants for CancelAll. The pacer raises its rate while requests
// succeed and cuts it when the service throttles one: additive increase,
// multiplicative decrease, as TCP congestion control does.
const (
	// startRate is the first rate, in requests per second.
	startRate = 50

	// minRate is the lowest rate the pacer falls to.
	minRate = 0.5

	// slowStartGrowth multiplies the rate after each success until the first
	// throttle, so the pacer climbs from startRate to 1,000 requests per
	// second in 14 successes.
	slowStartGrowth = 1.25

	// growthPerSuccess is added to the rate after each success once the
	// pacer has been throttled. At a rate of r requests per second it adds
	// growthPerSuccess*r per second, a 10% growth each second.
	growthPerSuccess = 0.1

	// throttleCut multiplies the rate on a throttle. Sending a little too
	// fast costs only the round trip of the throttled request, which is
	// retried, while sending too slowly wastes the service's capacity, so
	// the cut is mild.
	throttleCut = 0.85
)

// pacer spaces CancelCommand requests from the service's throttling
// feedback. It is safe for concurrent use.
type pacer struct {
	limiter *rate.Limiter

	mu        sync.Mutex
	rate      float64
	maxRate   float64 // 0 for no cap
	slowStart bool
	sent      uint64 // requests sent so far
	cutAt     uint64 // value of sent at the last cut
}

func newPacer(maxRate float64) *pacer {
	start := float64(startRate)
	if maxRate > 0 {
		start = math.Min(start, maxRate)
	}
	return &pacer{
		limiter:   rate.NewLimiter(rate.Limit(start), 1),
		rate:      start,
		maxRate:   maxRate,
		slowStart: true,
	}
}

// wait blocks until the next request may be sent and returns its sequence
// number, which the caller hands back to throttled.
func (p *pacer) wait(ctx context.Context) (uint64, error) {
	if err := p.limiter.Wait(ctx); err != nil {
		return 0, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent++
	return p.sent, nil
}

// succeeded raises the rate after a request went through.
func (p *pacer) succeeded() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.slowStart {
		p.setRate(p.rate * slowStartGrowth)
	} else {
		p.setRate(p.rate + growthPerSuccess)
	}
}

// throttled cuts the rate after the request with sequence number seq was
// throttled. Requests sent before the last cut were sent at the old rate,
// so their throttles cause no further cut.
func (p *pacer) throttled(seq uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.slowStart = false
	if seq <= p.cutAt {
		return
	}
	p.cutAt = p.sent
	p.setRate(p.rate * throttleCut)
}

func (p *pacer) setRate(r float64) {
	r = math.Max(r, minRate)
	if p.maxRate > 0 {
		r = math.Min(r, p.maxRate)
	}
	p.rate = r
	p.limiter.SetLimit(rate.Limit(r))
}
