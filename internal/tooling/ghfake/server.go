package ghfake

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Request is one request the emulator answered, for tests to assert on.
type Request struct {
	Method string
	// Path is the escaped path without the optional /api/v3 prefix.
	Path   string
	Query  url.Values
	Status int
}

// Server emulates the endpoints. Create one with New and serve it with
// httptest or net/http; configure it with the methods below.
type Server struct {
	RequestLog
	store *store

	mu     sync.Mutex
	tokens map[string][]string
	// logins holds the login of each token SetLogin named (DefaultLogin
	// otherwise).
	logins map[string]string
	// ssoOrgs maps each lower-cased organisation enforcing SAML SSO to its
	// name as RequireSSO was given it.
	ssoOrgs map[string]string
	// ssoGrants holds, per token, the lower-cased organisations it was
	// authorised for.
	ssoGrants map[string]map[string]bool
	lag       int
	onRequest func(method, path string)
	scripts   []*script

	// writes enforces the secondary limit on writes (writelimit.go) and
	// flights meters concurrency (inflight.go); each has its own lock.
	writes  writeLimiter
	flights flightMeter
}

// DefaultLogin is the login of a token SetLogin did not name one for: the
// user whose packages /user/packages serves.
const DefaultLogin = "octocat"

// New returns an empty emulator whose clock stands at Epoch (see
// UseRealClock).
func New() *Server {
	return &Server{
		store: newStore(), tokens: map[string][]string{}, logins: map[string]string{},
		ssoOrgs: map[string]string{}, ssoGrants: map[string]map[string]bool{},
	}
}

// AddToken makes a classic token with the given scopes valid. Its login is
// DefaultLogin until SetLogin names another.
func (s *Server) AddToken(token string, scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = scopes
}

// SetLogin makes login the user a token authenticates as, whose packages
// the /user/packages endpoints serve to it. It does not make the token valid
// (AddToken does), and may come before or after AddToken.
func (s *Server) SetLogin(token, login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins[token] = login
}

// RequireSSO makes the organisation enforce SAML single sign-on: every
// request under /orgs/{org}/ (org compared case-insensitively) answers 403
// with an X-GitHub-SSO header, unless AuthorizeSSO authorised its token.
func (s *Server) RequireSSO(org string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ssoOrgs[strings.ToLower(org)] = org
}

// AuthorizeSSO authorises a token for an organisation's SAML SSO, as a user
// does on GitHub's token settings page.
func (s *Server) AuthorizeSSO(token, org string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ssoGrants[token] == nil {
		s.ssoGrants[token] = map[string]bool{}
	}
	s.ssoGrants[token][strings.ToLower(org)] = true
}

// AddPackage stores an active package, assigning its ID, and returns it.
func (s *Server) AddPackage(p Package) Package { return s.store.add(p) }

// AddDeletedPackage stores a package deleted `ago` before the clock's now.
func (s *Server) AddDeletedPackage(p Package, ago time.Duration) Package {
	stored := s.store.add(p)
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	for _, q := range s.store.packages {
		if q.ID == stored.ID {
			q.DeletedAt = s.store.now().Add(-ago)
			stored = *q
		}
	}
	return stored
}

// DeletePackage deletes a package behind the provider's back. Only p's Org,
// Owner, Type and Name count: they name the package.
func (s *Server) DeletePackage(p Package) error {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if !s.store.delete(p.key()) {
		return fmt.Errorf("ghfake: no active package %s", p.ref())
	}
	return nil
}

// Lookup returns the active package that p names by its Org, Owner, Type
// and Name (its other fields are ignored), its VersionCount as the API
// shows it.
func (s *Server) Lookup(p Package) (Package, bool) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if p := s.store.findActive(p.key()); p != nil {
		return s.store.view(p), true
	}
	return Package{}, false
}

// Advance moves the emulator's clock.
func (s *Server) Advance(d time.Duration) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	s.store.advanced += d
}

// UseRealClock makes the emulator's clock the real time (Advance still
// moves it), for an emulator that people use: they compare its dates with
// their own clock, as a check of restorable_until against plantimestamp()
// does. Call it before adding packages, which are dated when added. Tests
// leave it off, so that recordings stay stable.
func (s *Server) UseRealClock() {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	s.store.clock = time.Now
}

// SetRestoreLag makes each later restore invisible to the next n GETs of
// the restored object: a package's GETs after a package restore, a
// version's GETs after a version restore. Listings are not delayed.
func (s *Server) SetRestoreLag(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lag = n
}

// OnRequest runs f before each request is handled (to stage races).
func (s *Server) OnRequest(f func(method, path string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onRequest = f
}

// RequestLog keeps requests in the order they were answered, for tests to
// assert on; it is safe for concurrent use.
type RequestLog struct {
	mu       sync.Mutex
	requests []Request
	onRecord func(Request)
}

// Record appends a request and passes it to the OnRecord function.
func (l *RequestLog) Record(r Request) {
	l.mu.Lock()
	l.requests = append(l.requests, r)
	f := l.onRecord
	l.mu.Unlock()
	if f != nil {
		f(r)
	}
}

// OnRecord runs f with each request recorded from now on, once answered,
// so that a log of requests served at once pairs each with its own status.
func (l *RequestLog) OnRecord(f func(Request)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.onRecord = f
}

// Requests returns the requests recorded so far, in order.
func (l *RequestLog) Requests() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.requests)
}

// Logged returns next with every request it serves recorded in l, with the
// status it sent: 0 when the connection was dropped without an answer.
func (l *RequestLog) Logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() { // also when next aborts the connection with a panic
			l.Record(Request{Method: r.Method, Path: APIPath(r.URL), Query: r.URL.Query(), Status: rec.status})
		}()
		next.ServeHTTP(rec, r)
	})
}

// APIPath is the escaped path as api.github.com would see it: without the
// /api/v3 prefix under which GitHub Enterprise Server (and a loopback
// server reached as one) serves the API.
func APIPath(u *url.URL) string {
	return strings.TrimPrefix(u.EscapedPath(), "/api/v3")
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// CountRequests counts recorded requests by method ("" matches any).
func (l *RequestLog) CountRequests(method string) int {
	n := 0
	for _, r := range l.Requests() {
		if method == "" || r.Method == method {
			n++
		}
	}
	return n
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.flights.enter()
	defer s.flights.leave() // also when a fault aborts the connection with a panic
	s.Logged(http.HandlerFunc(s.serve)).ServeHTTP(w, r)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := APIPath(r.URL)
	s.mu.Lock()
	hook := s.onRequest
	s.mu.Unlock()
	if hook != nil {
		hook(r.Method, path)
	}
	if f, ok := s.nextFault(r.Method, path); ok {
		s.serveFault(w, r, f)
		return
	}
	s.handle(w, r)
}
