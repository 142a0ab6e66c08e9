package ghapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode"
)

// maxBodyBytes bounds what the client reads of a response: a package is a
// few KiB and a page of 100 packages well under 1 MiB.
const maxBodyBytes = 8 << 20

// DefaultRequestTimeout bounds one HTTP attempt, from dialing to the last
// byte of the body. With the default retries, a server that never answers
// ends an operation in about two minutes.
const DefaultRequestTimeout = 30 * time.Second

// attempt is the innermost layer: it bounds one HTTP attempt in time and
// reads the whole body inside that bound, so a server that never answers,
// trickles its body, cuts it short or answers a 2xx with something that is
// not JSON fails here, inside the retry loop, where the failure is retried.
type attempt struct {
	next    http.RoundTripper
	timeout time.Duration
}

func (a attempt) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := req.Context(), context.CancelFunc(func() {})
	if a.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, a.timeout)
	}
	defer cancel()
	resp, err := a.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		return nil, a.explain(ctx, req, err)
	}
	body, err := readBody(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		if errors.Is(err, errBodyTooLarge) {
			return nil, err
		}
		return nil, a.explain(ctx, req, &CutShortError{Status: resp.StatusCode, Received: len(body), Err: err})
	}
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	if resp.StatusCode/100 == 2 && resp.StatusCode != http.StatusNoContent && !isJSON(resp.Header, body) {
		return nil, &NotJSONError{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Size: len(body), Start: printableStart(body, requestSecrets(req))}
	}
	return resp, nil
}

// explain names a timeout of this attempt as such; a caller's own deadline
// or cancellation passes through unchanged.
func (a attempt) explain(ctx context.Context, req *http.Request, err error) error {
	// net/http's own timeouts also match context.DeadlineExceeded.
	timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded)
	if req.Context().Err() == nil && timedOut {
		return &AttemptTimeoutError{Host: req.URL.Host, Timeout: a.timeout}
	}
	return err
}

var errBodyTooLarge = fmt.Errorf("response body larger than %d bytes", maxBodyBytes)

func readBody(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxBodyBytes+1))
	if err == nil && len(body) > maxBodyBytes {
		return nil, errBodyTooLarge
	}
	return body, err
}

func isJSON(h http.Header, body []byte) bool {
	mediaType, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mediaType == "application/json" && json.Valid(body)
}

// printableStart is the first characters of a body, for a message that says
// what arrived instead of JSON (an HTML error page, a proxy's notice). The
// whole body is redacted of secrets before it is cut: a cut could otherwise
// keep part of a token that no later redaction recognises.
func printableStart(body []byte, secrets []string) string {
	const limit = 60
	redacted := secretReplacer(secrets).Replace(string(body))
	s := strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return ' '
	}, redacted[:min(len(redacted), 4*limit)])), " ")
	if len(s) > limit {
		s = s[:limit] + "..."
	}
	return s
}

// AttemptTimeoutError is an HTTP attempt that did not complete within the
// request timeout: no connection, no headers or not the whole body.
type AttemptTimeoutError struct {
	Host    string
	Timeout time.Duration
}

func (e *AttemptTimeoutError) Error() string {
	return fmt.Sprintf("no complete answer from %s within %s (request_timeout)", e.Host, e.Timeout)
}

// CutShortError is an answer whose body ended early (the connection dropped).
type CutShortError struct {
	Status   int
	Received int
	Err      error
}

func (e *CutShortError) Error() string {
	return fmt.Sprintf("the body of a %d answer was cut short after %d bytes: %v", e.Status, e.Received, e.Err)
}

func (e *CutShortError) Unwrap() error { return e.Err }

// NotJSONError is a successful status whose body is not GitHub's JSON.
type NotJSONError struct {
	Status      int
	ContentType string
	Size        int
	Start       string
}

func (e *NotJSONError) Error() string {
	ct := e.ContentType
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("a %d answer of %d bytes (%s) that is not JSON, starting %q", e.Status, e.Size, ct, e.Start)
}
