package poll

import (
	"context"
	"errors"
	"testing"
	"time"
)

// fakeClock fires every timer at once and remembers the waits asked for.
type fakeClock struct{ waits []time.Duration }

func (c *fakeClock) Now() time.Time { return time.Unix(0, 0) }
func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.waits = append(c.waits, d)
	ch := make(chan time.Time, 1)
	ch <- time.Unix(0, 0)
	return ch
}

func TestUntil_backsOffUntilDone(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{}
	checks := 0
	attempts, err := Until(context.Background(), clock, Backoff{Initial: time.Second, Max: 3 * time.Second, Factor: 2},
		func(context.Context) (bool, error) { checks++; return checks == 4, nil })
	if err != nil || attempts != 4 {
		t.Fatalf("attempts=%d err=%v, want 4 and nil", attempts, err)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second}
	if len(clock.waits) != len(want) {
		t.Fatalf("waits %v, want %v", clock.waits, want)
	}
	for i := range want {
		if clock.waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", clock.waits, want)
		}
	}
}

func TestUntil_stopsOnError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	attempts, err := Until(context.Background(), &fakeClock{}, DefaultBackoff,
		func(context.Context) (bool, error) { return false, boom })
	if !errors.Is(err, boom) || attempts != 1 {
		t.Fatalf("attempts=%d err=%v, want 1 and boom", attempts, err)
	}
}

func TestUntil_stopsWhenContextEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Until(ctx, RealClock{}, Backoff{Initial: time.Hour, Max: time.Hour, Factor: 1},
		func(context.Context) (bool, error) { return false, nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err=%v, want context.Canceled", err)
	}
}
