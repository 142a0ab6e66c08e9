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

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Retry settings. Waits for rate limits come from GitHub's headers; the
// others grow exponentially from RetryWaitMin with jitter.
const (
	DefaultMaxRetries    = 3
	defaultRetryWaitMin  = time.Second
	defaultRetryWaitMax  = 30 * time.Second
	secondaryLimitWait   = 60 * time.Second // GitHub's advice without Retry-After
	defaultRateLimitWait = 5 * time.Minute  // the longest wait of an operation without a timeout
	// maxRateLimitWait caps what a header can ask for, so a huge or
	// malicious Retry-After or X-RateLimit-Reset cannot overflow a duration.
	maxRateLimitWait = 24 * time.Hour
)

// callState follows one API call across its attempts; do puts it in the
// request's context so the retry hooks can reach it.
type callState struct {
	attempts int
	// ambiguous is set when the last attempt may have reached GitHub
	// without an answer (5xx, a reset): a POST may then have taken effect.
	ambiguous bool
	// wasAmbiguous stays set once any attempt was ambiguous.
	wasAmbiguous bool
	// wait is the pause CheckRetry chose before the next attempt.
	wait time.Duration
	// alreadyDone, set for POST restore, tells whether the restore took
	// effect; it is asked before retrying after an ambiguous failure.
	alreadyDone func(context.Context) (bool, error)
}

type callStateKey struct{}

func withCallState(ctx context.Context, st *callState) context.Context {
	return context.WithValue(ctx, callStateKey{}, st)
}

func callStateFrom(ctx context.Context) *callState {
	if st, ok := ctx.Value(callStateKey{}).(*callState); ok {
		return st
	}
	return &callState{}
}

// errAlreadyDone stops retrying a POST whose first attempt took effect.
var errAlreadyDone = errors.New("the request took effect although its answer was lost")

// errOutcomeUnknown stops retrying a POST whose answer was lost when the
// check of its effect failed too.
var errOutcomeUnknown = errors.New("the request's answer was lost and its effect could not be checked")

// retryPolicy decides whether and how long to wait before another attempt.
type retryPolicy struct {
	now     func() time.Time
	waitMin time.Duration
	waitMax time.Duration
}

func (p retryPolicy) client(inner *http.Client, maxRetries int) *retryablehttp.Client {
	rc := retryablehttp.NewClient()
	rc.HTTPClient = inner
	rc.Logger = nil // its logger prints URLs, and the restore URL holds a token
	rc.RetryMax = max(maxRetries, 0)
	rc.RetryWaitMin, rc.RetryWaitMax = p.waitMin, p.waitMax
	rc.CheckRetry = p.checkRetry
	rc.Backoff = func(_, _ time.Duration, _ int, resp *http.Response) time.Duration {
		if resp != nil && resp.Request != nil {
			return callStateFrom(resp.Request.Context()).wait
		}
		return p.waitMin
	}
	rc.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, retry int) {
		callStateFrom(req.Context()).attempts = retry + 1
		logAttempt(req, retry+1)
	}
	rc.PrepareRetry = verifyBeforeRetry
	rc.ErrorHandler = func(resp *http.Response, err error, _ int) (*http.Response, error) {
		if err != nil && resp != nil {
			_ = resp.Body.Close()
			return nil, redactError(err)
		}
		return resp, redactError(err) // the last answer, to classify
	}
	return rc
}

// checkRetry retries 5xx, transport failures and rate limits that will
// reset within the operation's time; never other 4xx.
func (p retryPolicy) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	err = redactError(err) // logged below: the URL may carry the restore token
	st := callStateFrom(ctx)
	attempt := st.attempts
	switch {
	case err != nil:
		if !transient(err) {
			return false, err
		}
		st.ambiguous, st.wasAmbiguous, st.wait = true, true, p.backoff(attempt)
		tflog.Warn(ctx, "GitHub API: no answer, retrying", map[string]any{"error": err.Error(), "attempt": attempt, "wait": st.wait.String()})
		return true, nil
	case resp.StatusCode == http.StatusInternalServerError, resp.StatusCode == http.StatusBadGateway,
		resp.StatusCode == http.StatusServiceUnavailable, resp.StatusCode == http.StatusGatewayTimeout:
		st.ambiguous, st.wasAmbiguous, st.wait = true, true, p.backoff(attempt)
		tflog.Warn(ctx, "GitHub API: server error, retrying", map[string]any{"status": resp.StatusCode, "attempt": attempt, "wait": st.wait.String()})
		return true, nil
	case rateLimited(resp):
		st.ambiguous, st.wait = false, p.rateLimitWait(resp, attempt)
		if !p.fits(ctx, st.wait) {
			tflog.Warn(ctx, "GitHub API: rate limited beyond the operation's time, giving up", map[string]any{"status": resp.StatusCode, "wait": st.wait.String()})
			return false, nil
		}
		tflog.Warn(ctx, "GitHub API: rate limited, waiting", map[string]any{"status": resp.StatusCode, "attempt": attempt, "wait": st.wait.String()})
		return true, nil
	}
	return false, nil
}

// transient tells failures worth another attempt (resets, timeouts) from
// those that will not change (bad certificates, refused redirects).
func transient(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalid),
		errors.Is(err, errCrossOriginRedirect), errors.Is(err, errBodyTooLarge):
		return false
	case strings.Contains(err.Error(), "tls: failed to verify certificate"):
		return false
	}
	return true
}

// backoff is exponential from waitMin with full jitter in its upper half.
func (p retryPolicy) backoff(attempt int) time.Duration {
	wait := p.waitMin << max(attempt-1, 0)
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

// rateLimitWait follows GitHub's advice: Retry-After; else the reset of
// an exhausted limit; else 60 s, doubling on each further secondary limit.
func (p retryPolicy) rateLimitWait(resp *http.Response, attempt int) time.Duration {
	if d, ok := retryAfter(resp.Header); ok {
		return d
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, ok := rateLimitReset(resp.Header); ok {
			// The reset second itself may still be limited.
			return min(max(reset.Sub(p.now()), 0), maxRateLimitWait) + time.Second
		}
	}
	return min(secondaryLimitWait<<min(max(attempt-1, 0), 10), maxRateLimitWait)
}

// fits reports whether waiting d leaves the operation time to retry.
func (p retryPolicy) fits(ctx context.Context, d time.Duration) bool {
	if deadline, ok := ctx.Deadline(); ok {
		return p.now().Add(d).Before(deadline)
	}
	return d <= defaultRateLimitWait
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

// verifyBeforeRetry asks, before a POST is sent again after an ambiguous
// failure, whether the first one took effect.
func verifyBeforeRetry(req *http.Request) error {
	st := callStateFrom(req.Context())
	if st.alreadyDone == nil || !st.ambiguous {
		return nil
	}
	done, err := st.alreadyDone(req.Context())
	switch {
	case err != nil:
		// Unknown: the restore may have taken effect. Sending it again could
		// make a second POST for one package; the caller polls instead.
		tflog.Warn(req.Context(), "GitHub API: cannot tell whether the restore took effect; not sending it again", map[string]any{"error": err.Error()})
		return errOutcomeUnknown
	case done:
		tflog.Info(req.Context(), "GitHub API: the restore took effect although its answer was lost; not sending it again")
		return errAlreadyDone
	}
	return nil // not done: sending the restore again is safe
}

// logAttempt logs each attempt at TRACE with secrets masked: the query goes
// through the same redaction as errors (the restore token is in it), and the
// Authorization header is only said to be there.
func logAttempt(req *http.Request, attempt int) {
	fields := map[string]any{"method": req.Method, "path": req.URL.EscapedPath(), "attempt": attempt}
	if req.URL.RawQuery != "" {
		redacted, _ := url.Parse(RedactURL(req.URL))
		fields["query"] = redacted.RawQuery
	}
	if req.Header.Get("Authorization") != "" {
		fields["authorization"] = "Bearer ***"
	}
	tflog.Trace(req.Context(), "GitHub API request", fields)
}
