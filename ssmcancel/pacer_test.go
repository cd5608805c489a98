package ssmcancel

import (
	"context"
	"math"
	"testing"
	"time"
)

func TestPacerCutsOncePerRound(t *testing.T) {
	p := newPacer(0)
	ctx := context.Background()

	// Four requests in flight at the starting rate, all throttled.
	var seqs []uint64
	for range 4 {
		seq, err := p.wait(ctx)
		if err != nil {
			t.Fatalf("wait() = %v", err)
		}
		seqs = append(seqs, seq)
	}
	for _, seq := range seqs {
		p.throttled(seq)
	}
	if want := startRate * throttleCut; !near(p.rate, want) {
		t.Errorf("rate after 4 throttles of one round = %v, want %v (one cut)", p.rate, want)
	}

	// A request sent after the cut is a new round and cuts again.
	seq, _ := p.wait(ctx)
	p.throttled(seq)
	if want := startRate * throttleCut * throttleCut; !near(p.rate, want) {
		t.Errorf("rate after a throttle of the next round = %v, want %v", p.rate, want)
	}
}

func TestPacerGrowth(t *testing.T) {
	p := newPacer(0)
	p.succeeded()
	if want := startRate * slowStartGrowth; !near(p.rate, want) {
		t.Errorf("rate after a success in slow start = %v, want %v", p.rate, want)
	}

	seq, _ := p.wait(context.Background())
	p.throttled(seq)
	before := p.rate
	p.succeeded()
	if want := before + growthPerSuccess; !near(p.rate, want) {
		t.Errorf("rate after a success past slow start = %v, want %v", p.rate, want)
	}
}

func TestPacerBounds(t *testing.T) {
	capped := newPacer(10)
	if capped.rate != 10 {
		t.Errorf("starting rate with a cap of 10 = %v, want 10", capped.rate)
	}
	for range 100 {
		capped.succeeded()
	}
	if capped.rate != 10 {
		t.Errorf("rate after 100 successes with a cap of 10 = %v, want 10", capped.rate)
	}

	p := newPacer(0)
	for range 200 {
		p.mu.Lock()
		p.sent++
		seq := p.sent
		p.mu.Unlock()
		p.throttled(seq)
	}
	if p.rate != minRate {
		t.Errorf("rate after 200 throttled rounds = %v, want the floor %v", p.rate, minRate)
	}
}

func near(got, want float64) bool { return math.Abs(got-want) < 1e-9 }

func TestDoubleDoesNotOverflow(t *testing.T) {
	const limit = time.Duration(math.MaxInt64)
	tests := []struct {
		d, limit, want time.Duration
	}{
		{time.Second, 5 * time.Second, 2 * time.Second},
		{3 * time.Second, 5 * time.Second, 5 * time.Second},
		{limit / 3 * 2, limit, limit},
		{limit, limit, limit},
	}
	for _, tt := range tests {
		if got := double(tt.d, tt.limit); got != tt.want {
			t.Errorf("double(%v, %v) = %v, want %v", tt.d, tt.limit, got, tt.want)
		}
	}
}
