package ghfake

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/contract"
)

// Fault is one scripted misbehaviour, served to one matching request.
type Fault struct {
	// Status replaces the answer's status (0 keeps the real one).
	Status int
	// Header is added to the answer (Retry-After, X-RateLimit-*).
	Header http.Header
	// Body and ContentType replace the answer's body when Body is set.
	Body        string
	ContentType string
	// Reset drops the connection without an answer.
	Reset bool
	// Hang accepts the request and never answers, until the client gives up.
	Hang bool
	// Truncate sends the status, the headers and a Content-Length of the
	// whole body, then half of the body, then drops the connection; an
	// answer without a body (a 204) has nothing to cut and is dropped
	// unanswered, as with Reset.
	Truncate bool
	// Trickle sends the body one byte at a time, pausing this long between bytes.
	Trickle time.Duration
	// Delay holds the answer back.
	Delay time.Duration
	// TakeEffect runs the real request first (a restore restores) and then
	// answers with the fault: the lost answer of a request that succeeded.
	TakeEffect bool
	// Location redirects (with Status 307 or 302) to another URL.
	Location string
}

// ServerError is a 5xx with GitHub's error body.
func ServerError(status int) Fault {
	return Fault{Status: status, ContentType: "application/json; charset=utf-8",
		Body: `{"message":"Server Error","documentation_url":"https://docs.github.com/rest"}`}
}

// NotFoundHTML is a 404 as a proxy or web server in front of the API sends
// it: an HTML page, none of GitHub's headers.
func NotFoundHTML() Fault {
	return Fault{Status: http.StatusNotFound, ContentType: "text/html; charset=utf-8",
		Body: "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n" +
			"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n"}
}

// SecondaryRateLimit is GitHub's secondary-limit answer; retryAfter < 0
// leaves out the Retry-After header. LimitWrites sends the same answer.
func SecondaryRateLimit(status int, retryAfter time.Duration) Fault {
	f := Fault{Status: status, Header: http.Header{}, ContentType: "application/json; charset=utf-8",
		Body: `{"message":"` + secondaryLimitMessage + `","documentation_url":"` + secondaryLimitDocs + `"}`}
	if retryAfter >= 0 {
		f.Header.Set("Retry-After", retryAfterSeconds(retryAfter))
	}
	return f
}

// PrimaryRateLimit is an exhausted hourly limit that resets at reset.
func PrimaryRateLimit(status int, reset time.Time) Fault {
	return Fault{Status: status, ContentType: "application/json; charset=utf-8",
		Header: http.Header{
			"X-Ratelimit-Limit":     {"5000"},
			"X-Ratelimit-Remaining": {"0"},
			"X-Ratelimit-Reset":     {strconv.FormatInt(reset.Unix(), 10)},
			"X-Ratelimit-Resource":  {"core"},
		},
		Body: `{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}`}
}

// script is the faults waiting for requests of one method and path suffix.
type script struct {
	method, pathSuffix string
	faults             []Fault
}

// Script queues faults for requests whose method matches (empty: any) and
// whose escaped path ends in pathSuffix; each matching request takes the next
// fault, and requests after the last one are answered normally.
func (s *Server) Script(method, pathSuffix string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts = append(s.scripts, &script{method: method, pathSuffix: pathSuffix, faults: faults})
}

func (s *Server) nextFault(method, path string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sc := range s.scripts {
		if len(sc.faults) > 0 && (sc.method == "" || sc.method == method) && strings.HasSuffix(path, sc.pathSuffix) {
			f := sc.faults[0]
			sc.faults = sc.faults[1:]
			return f, true
		}
	}
	return Fault{}, false
}

// serveFault answers r with f.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f Fault) {
	if !sleep(r.Context(), f.Delay) {
		return
	}
	answer := httptest.NewRecorder()
	if f.TakeEffect || (f.Body == "" && !f.Reset && !f.Hang) {
		s.handle(answer, r)
	}
	switch {
	case f.Reset:
		panic(http.ErrAbortHandler) // net/http drops the connection
	case f.Hang:
		<-r.Context().Done() // the client gave up, or the server is closing
		return
	}
	status, body := f.compose(w.Header(), answer)
	if f.Truncate {
		writeTruncated(w, r, status, body, f.Trickle)
		return
	}
	if len(body) > 0 {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)
	writeBody(w, r, body, f.Trickle)
}

// compose sets into h the headers of the answer f makes of the real one
// and returns its status and body.
func (f Fault) compose(h http.Header, answer *httptest.ResponseRecorder) (int, []byte) {
	for k, v := range answer.Header() {
		h[k] = v
	}
	for k, v := range f.Header {
		h[k] = v
	}
	if f.Location != "" {
		h.Set("Location", f.Location)
	}
	body := answer.Body.Bytes()
	if f.Body != "" {
		body = []byte(f.Body)
		h.Set("Content-Type", f.ContentType)
		h.Set(contract.ExemptHeader, "scripted body")
	}
	status := answer.Code
	if f.Status != 0 {
		status = f.Status
	}
	return status, body
}

// writeTruncated announces the whole body, sends its first half (trickled
// when pause > 0) and drops the connection.
func writeTruncated(w http.ResponseWriter, r *http.Request, status int, body []byte, pause time.Duration) {
	if len(body) == 0 {
		panic(http.ErrAbortHandler) // nothing to cut: drop it unanswered
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set(contract.ExemptHeader, "truncated body")
	w.WriteHeader(status)
	writeBody(w, r, body[:len(body)/2], pause)
	// Without the flush, net/http would drop the buffered answer with the
	// connection, and the client would see a reset instead of a short body.
	_ = http.NewResponseController(w).Flush()
	panic(http.ErrAbortHandler)
}

// writeBody sends body at once, or one byte at a time pause apart until the
// client gives up.
func writeBody(w http.ResponseWriter, r *http.Request, body []byte, pause time.Duration) {
	if pause <= 0 {
		_, _ = w.Write(body)
		return
	}
	rc := http.NewResponseController(w)
	for i := range body {
		if i > 0 && !sleep(r.Context(), pause) {
			return
		}
		if _, err := w.Write(body[i : i+1]); err != nil {
			return
		}
		_ = rc.Flush()
	}
}

// sleep waits d, or less when ctx ends first; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Unwrap lets http.ResponseController reach the connection's Flush through
// the request log, for Trickle and Truncate.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
