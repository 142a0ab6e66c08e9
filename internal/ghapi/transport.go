package ghapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/time/rate"
)

// gate bounds the requests in flight and paces mutating ones, as GitHub
// asks of integrations (FACTS.md §8: requests mostly one at a time, about a
// second between POSTs), so a parallel apply cannot trip secondary limits.
type gate struct {
	next      http.RoundTripper
	slots     chan struct{}
	mutations *rate.Limiter
}

func newGate(next http.RoundTripper, maxInFlight int, mutationInterval time.Duration) *gate {
	if maxInFlight < 1 {
		maxInFlight = 1
	}
	limit := rate.Inf
	if mutationInterval > 0 {
		limit = rate.Every(mutationInterval)
	}
	return &gate{next: next, slots: make(chan struct{}, maxInFlight), mutations: rate.NewLimiter(limit, 1)}
}

func (g *gate) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		if err := g.mutations.Wait(ctx); err != nil {
			return nil, contextError(ctx, err)
		}
	}
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-g.slots }()
	return g.next.RoundTrip(req)
}

// contextError prefers the context's own error: rate.Limiter reports a wait
// longer than the deadline before the deadline passes.
func contextError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if _, ok := ctx.Deadline(); ok {
		return context.DeadlineExceeded
	}
	return err
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
