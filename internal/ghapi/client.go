// Package ghapi is ghpkg's GitHub client for packages: it builds escaped
// paths, authenticates, retries, and classifies failures. It knows nothing
// of Terraform.
package ghapi

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/poll"
)

// DefaultBaseURL is GitHub.com's REST API.
const DefaultBaseURL = "https://api.github.com/"

// Config is everything the client needs; zero values select GitHub.com,
// no retries and no pacing.
type Config struct {
	Token     string
	BaseURL   string
	UserAgent string
	// Transport sends the requests; nil is a clone of http.DefaultTransport.
	// TLS verification is never turned off here.
	Transport http.RoundTripper
	// MaxRetries is how many times a transient failure is retried. Rate
	// limits are waited out as long as the operation's time allows, apart
	// from this count.
	MaxRetries int
	// MaxInFlight bounds concurrent requests (0: DefaultMaxInFlight).
	MaxInFlight int
	// MutationInterval is the pause between mutating requests.
	MutationInterval time.Duration
	// RetryWaitMin and RetryWaitMax bound the backoff of 5xx and network
	// retries (0: 1 s and 30 s). Rate-limit waits follow GitHub's headers.
	RetryWaitMin, RetryWaitMax time.Duration
	// RequestTimeout bounds each HTTP attempt, body included
	// (0: DefaultRequestTimeout).
	RequestTimeout time.Duration
	// Clock times the waits between attempts, the pacing and rate-limit
	// pauses (nil: the wall clock); tests pass one that does not sleep.
	Clock poll.Clock
}

// DefaultMaxInFlight keeps well under GitHub's 100 concurrent requests while
// letting Terraform's default parallelism (10) run unhindered.
const DefaultMaxInFlight = 10

// DefaultMutationInterval is GitHub's advice for POST, PATCH, PUT, DELETE.
const DefaultMutationInterval = time.Second

// Client calls GitHub's package endpoints. It is safe for concurrent use.
type Client struct {
	// gh builds requests (base URL, headers); the client's own loop sends
	// them (send). go-github's BareDo is not used: it fails a call locally
	// while a past answer said the rate limit is exhausted, where ghpkg
	// waits for the reset instead.
	gh *github.Client
	// http sends one attempt: redirects kept on the API host, the token for
	// the API host only, the attempt's time bound.
	http   *http.Client
	gate   *gate
	policy retryPolicy
	token  string
	login  login
	// restores counts the restores GitHub accepted, for progress logs.
	restores atomic.Int64
}

// New builds a client. It sends no request.
func New(cfg Config) (*Client, error) {
	base, err := ResolveBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	gh := github.NewClient(nil)
	gh.BaseURL = base
	if cfg.UserAgent != "" {
		gh.UserAgent = cfg.UserAgent
	}
	clock := cfg.Clock
	if clock == nil {
		clock = poll.RealClock{}
	}
	if cfg.MaxInFlight == 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	return &Client{
		gh:    gh,
		http:  newHTTPClient(cfg, base),
		gate:  newGate(clock, cfg.MaxInFlight, cfg.MutationInterval),
		token: cfg.Token,
		policy: retryPolicy{clock: clock, maxRetries: max(cfg.MaxRetries, 0),
			waitMin: cmp.Or(cfg.RetryWaitMin, defaultRetryWaitMin), waitMax: cmp.Or(cfg.RetryWaitMax, defaultRetryWaitMax)},
	}, nil
}

// newHTTPClient sends one attempt. From the outside in: redirects kept on
// the API host, the token for the API host only, and the time bound of the
// attempt, which also reads the body whole.
func newHTTPClient(cfg Config, base *url.URL) *http.Client {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	transport := cfg.Transport
	if transport == nil {
		transport = newTransport(cfg.RequestTimeout)
	}
	return &http.Client{
		Transport:     authTransport{next: attempt{next: transport, timeout: cfg.RequestTimeout}, token: cfg.Token, base: base},
		CheckRedirect: refuseCrossOriginRedirect(base),
	}
}

// newTransport is the standard transport's configuration, not shared with
// other users of http.DefaultTransport.
// Connecting and the TLS handshake get their own, shorter bounds so that an
// unreachable host fails fast; the attempt's bound (see attempt) covers the
// rest, headers and body.
func newTransport(requestTimeout time.Duration) http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t = t.Clone()
	connect := min(10*time.Second, requestTimeout)
	t.DialContext = (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = connect
	return t
}

// call is one API call: the request and where its answer goes.
type call struct {
	op     Op
	ref    PackageRef
	method string
	path   string
	query  url.Values
	out    any // decoded from JSON when non-nil
	// alreadyDone, for a POST, checks whether it took effect before it is
	// sent again after an ambiguous failure.
	alreadyDone func(context.Context) (bool, error)
}

// errUnconfirmed is returned, without an *Error, for a POST whose answer was
// lost and whose effect could not be checked: the caller must find out.
var errUnconfirmed = errors.New("the answer was lost and the effect could not be checked")

// do sends a call and decodes its answer, classifying every failure. It
// returns the answer's headers for pagination.
func (c *Client) do(ctx context.Context, cl call) (http.Header, error) {
	ctx = maskSecrets(ctx, c.token, cl.query.Get("token"))
	target := cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	req, err := c.gh.NewRequest(cl.method, target, nil)
	if err != nil {
		return nil, &Error{Kind: KindRejected, Op: cl.op, Ref: cl.ref, Message: "cannot build request", Err: redactError(err)}
	}
	start := c.policy.clock.Now()
	resp, run, err := c.send(ctx, req, cl)
	logCall(ctx, cl, resp, c.policy.clock.Now().Sub(start), run.sent)
	switch {
	case errors.Is(err, errAlreadyDone):
		return nil, nil
	case errors.Is(err, errOutcomeUnknown):
		return nil, errUnconfirmed
	case err == nil:
		defer func() { _ = resp.Body.Close() }()
		err = github.CheckResponse(resp)
	}
	if err != nil {
		return nil, c.failure(cl, resp, err, run)
	}
	if cl.out != nil {
		if err := json.NewDecoder(resp.Body).Decode(cl.out); err != nil {
			return nil, c.failure(cl, resp, err, run) // JSON, as the attempt checked, but not of this shape
		}
	}
	return resp.Header, nil
}

// failure classifies a failed call, with what the loop knows of its attempts.
func (c *Client) failure(cl call, resp *http.Response, err error, run *attempts) *Error {
	var paused *pausedError
	e := classify(cl.op, cl.ref, resp, err, []string{c.token, cl.query.Get("token")})
	if errors.As(err, &paused) {
		e.Kind, e.SecondaryLimit, e.RateLimitReset = KindRateLimited, true, paused.until
	}
	e.Attempts, e.Host, e.afterAmbiguous = max(run.sent, 1), c.gh.BaseURL.Host, run.wasAmbiguous
	return e
}

// maskSecrets makes tflog replace the tokens in every message and field
// logged with ctx, a second guard behind the redaction of URLs.
func maskSecrets(ctx context.Context, secrets ...string) context.Context {
	forms := secretForms(secrets)
	if len(forms) == 0 {
		return ctx
	}
	return tflog.MaskLogStrings(ctx, forms...)
}

// logCall logs the method, path and status; never the query (it may hold the
// restore token) nor any header.
func logCall(ctx context.Context, cl call, resp *http.Response, took time.Duration, attempts int) {
	fields := map[string]any{
		"method":      cl.method,
		"path":        cl.path,
		"package":     cl.ref.String(),
		"duration_ms": took.Milliseconds(),
		"attempts":    attempts,
	}
	if resp != nil {
		fields["status"] = resp.StatusCode
		if remaining := resp.Header.Get("X-RateLimit-Remaining"); remaining != "" {
			fields["rate_limit_remaining"] = remaining
		}
	}
	tflog.Debug(ctx, "GitHub API call", fields)
}
