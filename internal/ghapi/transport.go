package ghapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/poll"
)

// gate is where every attempt waits its turn. GitHub's REST docs on rate
// limits (best practices, secondary rate limits) ask integrations to keep
// concurrent requests few (a secondary limit caps them at 100), to pause
// about a second between mutating requests, and to send nothing while a
// rate limit holds (requests sent while limited can get an integration
// banned). So: at most maxInFlight requests at once, about a second between
// mutating requests, and no request at all while GitHub says a rate limit
// holds. The pause is shared: when one call meets a limit, the others wait
// with it instead of each probing the limit on its own.
type gate struct {
	clock    poll.Clock
	slots    chan struct{}
	interval time.Duration

	mu sync.Mutex
	// nextWrite is the earliest time the next mutating request may leave.
	nextWrite time.Time
	// pausedUntil is when the last rate limit GitHub reported ends.
	pausedUntil time.Time
}

func newGate(clock poll.Clock, maxInFlight int, mutationInterval time.Duration) *gate {
	return &gate{clock: clock, slots: make(chan struct{}, max(maxInFlight, 1)), interval: mutationInterval}
}

// enter waits for the request's turn and a free slot; release frees the slot.
func (g *gate) enter(ctx context.Context, method string) (release func(), err error) {
	if err := g.waitTurn(ctx, method != http.MethodGet && method != http.MethodHead); err != nil {
		return nil, err
	}
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// waitTurn waits until the shared pause is over and, for a mutating
// request, until its paced turn, which it then takes. The pause may grow
// while a request waits, so the time is checked again after each wait.
func (g *gate) waitTurn(ctx context.Context, write bool) error {
	for {
		g.mu.Lock()
		now, paused := g.clock.Now(), g.pausedUntil
		at := paused
		if write && g.nextWrite.After(at) {
			at = g.nextWrite
		}
		if !at.After(now) {
			if write {
				g.nextWrite = now.Add(g.interval)
			}
			g.mu.Unlock()
			return nil
		}
		g.mu.Unlock()
		if !fitsPause(ctx, now, paused) {
			return &pausedError{until: paused}
		}
		if err := sleep(ctx, g.clock, at.Sub(now)); err != nil {
			return err
		}
	}
}

// fitsPause reports whether a request can wait until a pause ends: before
// its deadline, or within unboundedRateLimitWait for one without a deadline.
func fitsPause(ctx context.Context, now, paused time.Time) bool {
	if deadline, ok := ctx.Deadline(); ok {
		return !paused.After(deadline)
	}
	return paused.Sub(now) <= unboundedRateLimitWait
}

// pauseUntil holds every request until t (a later pause wins).
func (g *gate) pauseUntil(t time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t.After(g.pausedUntil) {
		g.pausedUntil = t
	}
}

// pausedError is a request that could not wait for the shared rate-limit
// pause to end within its operation's time.
type pausedError struct{ until time.Time }

func (e *pausedError) Error() string {
	return fmt.Sprintf("GitHub's rate limit holds every request until %s, after the operation's time runs out",
		e.until.UTC().Format(time.RFC3339))
}

// sleep waits d on clock, or returns ctx's error when it ends first.
func sleep(ctx context.Context, clock poll.Clock, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-clock.After(d):
		return nil
	}
}

// authTransport adds the token only to requests for the API's own host, so
// a redirect elsewhere never carries it. (go-github's WithAuthToken adds it
// to every request, redirects included.)
type authTransport struct {
	next  http.RoundTripper
	token string
	base  *url.URL
}

func (a authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if a.token == "" || !sameOrigin(req.URL, a.base) {
		return a.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+a.token)
	return a.next.RoundTrip(req)
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Host == b.Host
}

// errCrossOriginRedirect stops a redirect away from the API's origin.
var errCrossOriginRedirect = errors.New("GitHub redirected to another host; ghpkg does not follow redirects off the API host")

func refuseCrossOriginRedirect(base *url.URL) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if !sameOrigin(req.URL, base) {
			return errCrossOriginRedirect
		}
		if len(via) >= 5 {
			return fmt.Errorf("stopped after %d redirects", len(via))
		}
		return nil
	}
}
