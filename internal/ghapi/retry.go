package ghapi

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/poll"
)

// Retry settings. Waits for rate limits come from GitHub's headers; the
// others grow exponentially from RetryWaitMin with jitter.
const (
	DefaultMaxRetries   = 3
	defaultRetryWaitMin = time.Second
	defaultRetryWaitMax = 30 * time.Second
	secondaryLimitWait  = 60 * time.Second // GitHub's advice without Retry-After
	// unboundedRateLimitWait is the most an operation without a timeout of
	// its own (a Read) waits for rate limits in all.
	unboundedRateLimitWait = 5 * time.Minute
	// maxRateLimitWait caps what a header can ask for, so a huge or
	// malicious Retry-After or X-RateLimit-Reset cannot overflow a duration.
	maxRateLimitWait = 24 * time.Hour
)

// attempts is what the retry loop knows of one call so far.
type attempts struct {
	// sent counts the requests sent.
	sent int
	// retried counts the retries of transient failures: max_retries bounds
	// them. Rate-limit waits are not retries; the operation's time bounds
	// them.
	retried int
	// limited counts the rate limits met, rateWaited the time they asked for.
	limited    int
	rateWaited time.Duration
	// ambiguous is set when the last attempt may have reached GitHub
	// without an answer (a 5xx, a reset): a POST may have taken effect.
	ambiguous bool
	// wasAmbiguous stays set once any attempt was ambiguous.
	wasAmbiguous bool
}

// verdict is what the loop does after an attempt.
type verdict int

const (
	stop        verdict = iota // a success, or an answer that will not change
	retry                      // a transient failure: back off, then try again
	waitForRate                // a rate limit: wait as GitHub says, then try again
)

// retryPolicy holds the settings of the retry loop.
type retryPolicy struct {
	clock      poll.Clock
	maxRetries int
	waitMin    time.Duration
	waitMax    time.Duration
}

// errAlreadyDone stops retrying a POST whose first attempt took effect.
var errAlreadyDone = errors.New("the request took effect although its answer was lost")

// errOutcomeUnknown stops retrying a POST whose answer was lost when the
// check of its effect failed too.
var errOutcomeUnknown = errors.New("the request's answer was lost and its effect could not be checked")

// send runs the attempts of one call. After each one it decides, here and
// nowhere else, whether to stop, back off and retry (transient failures,
// at most max_retries times), or wait out a rate limit (as long as the
// operation's time allows; every request of the client waits with it).
// Before a POST is sent again after an ambiguous failure, its alreadyDone
// check decides whether it took effect.
func (c *Client) send(ctx context.Context, req *http.Request, cl call) (*http.Response, *attempts, error) {
	run := &attempts{}
	for {
		resp, err := c.attempt(ctx, req, run)
		var wait time.Duration
		switch judge(ctx, resp, err) {
		case stop:
			return resp, run, err
		case retry:
			if run.retried >= c.policy.maxRetries {
				return resp, run, err
			}
			run.retried++
			run.ambiguous, run.wasAmbiguous = true, true
			wait = c.policy.backoff(run.retried)
			logRetry(ctx, resp, err, run, wait)
		case waitForRate:
			d, ok := c.policy.rateLimitWait(ctx, resp, run)
			// Every request of the client waits, whether or not this call
			// has the time to: GitHub asks integrations to stop while limited.
			c.gate.pauseUntil(c.policy.clock.Now().Add(d))
			if !ok {
				tflog.Warn(ctx, "GitHub API: rate limited beyond the operation's time, giving up",
					map[string]any{"status": resp.StatusCode, "wait": d.String(), "package": cl.ref.String()})
				return resp, run, err
			}
			run.ambiguous, run.limited, run.rateWaited = false, run.limited+1, run.rateWaited+d
			c.logRateLimit(ctx, resp, cl, d) // the gate holds the next attempt until the pause ends
		}
		drain(resp)
		if err := sleep(ctx, c.policy.clock, wait); err != nil {
			return nil, run, err
		}
		if run.ambiguous && cl.alreadyDone != nil {
			if err := verifyBeforeRetry(ctx, cl.alreadyDone); err != nil {
				return nil, run, err
			}
		}
	}
}

// attempt sends one request once its turn at the gate has come.
func (c *Client) attempt(ctx context.Context, req *http.Request, run *attempts) (*http.Response, error) {
	release, err := c.gate.enter(ctx, req.Method)
	if err != nil {
		return nil, err
	}
	defer release()
	run.sent++
	logAttempt(ctx, req, run.sent)
	resp, err := c.http.Do(req.Clone(ctx))
	if err != nil && resp != nil { // a refused redirect: its answer is not the call's
		drain(resp)
		resp = nil
	}
	return resp, redactError(err)
}

// judge sorts an attempt's outcome: transient failures (no answer, a 5xx,
// a body that is not what GitHub sends) are retried, rate limits waited
// out, anything else returned as it is.
func judge(ctx context.Context, resp *http.Response, err error) verdict {
	switch {
	case ctx.Err() != nil:
		return stop
	case err != nil:
		if transient(err) {
			return retry
		}
		return stop
	case resp.StatusCode == http.StatusInternalServerError, resp.StatusCode == http.StatusBadGateway,
		resp.StatusCode == http.StatusServiceUnavailable, resp.StatusCode == http.StatusGatewayTimeout:
		return retry
	case rateLimited(resp):
		return waitForRate
	}
	return stop
}

// transient tells failures worth another attempt (resets, timeouts) from
// those that will not change (bad certificates, refused redirects, a rate
// limit that outlasts the operation).
func transient(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var paused *pausedError
	switch {
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalid),
		errors.Is(err, errCrossOriginRedirect), errors.Is(err, errBodyTooLarge), errors.As(err, &paused):
		return false
	case strings.Contains(err.Error(), "tls: failed to verify certificate"):
		return false
	}
	return true
}

// backoff is exponential from waitMin, doubling with each retry up to
// waitMax, with full jitter in its upper half.
func (p retryPolicy) backoff(retry int) time.Duration {
	wait := p.waitMin << min(max(retry-1, 0), 30)
	if wait <= 0 || wait > p.waitMax {
		wait = p.waitMax
	}
	return wait/2 + rand.N(wait/2+1)
}

// rateLimited recognises both limits: a primary one (remaining 0) and a
// secondary one (429, Retry-After, or GitHub's message), on 403 or 429.
func rateLimited(resp *http.Response) bool {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return false
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.Header.Get("X-RateLimit-Remaining") == "0" ||
		resp.Header.Get("Retry-After") != "" {
		return true
	}
	return strings.Contains(strings.ToLower(string(peekBody(resp))), "secondary rate limit")
}

// rateLimitWait is how long GitHub asks to wait, and whether the operation
// has the time: within its deadline, or within unboundedRateLimitWait in
// all for an operation without one.
func (p retryPolicy) rateLimitWait(ctx context.Context, resp *http.Response, run *attempts) (time.Duration, bool) {
	d := p.limitWait(resp, run.limited+1)
	if deadline, ok := ctx.Deadline(); ok {
		return d, p.clock.Now().Add(d).Before(deadline)
	}
	return d, run.rateWaited+d <= unboundedRateLimitWait
}

// limitWait follows GitHub's advice: Retry-After; else the reset of an
// exhausted limit; else 60 s, doubling with each further limit of the call.
func (p retryPolicy) limitWait(resp *http.Response, nth int) time.Duration {
	if d, ok := retryAfter(resp.Header); ok {
		return d
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, ok := rateLimitReset(resp.Header); ok {
			// The reset second itself may still be limited.
			return min(max(reset.Sub(p.clock.Now()), 0), maxRateLimitWait) + time.Second
		}
	}
	return min(secondaryLimitWait<<min(max(nth-1, 0), 10), maxRateLimitWait)
}

// rateLimitReset reads X-RateLimit-Reset (epoch seconds), clamped to the
// end of year 9999 so that no later arithmetic overflows.
func rateLimitReset(h http.Header) (time.Time, bool) {
	const endOf9999 = 253402300799
	epoch, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64)
	if err != nil || epoch <= 0 {
		return time.Time{}, false
	}
	return time.Unix(min(epoch, endOf9999), 0), true
}

// retryAfter reads Retry-After in seconds, capped at maxRateLimitWait.
func retryAfter(h http.Header) (time.Duration, bool) {
	seconds, err := strconv.ParseInt(strings.TrimSpace(h.Get("Retry-After")), 10, 64)
	if err != nil || seconds < 0 {
		return 0, false
	}
	if seconds > int64(maxRateLimitWait/time.Second) {
		return maxRateLimitWait, true
	}
	return time.Duration(seconds) * time.Second, true
}

// peekBody reads the start of a body and puts it back for go-github.
func peekBody(resp *http.Response) []byte {
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	return head
}

// drain closes an answer the loop will not return.
func drain(resp *http.Response) {
	if resp != nil {
		_ = resp.Body.Close()
	}
}

// verifyBeforeRetry asks, before a POST is sent again after an ambiguous
// failure, whether the first one took effect: nil means not, and sending it
// again is safe.
func verifyBeforeRetry(ctx context.Context, alreadyDone func(context.Context) (bool, error)) error {
	done, err := alreadyDone(ctx)
	switch {
	case err != nil:
		// Unknown: the restore may have taken effect. Sending it again could
		// make a second POST for one package; the caller polls instead.
		tflog.Warn(ctx, "GitHub API: cannot tell whether the restore took effect; not sending it again", map[string]any{"error": err.Error()})
		return errOutcomeUnknown
	case done:
		tflog.Info(ctx, "GitHub API: the restore took effect although its answer was lost; not sending it again")
		return errAlreadyDone
	}
	return nil
}

// logRetry logs a retry that will happen, with the wait really taken.
func logRetry(ctx context.Context, resp *http.Response, err error, run *attempts, wait time.Duration) {
	fields := map[string]any{"attempt": run.sent, "retry": run.retried, "wait": wait.String()}
	if resp != nil {
		fields["status"] = resp.StatusCode
		tflog.Warn(ctx, "GitHub API: server error, retrying", fields)
		return
	}
	fields["error"] = err.Error()
	tflog.Warn(ctx, "GitHub API: no answer, retrying", fields)
}

// logRateLimit reports a rate-limit wait at INFO: during a mass restore it
// is the progress a user watches.
func (c *Client) logRateLimit(ctx context.Context, resp *http.Response, cl call, wait time.Duration) {
	limit := "secondary"
	if resp.Header.Get("X-RateLimit-Remaining") == "0" && resp.Header.Get("Retry-After") == "" {
		limit = "primary"
	}
	tflog.Info(ctx, "GitHub API: rate limited; every request of this provider waits", map[string]any{
		"limit": limit, "status": resp.StatusCode, "wait": wait.String(), "package": cl.ref.String(),
		"resumes_at": c.policy.clock.Now().Add(wait).UTC().Format(time.RFC3339), "restores_done": c.restores.Load(),
	})
}

// logAttempt logs each attempt at TRACE with secrets masked: the query goes
// through the same redaction as errors (the restore token is in it), and no
// header is logged.
func logAttempt(ctx context.Context, req *http.Request, attempt int) {
	fields := map[string]any{"method": req.Method, "path": req.URL.EscapedPath(), "attempt": attempt}
	if req.URL.RawQuery != "" {
		redacted, _ := url.Parse(RedactURL(req.URL))
		fields["query"] = redacted.RawQuery
	}
	tflog.Trace(ctx, "GitHub API request", fields)
}
