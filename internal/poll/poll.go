// Package poll waits for a condition with exponential backoff on a clock that
// tests can replace, so no test sleeps for real.
package poll

import (
	"context"
	"time"
)

// Clock is the part of time the waiting needs.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

func (RealClock) Now() time.Time                         { return time.Now() }
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Backoff is the wait between checks: Initial, multiplied by Factor after
// every check, never more than Max.
type Backoff struct {
	Initial time.Duration
	Max     time.Duration
	Factor  float64
}

// DefaultBackoff suits GitHub's short eventual-consistency gaps.
var DefaultBackoff = Backoff{Initial: 500 * time.Millisecond, Max: 10 * time.Second, Factor: 2}

// Until calls check at once and then after each wait, until check reports
// done or fails, or ctx ends (then the context's error is returned). It
// returns how many checks ran.
func Until(ctx context.Context, clock Clock, b Backoff, check func(context.Context) (bool, error)) (int, error) {
	wait := b.Initial
	for attempt := 1; ; attempt++ {
		done, err := check(ctx)
		if err != nil || done {
			return attempt, err
		}
		select {
		case <-ctx.Done():
			return attempt, ctx.Err()
		case <-clock.After(wait):
		}
		wait = min(time.Duration(float64(wait)*b.Factor), b.Max)
	}
}
