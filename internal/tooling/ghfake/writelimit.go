package ghfake

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/contract"
)

// GitHub's secondary-limit answer, shared by the scripted fault and the
// write limit so that both read alike to a client.
const (
	secondaryLimitMessage = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
	secondaryLimitDocs    = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)

// retryAfterSeconds is d as a Retry-After value: whole seconds, rounded up
// so that a client waiting that long never comes back too early.
func retryAfterSeconds(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
}

// writeLimiter refuses writes beyond n per rolling window, as GitHub's
// secondary limit on content-creating requests does (80 a minute, 500 an
// hour). Its zero value lets every write through.
type writeLimiter struct {
	mu sync.Mutex
	// wallClock dates the writes; nil means time.Now. It is apart from the
	// store's clock, which dates deletions and moves only when a test calls
	// Advance: a limit measured on that clock would never let a real
	// Terraform run through.
	wallClock          func() time.Time
	n                  int
	window, retryAfter time.Duration
	status             int
	accepted           []time.Time
	refused            int
}

// LimitWrites makes the emulator enforce a secondary limit: an
// authenticated write (POST, PUT, PATCH or DELETE, such as a restore) to a
// path it serves is refused when n writes were accepted in the window
// before it, which rolls on the wall clock (real time unless SetWallClock
// injects one). A refused write answers 403 (see SetWriteLimitStatus) with
// GitHub's secondary-limit body and Retry-After in whole seconds, rounded
// up (none when retryAfter < 0); it has no effect and does not count. An
// accepted write counts whatever it answers (a 404 too). A scripted fault
// that answers without running the request (a Body without TakeEffect,
// Reset, Hang) keeps it from the limit; one that runs it, counts it. n < 1
// lifts the limit. Writes accepted before the call count in the window.
func (s *Server) LimitWrites(n int, window, retryAfter time.Duration) {
	s.writes.mu.Lock()
	defer s.writes.mu.Unlock()
	s.writes.n, s.writes.window, s.writes.retryAfter = n, window, retryAfter
}

// SetWriteLimitStatus sets the status of a write the limit refuses: 403
// (the default) or 429, the two GitHub uses. The contract documents only
// 403, so a 429 is marked exempt from its check.
func (s *Server) SetWriteLimitStatus(status int) {
	s.writes.mu.Lock()
	defer s.writes.mu.Unlock()
	s.writes.status = status
}

// SetWallClock makes now the clock of the write limit, for tests that move
// time themselves; nil restores real time. Deletion dates keep the
// emulator's own clock (Advance).
func (s *Server) SetWallClock(now func() time.Time) {
	s.writes.mu.Lock()
	defer s.writes.mu.Unlock()
	s.writes.wallClock = now
}

// AcceptedWrites counts the writes the limit let through (all writes when
// no limit was set).
func (s *Server) AcceptedWrites() int {
	s.writes.mu.Lock()
	defer s.writes.mu.Unlock()
	return len(s.writes.accepted)
}

// RefusedWrites counts the writes the limit refused.
func (s *Server) RefusedWrites() int {
	s.writes.mu.Lock()
	defer s.writes.mu.Unlock()
	return s.writes.refused
}

// AcceptedWriteTimes returns when each accepted write arrived, on the
// wall clock, in arrival order, so a test can work out what the limit
// allows.
func (s *Server) AcceptedWriteTimes() []time.Time {
	s.writes.mu.Lock()
	defer s.writes.mu.Unlock()
	return slices.Clone(s.writes.accepted)
}

// isWrite reports whether GitHub counts a request of that method against
// its limits on writes.
func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// admit counts a write and reports whether the limit lets it through; when
// it does not, it returns the status and Retry-After to refuse it with.
func (l *writeLimiter) admit() (ok bool, status int, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.wallClock != nil {
		now = l.wallClock()
	}
	if l.n > 0 && l.inWindow(now) >= l.n {
		l.refused++
		return false, cmp.Or(l.status, http.StatusForbidden), l.retryAfter
	}
	l.accepted = append(l.accepted, now)
	return true, 0, 0
}

// inWindow counts the accepted writes that arrived less than the window
// before now. It scans them all, as an injected clock may go backwards.
func (l *writeLimiter) inWindow(now time.Time) int {
	n := 0
	for _, t := range l.accepted {
		if now.Sub(t) < l.window {
			n++
		}
	}
	return n
}

// admitWrite lets a write through the limit, or answers it as GitHub
// answers a request over a secondary limit and returns false.
func (s *Server) admitWrite(w http.ResponseWriter) bool {
	ok, status, retryAfter := s.writes.admit()
	if ok {
		return true
	}
	if retryAfter >= 0 {
		w.Header().Set("Retry-After", retryAfterSeconds(retryAfter))
	}
	if status != http.StatusForbidden {
		w.Header().Set(contract.ExemptHeader, "secondary limit answered "+strconv.Itoa(status))
	}
	writeJSON(w, status, map[string]string{"message": secondaryLimitMessage, "documentation_url": secondaryLimitDocs})
	return false
}
