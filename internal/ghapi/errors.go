package ghapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
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
)

// Error is every failure the client returns for an API call. It carries what
// GitHub answered, never the request URL or headers, so it cannot leak a token.
type Error struct {
	Kind Kind
	// Op is the call that failed: "get", "restore" or "list".
	Op  string
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
	// Attempts is how many requests were sent for this call.
	Attempts int
	Err      error
}

func (e *Error) Error() string {
	status := "no response"
	if e.StatusCode != 0 {
		status = strconv.Itoa(e.StatusCode)
	}
	msg := fmt.Sprintf("%s %s: %s (%s)", e.Op, e.Ref, e.Kind, status)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// IsNotFound reports whether err is GitHub saying the package is not visible.
func IsNotFound(err error) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.Kind == KindNotFound
}

// classify turns what go-github returned into an *Error.
func classify(op string, ref PackageRef, resp *github.Response, err error) *Error {
	e := &Error{Op: op, Ref: ref, Err: err, Attempts: 1}
	if resp != nil && resp.Response != nil {
		e.StatusCode = resp.StatusCode
		e.Scopes, e.ScopesKnown = scopes(resp.Header)
	}

	var (
		rateErr  *github.RateLimitError
		abuseErr *github.AbuseRateLimitError
		respErr  *github.ErrorResponse
		urlErr   *url.Error
	)
	switch {
	case errors.As(err, &rateErr):
		e.Kind, e.Message, e.RateLimitReset = KindRateLimited, rateErr.Message, rateErr.Rate.Reset.Time
	case errors.As(err, &abuseErr):
		e.Kind, e.Message, e.SecondaryLimit = KindRateLimited, abuseErr.Message, true
		if abuseErr.RetryAfter != nil {
			e.RetryAfter = *abuseErr.RetryAfter
		}
	case errors.As(err, &respErr):
		e.Message = respErr.Message
		e.Kind = kindForStatus(e.StatusCode)
		if e.Kind == KindRateLimited { // a 429, which go-github v62 does not classify
			e.RetryAfter = retryAfter(resp.Header)
			e.SecondaryLimit = resp.Header.Get("X-RateLimit-Remaining") != "0"
			if !e.SecondaryLimit {
				e.RateLimitReset, _ = rateLimitReset(resp.Header)
			}
		}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		e.Kind, e.Message = KindNetwork, err.Error()
	case errors.As(err, &urlErr):
		// The URL may carry the restore token in its query: keep only the cause.
		e.Kind, e.Message, e.Err = KindNetwork, urlErr.Err.Error(), urlErr.Err
	default:
		e.Kind, e.Message = KindNetwork, err.Error()
	}
	return e
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

func retryAfter(h http.Header) time.Duration {
	seconds, err := strconv.Atoi(h.Get("Retry-After"))
	if err != nil || seconds < 0 {
		return 0
	}
	return time.Duration(seconds) * time.Second
}
