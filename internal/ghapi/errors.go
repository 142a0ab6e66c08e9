package ghapi

import (
	"context"
	"encoding/json"
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
// GitHub answered, redacted of the tokens, and never a request, a response
// or a header, so it cannot leak a token.
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
	// Err is the failure beneath, as redacted text only (see classify):
	// nil for an error status, whose status and message are above.
	Err error
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

// Status is the answer's status as messages name it ("403 Forbidden"); ""
// when no answer arrived.
func (e *Error) Status() string {
	if e.StatusCode == 0 {
		return ""
	}
	return fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
}

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
// (nil when none arrived), err what the HTTP stack, go-github's
// CheckResponse or the JSON decoder reported, and secrets the tokens the
// call carried. Server-supplied text is redacted of the secrets here, the
// one place every *Error of an answer is built, and err is replaced by a
// plain cause: go-github's errors hold the request (the restore URL with
// its token, the Authorization header) and the response.
func classify(op Op, ref PackageRef, resp *http.Response, err error, secrets []string) *Error {
	err = redactError(err)
	e := &Error{Op: op, Ref: ref, Attempts: 1}
	switch {
	case resp == nil:
		classifyNoAnswer(e, err)
	case resp.StatusCode/100 == 2: // only decoding fails a 2xx
		e.Kind, e.StatusCode, e.Message = KindMalformed, resp.StatusCode, "unexpected JSON: "+err.Error()
	default:
		classifyAnswer(e, resp, err)
	}
	e.redact(secretReplacer(secrets), err)
	return e
}

// classifyAnswer fills e for an error status.
func classifyAnswer(e *Error, resp *http.Response, err error) {
	e.StatusCode = resp.StatusCode
	e.Scopes, e.ScopesKnown = scopes(resp.Header)
	e.SSORequired = resp.Header.Get("X-GitHub-SSO") != ""
	e.Message, _ = gitHubMessage(err)
	e.Kind = kindForStatus(e.StatusCode)
	switch {
	case rateLimited(resp):
		e.Kind = KindRateLimited
		e.RateLimitReset, e.RetryAfter, e.SecondaryLimit = rateLimitInfo(resp.Header, time.Now())
	case e.Kind == KindNotFound:
		if reason := notGitHubReason(resp); reason != "" {
			// A web server or proxy, not GitHub's API: the package may well
			// exist, so this must never read as "deleted".
			e.Kind, e.Message = KindNotGitHub, reason
		}
	}
}

// gitHubMessage is the message of go-github's error for an answer; ok is
// false when err is not one.
func gitHubMessage(err error) (msg string, ok bool) {
	var (
		respErr  *github.ErrorResponse
		rateErr  *github.RateLimitError
		abuseErr *github.AbuseRateLimitError
	)
	switch {
	case errors.As(err, &respErr):
		return respErr.Message, true
	case errors.As(err, &rateErr):
		return rateErr.Message, true
	case errors.As(err, &abuseErr):
		return abuseErr.Message, true
	}
	return "", false
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

// gitHubDocsHost is where the documentation_url of GitHub's error bodies
// (basic-error in GitHub's REST API description) points, on github.com
// (https://docs.github.com/rest/...) and GHES
// (https://docs.github.com/enterprise-server@3.x/rest/...) alike.
const gitHubDocsHost = "docs.github.com"

// basicError is GitHub's error body.
type basicError struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url"`
}

// notGitHubReason says why a 404 is not GitHub's API answer, or "" when it
// is: JSON with X-GitHub-Request-Id or a documentation_url on GitHub's docs
// host. A gateway's JSON (Kong, AWS API Gateway) has neither mark, and
// GitHub Pages' HTML 404s carry the header but are not JSON.
func notGitHubReason(resp *http.Response) string {
	contentType := resp.Header.Get("Content-Type")
	mediaType, _, _ := mime.ParseMediaType(contentType)
	var body *basicError
	if mediaType != "application/json" || json.Unmarshal(peekBody(resp), &body) != nil || body == nil {
		return fmt.Sprintf("a body of type %q that is not GitHub's JSON", contentType)
	}
	if resp.Header.Get("X-GitHub-Request-Id") != "" || onDocsHost(body.DocumentationURL) {
		return ""
	}
	reason := "JSON without X-GitHub-Request-Id or a documentation_url on " + gitHubDocsHost
	if body.Message != "" {
		reason += fmt.Sprintf(", message %q", body.Message)
	}
	return reason
}

// onDocsHost reports whether raw is a page of GitHub's documentation.
func onDocsHost(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "https" && strings.EqualFold(u.Host, gitHubDocsHost)
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
