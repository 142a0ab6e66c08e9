// Package ghapi is ghpkg's GitHub client for user packages: it builds escaped
// paths, authenticates, and classifies failures. It knows nothing of Terraform.
package ghapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// DefaultBaseURL is GitHub.com's REST API.
const DefaultBaseURL = "https://api.github.com/"

// maxBodyBytes bounds what the client reads of a response: a package is a
// few KiB and a page of 100 packages well under 1 MiB.
const maxBodyBytes = 8 << 20

// Config is everything the client needs; zero values select GitHub.com,
// no retries and no pacing.
type Config struct {
	Token     string
	BaseURL   string
	UserAgent string
	// Transport sends the requests; nil is a clone of http.DefaultTransport.
	// TLS verification is never turned off here.
	Transport http.RoundTripper
	// MaxRetries is how many times a transient failure is retried.
	MaxRetries int
	// MaxInFlight bounds concurrent requests (0: DefaultMaxInFlight).
	MaxInFlight int
	// MutationInterval is the pause between mutating requests.
	MutationInterval time.Duration
	// RetryWaitMin and RetryWaitMax bound the backoff of 5xx and network
	// retries (0: 1 s and 30 s). Rate-limit waits follow GitHub's headers.
	RetryWaitMin, RetryWaitMax time.Duration
}

// DefaultMaxInFlight keeps well under GitHub's 100 concurrent requests while
// letting Terraform's default parallelism (10) run unhindered.
const DefaultMaxInFlight = 10

// DefaultMutationInterval is GitHub's advice for POST, PATCH, PUT, DELETE.
const DefaultMutationInterval = time.Second

// Client calls GitHub's user-package endpoints. It is safe for concurrent use.
type Client struct {
	gh *github.Client
}

// New builds a client. It sends no request.
func New(cfg Config) (*Client, error) {
	base, err := ResolveBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	gh := github.NewClient(newHTTPClient(cfg, base))
	gh.BaseURL = base
	if cfg.UserAgent != "" {
		gh.UserAgent = cfg.UserAgent
	}
	return &Client{gh: gh}, nil
}

// newHTTPClient stacks, from the outside in: retries (go-retryablehttp with
// a GitHub-aware policy), redirects kept on the API host, the token for the
// API host only, the in-flight bound and pacing, and the body size limit.
func newHTTPClient(cfg Config, base *url.URL) *http.Client {
	transport := cfg.Transport
	if transport == nil {
		transport = newTransport()
	}
	if cfg.MaxInFlight == 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	policy := retryPolicy{now: time.Now, waitMin: cfg.RetryWaitMin, waitMax: cfg.RetryWaitMax}
	if policy.waitMin <= 0 {
		policy.waitMin = defaultRetryWaitMin
	}
	if policy.waitMax <= 0 {
		policy.waitMax = defaultRetryWaitMax
	}
	inner := &http.Client{
		Transport:     authTransport{next: newGate(limitBodies{transport}, cfg.MaxInFlight, cfg.MutationInterval), token: cfg.Token, base: base},
		CheckRedirect: refuseCrossOriginRedirect(base),
	}
	return policy.client(inner, cfg.MaxRetries).StandardClient()
}

// newTransport is the standard transport's configuration, not shared with
// other users of http.DefaultTransport.
func newTransport() http.RoundTripper {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return http.DefaultTransport
}

// ResolveBaseURL applies the base_url rules: empty means GitHub.com; any other
// host is GitHub Enterprise Server and gets api/v3/; plain http is accepted
// only for loopback hosts, so a token never crosses a network in clear text.
func ResolveBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("base_url %q is not a URL: %w", raw, err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("base_url %q has no host; use a URL such as https://ghe.example.com", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base_url %q must not carry credentials, a query or a fragment", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("base_url %q uses plain http, which is accepted only for loopback hosts; use https", raw)
		}
	default:
		return nil, fmt.Errorf("base_url %q must use https", raw)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	if u.Host != "api.github.com" && !strings.HasSuffix(u.Path, "/api/v3/") {
		u.Path += "api/v3/"
	}
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// call is one API call: the request and where its answer goes.
type call struct {
	op     string
	ref    PackageRef
	method string
	path   string
	query  url.Values
	out    any // decoded from JSON when non-nil
	// alreadyDone, for a POST, checks whether it took effect before it is
	// sent again after an ambiguous failure.
	alreadyDone func(context.Context) (bool, error)
}

// do sends a call and decodes its answer, classifying every failure.
func (c *Client) do(ctx context.Context, cl call) (*github.Response, error) {
	target := cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	req, err := c.gh.NewRequest(cl.method, target, nil)
	if err != nil {
		return nil, &Error{Kind: KindRejected, Op: cl.op, Ref: cl.ref, Message: "cannot build request", Err: err}
	}
	state := &callState{alreadyDone: cl.alreadyDone}
	start := time.Now()
	resp, err := c.gh.BareDo(withCallState(ctx, state), req)
	logCall(ctx, cl, resp, start, state.attempts)
	if errors.Is(err, errAlreadyDone) {
		return nil, nil
	}
	if cl.alreadyDone != nil && state.wasAmbiguous && resp != nil && resp.StatusCode == http.StatusNotFound {
		// An earlier attempt may have restored the package before GitHub
		// showed it; the caller waits for it to become visible.
		tflog.Info(ctx, "GitHub API: restore retried after an ambiguous failure answered 404; checking visibility", map[string]any{"package": cl.ref.String()})
		return nil, nil
	}
	if err != nil {
		e := classify(cl.op, cl.ref, resp, err)
		e.Attempts = max(state.attempts, 1)
		return resp, e
	}
	defer func() { _ = resp.Body.Close() }()
	if cl.out == nil {
		return resp, nil
	}
	if err := decode(resp.Response, cl.out); err != nil {
		e := classify(cl.op, cl.ref, resp, err)
		e.Kind, e.Message = KindMalformed, err.Error()
		return resp, e
	}
	return resp, nil
}

// decode reads a JSON body, refusing anything that is not JSON.
func decode(resp *http.Response, out any) error {
	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mediaType != "application/json" {
		return fmt.Errorf("expected a JSON body, got content type %q", resp.Header.Get("Content-Type"))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return fmt.Errorf("reading the body: %w", err)
	}
	if len(body) > maxBodyBytes {
		return fmt.Errorf("body larger than %d bytes", maxBodyBytes)
	}
	if len(body) == 0 {
		return fmt.Errorf("empty body")
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	return nil
}

// logCall logs the method, path and status; never the query (it may hold the
// restore token) nor any header.
func logCall(ctx context.Context, cl call, resp *github.Response, start time.Time, attempts int) {
	fields := map[string]any{
		"method":      cl.method,
		"path":        cl.path,
		"package":     cl.ref.String(),
		"duration_ms": time.Since(start).Milliseconds(),
		"attempts":    attempts,
	}
	if resp != nil && resp.Response != nil {
		fields["status"] = resp.StatusCode
		if resp.Rate.Limit > 0 {
			fields["rate_limit_remaining"] = resp.Rate.Remaining
		}
	}
	tflog.Debug(ctx, "GitHub API call", fields)
}
