package ghfake

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/contract"
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

// SecondaryRateLimit is GitHub's secondary-limit answer; retryAfter < 0
// leaves out the Retry-After header.
func SecondaryRateLimit(status int, retryAfter time.Duration) Fault {
	f := Fault{Status: status, Header: http.Header{}, ContentType: "application/json; charset=utf-8",
		Body: `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",` +
			`"documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`}
	if retryAfter >= 0 {
		f.Header.Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
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
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
	}
	answer := httptest.NewRecorder()
	if f.TakeEffect || (f.Body == "" && !f.Reset) {
		s.handle(answer, r)
	}
	if f.Reset {
		panic(http.ErrAbortHandler) // net/http drops the connection
	}
	for k, v := range answer.Header() {
		w.Header()[k] = v
	}
	for k, v := range f.Header {
		w.Header()[k] = v
	}
	if f.Location != "" {
		w.Header().Set("Location", f.Location)
	}
	body := answer.Body.String()
	if f.Body != "" {
		body = f.Body
		w.Header().Set("Content-Type", f.ContentType)
		w.Header().Set(contract.ExemptHeader, "scripted body")
	}
	status := answer.Code
	if f.Status != 0 {
		status = f.Status
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
