package ghapi

import (
	"sync"
	"time"
)

// virtualClock fires every timer at once and moves its time forward by the
// wait, so no test sleeps for real. It starts at the wall clock's now, so
// that a context's deadline compares with it as in production. Concurrent
// waits add up, so with several callers its time bounds the real schedule
// from above: tests assert the waits asked for and lower bounds.
type virtualClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
	// onWait, when set, runs at each wait (to cancel a context mid-wait).
	onWait func(time.Duration)
}

func newVirtualClock() *virtualClock { return &virtualClock{now: time.Now()} }

func (c *virtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *virtualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	at, onWait := c.now, c.onWait
	c.mu.Unlock()
	if onWait != nil {
		onWait(d)
		return nil // never fires: the caller's context ends instead
	}
	ch := make(chan time.Time, 1)
	ch <- at
	return ch
}

// Waits returns the waits asked for so far, in order.
func (c *virtualClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}
