package ghfake

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// scope is the namespace a request path addresses.
type scope int

const (
	scopeUsers scope = iota // /users/{username}: a user's packages
	scopeOrgs               // /orgs/{org}: an organisation's packages
	scopeUser               // /user: the packages of the token's login
)

// route is a parsed request path.
type route struct {
	scope scope
	// owner is the user or organisation the path names; for scopeUser it is
	// empty until handle sets the token's login.
	owner, packageType, name string
	restore, list            bool
	// versions: the path goes on under {name}/versions; versionID is the
	// version it names, 0 for the listing. restore then restores the version.
	versions  bool
	versionID int64
	// self: GET /user, the token's own account.
	self bool
	// account: GET /users/{owner}, a user's or an organisation's account.
	account bool
}

// key is the package the route names, once owner is known.
func (rt route) key() key {
	p := Package{Org: rt.scope == scopeOrgs, Owner: rt.owner, Type: rt.packageType, Name: rt.name}
	return p.key()
}

// pathSegments splits an escaped path, without the /api/v3 prefix, into its
// segments, each unescaped exactly once; false when one is empty or invalid.
func pathSegments(escapedPath string) ([]string, bool) {
	p := strings.TrimPrefix(escapedPath, "/api/v3")
	raw := strings.Split(strings.TrimPrefix(p, "/"), "/")
	segs := make([]string, len(raw))
	for i, r := range raw {
		s, err := url.PathUnescape(r)
		if err != nil || s == "" {
			return nil, false
		}
		segs[i] = s
	}
	return segs, true
}

// parseRoute accepts, with or without /api/v3 in front,
//
//	/users/{username}/packages[/{type}/{name}[/restore | /versions[/{id}[/restore]]]]
//	/orgs/{org}/packages[/{type}/{name}[/restore | /versions[/{id}[/restore]]]]
//	/user/packages[/{type}/{name}[/restore | /versions[/{id}[/restore]]]]
//	/user
//	/users/{username}
//
// and unescapes each segment exactly once, so a name may hold a %2F. A
// version id is a positive decimal integer.
func parseRoute(escapedPath string) (route, bool) {
	segs, ok := pathSegments(escapedPath)
	if !ok {
		return route{}, false
	}
	var rt route
	var rest []string
	switch {
	case len(segs) == 1 && segs[0] == "user":
		return route{scope: scopeUser, self: true}, true
	case len(segs) == 2 && segs[0] == "users":
		return route{scope: scopeUsers, owner: segs[1], account: true}, true
	case len(segs) >= 3 && segs[0] == "users" && segs[2] == "packages":
		rt, rest = route{scope: scopeUsers, owner: segs[1]}, segs[3:]
	case len(segs) >= 3 && segs[0] == "orgs" && segs[2] == "packages":
		rt, rest = route{scope: scopeOrgs, owner: segs[1]}, segs[3:]
	case len(segs) >= 2 && segs[0] == "user" && segs[1] == "packages":
		rt, rest = route{scope: scopeUser}, segs[2:]
	default:
		return route{}, false
	}
	switch {
	case len(rest) == 0:
		rt.list = true
	case len(rest) == 2:
		rt.packageType, rt.name = rest[0], rest[1]
	case len(rest) == 3 && rest[2] == "restore":
		rt.packageType, rt.name, rt.restore = rest[0], rest[1], true
	case len(rest) >= 3 && rest[2] == "versions":
		rt.packageType, rt.name, rt.versions = rest[0], rest[1], true
		return parseVersion(rt, rest[3:])
	default:
		return route{}, false
	}
	return rt, true
}

// parseVersion reads what follows {name}/versions: nothing, {id} or
// {id}/restore.
func parseVersion(rt route, rest []string) (route, bool) {
	if len(rest) == 0 {
		return rt, true
	}
	id, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil || id < 1 || strconv.FormatInt(id, 10) != rest[0] {
		return route{}, false
	}
	rt.versionID = id
	switch {
	case len(rest) == 1:
		return rt, true
	case len(rest) == 2 && rest[1] == "restore":
		rt.restore = true
		return rt, true
	}
	return route{}, false
}

// orgOf returns the organisation of a path under /orgs/{org}.
func orgOf(escapedPath string) (string, bool) {
	segs, ok := pathSegments(escapedPath)
	if !ok || len(segs) < 2 || segs[0] != "orgs" {
		return "", false
	}
	return segs[1], true
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	rt, routed := parseRoute(path)
	org, underOrg := orgOf(path)
	// A path the emulator does not serve answers 404 before authentication,
	// except under an organisation enforcing SSO, which answers 403 first.
	if !routed && (!underOrg || !s.requiresSSO(org)) {
		writeError(w, http.StatusNotFound, "Not Found", "rest")
		return
	}
	c, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	if underOrg && !s.checkSSO(w, c.token, org) {
		return
	}
	if !routed {
		writeError(w, http.StatusNotFound, "Not Found", "rest")
		return
	}
	if rt.scope == scopeUser {
		rt.owner = c.login
	}
	if isWrite(r.Method) && !s.admitWrite(w) {
		return
	}
	switch {
	case rt.self && r.Method == http.MethodGet:
		// GET /user needs no scope; the answer is the simple-user fields.
		writeJSON(w, http.StatusOK, renderOwner(c.login, false))
	case rt.account && r.Method == http.MethodGet:
		s.serveAccount(w, rt.owner, c.login)
	case rt.self || rt.account:
		writeError(w, http.StatusNotFound, "Not Found", "rest")
	case rt.versions:
		s.serveVersions(w, r, rt, c.scopes)
	case rt.list && r.Method == http.MethodGet:
		s.requireScope(w, c.scopes, "read:packages", "list packages", func() { s.list(w, r, rt) })
	case rt.restore && r.Method == http.MethodPost:
		s.requireScope(w, c.scopes, "write:packages", "restore packages", func() {
			if rt.packageType != "maven" {
				s.restore(w, rt)
				return
			}
			// Maven (and Gradle) packages follow repository permissions:
			// GitHub's packages docs say that a classic token needs the
			// repo scope as well to restore one.
			s.requireScope(w, c.scopes, "repo", "restore packages in repository-scoped registries", func() { s.restore(w, rt) })
		})
	case !rt.restore && !rt.list && r.Method == http.MethodGet:
		s.requireScope(w, c.scopes, "read:packages", "read packages", func() { s.get(w, rt) })
	case !rt.restore && !rt.list && r.Method == http.MethodDelete:
		s.requireScope(w, c.scopes, "delete:packages", "delete packages", func() { s.delete(w, rt) })
	default:
		writeError(w, http.StatusNotFound, "Not Found", "rest")
	}
}

// caller is an authenticated token.
type caller struct {
	token, login string
	scopes       []string
}

// authenticate checks the token as GitHub does and sends X-OAuth-Scopes.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (caller, bool) {
	auth := r.Header.Get("Authorization")
	token, found := strings.CutPrefix(auth, "Bearer ")
	if !found {
		token, found = strings.CutPrefix(auth, "token ")
	}
	if !found || token == "" {
		writeError(w, http.StatusUnauthorized, "Requires authentication", "rest/overview/authenticating-to-the-rest-api")
		return caller{}, false
	}
	s.mu.Lock()
	scopes, known := s.tokens[token]
	login, named := s.logins[token]
	s.mu.Unlock()
	if !known {
		writeError(w, http.StatusUnauthorized, "Bad credentials", "rest")
		return caller{}, false
	}
	if !named {
		login = DefaultLogin
	}
	w.Header().Set("X-OAuth-Scopes", strings.Join(scopes, ", "))
	return caller{token: token, login: login, scopes: scopes}, true
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

// ssoMessage is GitHub's answer to a token not authorised for an
// organisation's SAML SSO.
const ssoMessage = "Resource protected by organization SAML enforcement. " +
	"You must grant your Personal Access token access to this organization."

func (s *Server) requiresSSO(org string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, required := s.ssoOrgs[strings.ToLower(org)]
	return required
}

// checkSSO reports whether the token may reach the organisation, and
// answers GitHub's 403 with the X-GitHub-SSO header when it may not.
func (s *Server) checkSSO(w http.ResponseWriter, token, org string) bool {
	lower := strings.ToLower(org)
	s.mu.Lock()
	name, required := s.ssoOrgs[lower]
	granted := s.ssoGrants[token][lower]
	s.mu.Unlock()
	if !required || granted {
		return true
	}
	w.Header().Set("X-GitHub-SSO", "required; url="+webHost+"/orgs/"+name+"/sso?authorization_request=EXAMPLE")
	writeError(w, http.StatusForbidden, ssoMessage,
		"articles/authenticating-to-a-github-organization-with-saml-single-sign-on/")
	return false
}
