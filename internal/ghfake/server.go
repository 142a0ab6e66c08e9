package ghfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
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

	mu        sync.Mutex
	tokens    map[string][]string
	lag       int
	onRequest func(method, path string)
	scripts   []*script
}

// New returns an empty emulator whose clock stands at Epoch.
func New() *Server {
	return &Server{store: newStore(), tokens: map[string][]string{}}
}

// AddToken makes a classic token with the given scopes valid.
func (s *Server) AddToken(token string, scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = scopes
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
			q.DeletedAt = s.store.now.Add(-ago)
			stored = *q
		}
	}
	return stored
}

// DeletePackage deletes a package behind the provider's back.
func (s *Server) DeletePackage(owner, packageType, name string) error {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if !s.store.delete(packageKey(owner, packageType, name)) {
		return fmt.Errorf("ghfake: no active package %s/%s/%s", owner, packageType, name)
	}
	return nil
}

// Lookup returns the active package with that name.
func (s *Server) Lookup(owner, packageType, name string) (Package, bool) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if p := s.store.findActive(packageKey(owner, packageType, name)); p != nil {
		return *p, true
	}
	return Package{}, false
}

// Advance moves the emulator's clock.
func (s *Server) Advance(d time.Duration) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	s.store.now = s.store.now.Add(d)
}

// SetRestoreLag makes each later restore invisible to the next n GETs.
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
}

// Record appends a request.
func (l *RequestLog) Record(r Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.requests = append(l.requests, r)
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

// route is a parsed request path.
type route struct {
	owner, packageType, name string
	restore, list            bool
}

// parseRoute accepts /users/{u}/packages[/{t}/{n}[/restore]], with or without
// /api/v3 in front, and unescapes each segment exactly once.
func parseRoute(escapedPath string) (route, bool) {
	p := strings.TrimPrefix(escapedPath, "/api/v3")
	raw := strings.Split(strings.TrimPrefix(p, "/"), "/")
	segs := make([]string, len(raw))
	for i, r := range raw {
		s, err := url.PathUnescape(r)
		if err != nil || s == "" {
			return route{}, false
		}
		segs[i] = s
	}
	if len(segs) < 3 || segs[0] != "users" || segs[2] != "packages" {
		return route{}, false
	}
	switch {
	case len(segs) == 3:
		return route{owner: segs[1], list: true}, true
	case len(segs) == 5:
		return route{owner: segs[1], packageType: segs[3], name: segs[4]}, true
	case len(segs) == 6 && segs[5] == "restore":
		return route{owner: segs[1], packageType: segs[3], name: segs[4], restore: true}, true
	}
	return route{}, false
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	rt, ok := parseRoute(r.URL.EscapedPath())
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found", "rest")
		return
	}
	scopes, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	switch {
	case rt.list && r.Method == http.MethodGet:
		s.requireScope(w, scopes, "read:packages", "list packages", func() { s.list(w, r, rt) })
	case rt.restore && r.Method == http.MethodPost:
		s.requireScope(w, scopes, "write:packages", "restore packages", func() { s.restore(w, rt) })
	case !rt.restore && !rt.list && r.Method == http.MethodGet:
		s.requireScope(w, scopes, "read:packages", "read packages", func() { s.get(w, rt) })
	case !rt.restore && !rt.list && r.Method == http.MethodDelete:
		s.requireScope(w, scopes, "delete:packages", "delete packages", func() { s.delete(w, rt) })
	default:
		writeError(w, http.StatusNotFound, "Not Found", "rest")
	}
}

// authenticate checks the token as GitHub does and sends X-OAuth-Scopes.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	auth := r.Header.Get("Authorization")
	token, found := strings.CutPrefix(auth, "Bearer ")
	if !found {
		token, found = strings.CutPrefix(auth, "token ")
	}
	if !found || token == "" {
		writeError(w, http.StatusUnauthorized, "Requires authentication", "rest/overview/authenticating-to-the-rest-api")
		return nil, false
	}
	s.mu.Lock()
	scopes, known := s.tokens[token]
	s.mu.Unlock()
	if !known {
		writeError(w, http.StatusUnauthorized, "Bad credentials", "rest")
		return nil, false
	}
	w.Header().Set("X-OAuth-Scopes", strings.Join(scopes, ", "))
	return scopes, true
}

// requireScope runs next when the token holds scope; write:packages implies
// read:packages, as on GitHub.
func (s *Server) requireScope(w http.ResponseWriter, scopes []string, scope, action string, next func()) {
	w.Header().Set("X-Accepted-OAuth-Scopes", scope)
	if slices.Contains(scopes, scope) || (scope == "read:packages" && slices.Contains(scopes, "write:packages")) {
		next()
		return
	}
	writeError(w, http.StatusForbidden, fmt.Sprintf("You need at least %s scope to %s.", scope, action),
		"rest/packages/packages")
}

func (s *Server) get(w http.ResponseWriter, rt route) {
	s.store.mu.Lock()
	p := s.store.visible(packageKey(rt.owner, rt.packageType, rt.name))
	var out Package
	if p != nil {
		out = *p
	}
	s.store.mu.Unlock()
	if p == nil {
		writeError(w, http.StatusNotFound, "Package not found.", "rest/packages/packages#get-a-package-for-a-user")
		return
	}
	writeJSON(w, http.StatusOK, render(out))
}

func (s *Server) restore(w http.ResponseWriter, rt route) {
	key := packageKey(rt.owner, rt.packageType, rt.name)
	s.mu.Lock()
	lag := s.lag
	s.mu.Unlock()
	s.store.mu.Lock()
	restored := s.store.restore(key)
	if restored && lag > 0 {
		s.store.hiddenFor[key] = lag
	}
	s.store.mu.Unlock()
	if !restored {
		writeError(w, http.StatusNotFound, "Package not found.", "rest/packages/packages#restore-a-package-for-a-user")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) delete(w http.ResponseWriter, rt route) {
	s.store.mu.Lock()
	deleted := s.store.delete(packageKey(rt.owner, rt.packageType, rt.name))
	s.store.mu.Unlock()
	if !deleted {
		writeError(w, http.StatusNotFound, "Package not found.", "rest/packages/packages#delete-a-package-for-a-user")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// maxListWindow is GitHub's limit on per_page × page for package listings.
const maxListWindow = 10000

func (s *Server) list(w http.ResponseWriter, r *http.Request, rt route) {
	q := r.URL.Query()
	packageType := q.Get("package_type")
	if packageType == "" {
		writeError(w, http.StatusBadRequest, "package_type is required", "rest/packages/packages#list-packages-for-a-user")
		return
	}
	page, perPage := intParam(q, "page", 1), min(intParam(q, "per_page", 30), 100)
	if page < 1 || perPage < 1 || page*perPage > maxListWindow {
		writeError(w, http.StatusBadRequest, "per_page * page must not exceed 10000", "rest/packages/packages#list-packages-for-a-user")
		return
	}
	s.store.mu.Lock()
	all := s.store.list(rt.owner, packageType, q.Get("visibility"))
	s.store.mu.Unlock()

	last := max(1, (len(all)+perPage-1)/perPage)
	if link := linkHeader(r, page, last); link != "" {
		w.Header().Set("Link", link)
	}
	body := []map[string]any{}
	for i := (page - 1) * perPage; i < min(page*perPage, len(all)); i++ {
		body = append(body, render(all[i]))
	}
	writeJSON(w, http.StatusOK, body)
}

func intParam(q url.Values, name string, def int) int {
	v, err := strconv.Atoi(q.Get(name))
	if err != nil {
		return def
	}
	return v
}

// linkHeader builds GitHub's pagination header; absent when one page holds all.
func linkHeader(r *http.Request, page, last int) string {
	if last <= 1 {
		return ""
	}
	pageURL := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: q.Encode()}
		if r.TLS != nil {
			u.Scheme = "https"
		}
		return u.String()
	}
	var links []string
	if page > 1 {
		links = append(links, fmt.Sprintf(`<%s>; rel="prev"`, pageURL(page-1)))
	}
	if page < last {
		links = append(links, fmt.Sprintf(`<%s>; rel="next"`, pageURL(page+1)))
		links = append(links, fmt.Sprintf(`<%s>; rel="last"`, pageURL(last)))
	}
	if page > 1 {
		links = append(links, fmt.Sprintf(`<%s>; rel="first"`, pageURL(1)))
	}
	return strings.Join(links, ", ")
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// writeError answers with GitHub's basic-error body.
func writeError(w http.ResponseWriter, status int, message, docPath string) {
	writeJSON(w, status, map[string]string{
		"message":           message,
		"documentation_url": "https://docs.github.com/" + docPath,
		"status":            strconv.Itoa(status),
	})
}
