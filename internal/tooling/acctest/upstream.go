package acctest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// Owner is the user every acceptance test names. Against GitHub, the
// recorded server sends GHPKG_ACC_OWNER instead, so cassettes and configs
// stay the same whoever records them.
const Owner = "octocat"

// Org is the organisation every acceptance test names. Against GitHub, the
// recorded server sends GHPKG_ACC_ORG instead, as it does for Owner.
const Org = "octo-org"

// handlerTransport delivers requests to an in-process handler (ghfake), so
// recording against the emulator needs no socket.
type handlerTransport struct{ handler http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	served := req.Clone(req.Context())
	served.RequestURI = req.URL.RequestURI()
	rec := httptest.NewRecorder()
	t.handler.ServeHTTP(rec, served)
	return rec.Result(), nil
}

// Live is a GitHub API to record against.
type Live struct {
	// BaseURL is the API root, resolved as the provider resolves base_url.
	BaseURL *url.URL
	// Token is the real classic token; it replaces Token on the way out
	// and never reaches Terraform, the provider's config or a cassette.
	Token string
	// Owner replaces Owner in request paths.
	Owner string
	// Org replaces Org in request paths. Empty when GHPKG_ACC_ORG is not
	// set: tests of an organisation's packages then skip, and a request
	// for Org is refused rather than sent to whoever owns that name.
	Org string
	// Transport sends the requests; TLS verification stays on.
	Transport http.RoundTripper
}

// NewLive resolves baseURL like the provider does ("" is api.github.com).
func NewLive(baseURL, token, owner string, transport http.RoundTripper) (*Live, error) {
	if token == "" || owner == "" {
		return nil, fmt.Errorf("recording against GitHub needs GITHUB_TOKEN and GHPKG_ACC_OWNER")
	}
	base, err := ghapi.ResolveBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	if transport == nil {
		transport = http.DefaultTransport
	}
	return &Live{BaseURL: base, Token: token, Owner: owner, Transport: transport}, nil
}

// RoundTrip forwards a canonical request to the live API.
func (l *Live) RoundTrip(req *http.Request) (*http.Response, error) {
	target, err := l.url(req.URL.EscapedPath(), req.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	out := req.Clone(req.Context())
	out.URL, out.Host = target, target.Host
	if auth := out.Header.Get("Authorization"); strings.HasSuffix(auth, " "+Token) {
		out.Header.Set("Authorization", "Bearer "+l.Token)
	}
	resp, err := l.Transport.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	return l.anonymize(resp)
}

// anonymize writes Owner and Org for the live owner and organisation in the
// answer (logins, URLs, repository names), so a cassette recorded by any
// maintainer reads like the tests that replay it.
func (l *Live) anonymize(resp *http.Response) (*http.Response, error) {
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	body = []byte(l.conceal(string(body)))
	for _, values := range resp.Header {
		for i, v := range values {
			values[i] = l.conceal(v)
		}
	}
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// conceal replaces the live organisation and owner with Org and Owner.
func (l *Live) conceal(s string) string {
	return replaceLogin(replaceLogin(s, l.Org, Org), l.Owner, Owner)
}

// replaceLogin replaces each occurrence of the login live in s with test.
// GitHub compares logins and organisation names case-insensitively and
// answers with the account's own spelling, which need not be the one the
// maintainer gave, so case is ignored. Only whole logins are replaced: an
// occurrence touching another login character (letter, digit or hyphen)
// is part of a longer name, such as a package "acme-tools" of the
// organisation "acme", and stays.
func replaceLogin(s, live, test string) string {
	if live == "" {
		return s
	}
	matches := regexp.MustCompile(`(?i)`+regexp.QuoteMeta(live)).FindAllStringIndex(s, -1)
	var out strings.Builder
	last := 0
	for _, m := range matches {
		if (m[0] > 0 && isLoginByte(s[m[0]-1])) || (m[1] < len(s) && isLoginByte(s[m[1]])) {
			continue
		}
		out.WriteString(s[last:m[0]])
		out.WriteString(test)
		last = m[1]
	}
	if last == 0 {
		return s
	}
	out.WriteString(s[last:])
	return out.String()
}

// isLoginByte reports whether c can be part of a GitHub login or
// organisation name.
func isLoginByte(c byte) bool {
	return c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// errNoOrg refuses a request for Org when no organisation was given.
var errNoOrg = errors.New("recording an organisation's packages against GitHub needs GHPKG_ACC_ORG, " +
	"an organisation holding the packages the tests name (see README.md)")

// url maps an api.github.com path onto the live API, the live owner and
// the live organisation. Names stay escaped as the provider sent them.
func (l *Live) url(escapedPath, rawQuery string) (*url.URL, error) {
	rel := strings.TrimPrefix(escapedPath, "/")
	parts := strings.SplitN(rel, "/", 3)
	if len(parts) >= 2 {
		switch {
		case parts[0] == "users" && strings.EqualFold(parts[1], Owner):
			parts[1] = wireName(parts[1], Owner, l.Owner)
		// GET /users/{org}: the account lookup after a refused restore
		// asks for the organisation under /users.
		case parts[0] == "orgs" && strings.EqualFold(parts[1], Org),
			len(parts) == 2 && parts[0] == "users" && strings.EqualFold(parts[1], Org):
			if l.Org == "" {
				return nil, errNoOrg
			}
			parts[1] = wireName(parts[1], Org, l.Org)
		}
		rel = strings.Join(parts, "/")
	}
	if rawQuery != "" {
		rel += "?" + rawQuery
	}
	return url.Parse(l.BaseURL.String() + rel)
}

// wireName is the live name sent for a test's spelling of name: live as
// given, or, for a spelling that differs from name in case only, live in
// another case (upper case, or lower case when live already is), so a
// recording still shows GitHub ignoring case.
func wireName(spelling, name, live string) string {
	if spelling == name {
		return url.PathEscape(live)
	}
	if upper := strings.ToUpper(live); upper != live {
		return url.PathEscape(upper)
	}
	return url.PathEscape(strings.ToLower(live))
}

// ensureVisible restores p on GitHub when it is not visible.
func (l *Live) ensureVisible(ctx context.Context, p ghfake.Package) error {
	status, _, err := l.send(ctx, http.MethodGet, p, "")
	if err != nil || status == http.StatusOK {
		return err
	}
	return l.expect(ctx, http.MethodPost, p, "/restore", http.StatusNoContent)
}

// ensureDeleted deletes p on GitHub (the test then restores it).
func (l *Live) ensureDeleted(ctx context.Context, p ghfake.Package) error {
	status, header, err := l.send(ctx, http.MethodDelete, p, "")
	if err != nil || status == http.StatusNoContent || status == http.StatusNotFound {
		return err
	}
	need := "the token needs delete:packages"
	if p.Org {
		need += " and its user must be an admin of the package"
	}
	return fmt.Errorf("DELETE of %s answered %d; %s%s", l.describe(p, ""), status, need, ssoAdvice(header))
}

func (l *Live) expect(ctx context.Context, method string, p ghfake.Package, suffix string, want int) error {
	status, header, err := l.send(ctx, method, p, suffix)
	if err == nil && status != want {
		err = fmt.Errorf("%s of %s answered %d, want %d%s", method, l.describe(p, suffix), status, want, ssoAdvice(header))
	}
	return err
}

// describe names p on GitHub in errors: namespace, live owner, type, name.
func (l *Live) describe(p ghfake.Package, suffix string) string {
	if p.Org {
		return "orgs/" + l.Org + "/" + p.Type + "/" + p.Name + suffix
	}
	return "users/" + l.Owner + "/" + p.Type + "/" + p.Name + suffix
}

// ssoAdvice explains a 403 of an organisation enforcing SAML SSO, which
// GitHub marks with an X-GitHub-SSO header.
func ssoAdvice(header http.Header) string {
	if header.Get("X-GitHub-SSO") == "" {
		return ""
	}
	return "; the organisation enforces SAML SSO: authorise the token for it (token settings, Configure SSO)"
}

// send sends method to p's endpoint (plus suffix) under the test's owner or
// organisation, which url maps onto the live ones.
func (l *Live) send(ctx context.Context, method string, p ghfake.Package, suffix string) (int, http.Header, error) {
	namespace := "/users/" + Owner
	if p.Org {
		namespace = "/orgs/" + Org
	}
	target, err := l.url(namespace+"/packages/"+url.PathEscape(p.Type)+"/"+url.PathEscape(p.Name)+suffix, "")
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, target.String(), nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+l.Token)
	req.Header.Set("Accept", "application/vnd.github+json")
	resp, err := l.Transport.RoundTrip(req)
	if err != nil {
		return 0, nil, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, resp.Header, nil
}
