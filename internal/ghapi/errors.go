package ghapi

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// Op is the operation a call performs.
type Op string

// The operations of the client.
const (
	OpGet            Op = "get"
	OpRestore        Op = "restore"
	OpList           Op = "list"
	OpGetVersion     Op = "get version"
	OpRestoreVersion Op = "restore version"
	OpListVersions   Op = "list versions"
	OpGetUser        Op = "get user"
)

// Kind says what went wrong in the terms a user can act on.
type Kind string

const (
	KindNotFound     Kind = "not found"
	KindUnauthorized Kind = "unauthorized"
	KindForbidden    Kind = "forbidden"
	KindRateLimited  Kind = "rate limited"
	KindServer       Kind = "server error"
	KindMalformed    Kind = "malformed response"
	KindNetwork      Kind = "network error"
	KindRejected     Kind = "request rejected" // any other 4xx
	// KindNotGitHub is a 404 from something other than GitHub's API (a web
	// page, a proxy): base_url is probably wrong, and nothing is deleted.
	KindNotGitHub Kind = "not a GitHub API answer"
)

// Error is every failure the client returns for an API call. It carries what
// GitHub answered, never the request URL or headers, so it cannot leak a token.
type Error struct {
	Kind Kind
	// Op is the call that failed.
	Op  Op
	Ref PackageRef
	// StatusCode is 0 when no response arrived.
	StatusCode int
	// Message is GitHub's own message, or a description of the failure.
	Message string
	// Scopes are the token's scopes from X-OAuth-Scopes; ScopesKnown is false
	// when GitHub did not send the header.
	Scopes      []string
	ScopesKnown bool
	// RateLimitReset is when an exhausted limit resets (zero when unknown);
	// SecondaryLimit tells a secondary (abuse) limit from the primary one.
	RateLimitReset time.Time
	RetryAfter     time.Duration
	SecondaryLimit bool
	// SSORequired is set when GitHub asks for the token to be authorised
	// for an organisation's SAML single sign-on (X-GitHub-SSO).
	SSORequired bool
	// Host is the API host the call went to.
	Host string
	// Attempts is how many requests were sent for this call.
	Attempts int
	// Page is the listing page the call fetched, 0 for other calls.
	Page int
	Err  error
	// afterAmbiguous is set when an earlier attempt of the call may have
	// reached GitHub without an answer (a 5xx, a reset, a timeout).
	afterAmbiguous bool
}

func (e *Error) Error() string {
	status := "no response"
	if e.StatusCode != 0 {
		status = strconv.Itoa(e.StatusCode)
	}
	what := fmt.Sprintf("%s %s", e.Op, e.Ref)
	if e.Page > 0 {
		what += fmt.Sprintf(" page %d", e.Page)
	}
	msg := fmt.Sprintf("%s: %s (%s)", what, e.Kind, status)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// onPage names the listing page an error of a page call happened on.
func onPage(err error, page int) error {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		apiErr.Page = page
	}
	return err
}

// IsNotFound reports whether err is GitHub saying the package is not visible.
func IsNotFound(err error) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.Kind == KindNotFound
}

// IsTransient reports whether err may pass if the call is tried again later:
// a server error, no or a malformed answer, or a rate limit.
func IsTransient(err error) bool {
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		return false
	}
	switch apiErr.Kind {
	case KindServer, KindNetwork, KindMalformed, KindRateLimited:
		return true
	}
	return false
}

// classify turns a failed call into an *Error: resp is the last answer
// (nil when none arrived), err what the HTTP stack or go-github's
// CheckResponse reported.
func classify(op Op, ref PackageRef, resp *http.Response, err error) *Error {
	err = redactError(err)
	e := &Error{Op: op, Ref: ref, Err: err, Attempts: 1}
	if resp == nil {
		classifyNoAnswer(e, err)
		return e
	}
	e.StatusCode = resp.StatusCode
	e.Scopes, e.ScopesKnown = scopes(resp.Header)
	e.SSORequired = resp.Header.Get("X-GitHub-SSO") != ""
	var (
		respErr  *github.ErrorResponse
		rateErr  *github.RateLimitError
		abuseErr *github.AbuseRateLimitError
	)
	switch {
	case errors.As(err, &respErr):
		e.Message = respErr.Message
	case errors.As(err, &rateErr):
		e.Message = rateErr.Message
	case errors.As(err, &abuseErr):
		e.Message = abuseErr.Message
	}
	e.Kind = kindForStatus(e.StatusCode)
	switch {
	case rateLimited(resp):
		e.Kind = KindRateLimited
		e.RateLimitReset, e.RetryAfter, e.SecondaryLimit = rateLimitInfo(resp.Header, time.Now())
	case e.Kind == KindNotFound && !isGitHubAnswer(resp, respErr):
		// A web server or proxy, not GitHub's API: the package may well
		// exist, so this must never read as "deleted".
		e.Kind = KindNotGitHub
		e.Message = fmt.Sprintf("a 404 that is not GitHub's API answer (content type %q)", resp.Header.Get("Content-Type"))
	}
	return e
}

// classifyNoAnswer fills e for a call that got no usable answer.
func classifyNoAnswer(e *Error, err error) {
	var (
		timeout  *AttemptTimeoutError
		notJSON  *NotJSONError
		cutShort *CutShortError
		urlErr   *url.Error
	)
	e.Kind, e.Message = KindNetwork, err.Error()
	switch {
	case errors.As(err, &notJSON):
		e.Kind, e.StatusCode, e.Message = KindMalformed, notJSON.Status, notJSON.Error()
	case errors.As(err, &timeout):
		e.Message = timeout.Error()
	case errors.As(err, &cutShort):
		e.StatusCode, e.Message = cutShort.Status, cutShort.Error()
	case errors.Is(err, context.DeadlineExceeded):
		e.Message = "the operation's time ran out"
	case errors.Is(err, context.Canceled):
		e.Message = "the operation was cancelled"
	case errors.As(err, &urlErr):
		e.Message = urlErr.Err.Error() // the cause; the URL is in the logs
	}
}

// isGitHubAnswer tells GitHub's API 404 (JSON with a message, or GitHub's
// own headers) from a 404 page of a web server or proxy.
func isGitHubAnswer(resp *http.Response, respErr *github.ErrorResponse) bool {
	if resp.Header.Get("X-GitHub-Request-Id") != "" || resp.Header.Get("X-GitHub-Media-Type") != "" {
		return true
	}
	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return mediaType == "application/json" && respErr != nil && respErr.Message != ""
}

// rateLimitInfo reads when a limit resets, from Retry-After (secondary
// limits) or X-RateLimit-Reset (an exhausted primary limit), both capped.
func rateLimitInfo(h http.Header, now time.Time) (reset time.Time, wait time.Duration, secondary bool) {
	if h.Get("X-RateLimit-Remaining") == "0" {
		if reset, ok := rateLimitReset(h); ok {
			return reset, 0, false
		}
	}
	if d, ok := retryAfter(h); ok {
		return now.Add(d).Truncate(time.Second), d, true
	}
	return time.Time{}, 0, true
}

func kindForStatus(status int) Kind {
	switch {
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusUnauthorized:
		return KindUnauthorized
	case status == http.StatusForbidden:
		return KindForbidden
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status >= 500:
		return KindServer
	default:
		return KindRejected
	}
}

// scopes reads X-OAuth-Scopes ("read:packages, repo").
func scopes(h http.Header) ([]string, bool) {
	values, ok := h[http.CanonicalHeaderKey("X-OAuth-Scopes")]
	if !ok {
		return nil, false
	}
	var out []string
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out, true
}
