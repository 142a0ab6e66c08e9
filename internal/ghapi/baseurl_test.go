package ghapi

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type baseURLCase struct {
	name   string
	in     string
	want   string // the API root; "" when refused
	errHas string // when refused, a phrase the error must contain
}

var baseURLCases = []baseURLCase{
	// GitHub.com.
	{"empty", "", "https://api.github.com/", ""},
	{"api host", "https://api.github.com", "https://api.github.com/", ""},
	{"api host with slash", "https://api.github.com/", "https://api.github.com/", ""},
	{"api host upper case", "https://API.GITHUB.COM", "https://api.github.com/", ""},
	{"api host default port", "https://api.github.com:443", "https://api.github.com/", ""},
	{"api host mixed case, port and slash", "https://Api.GitHub.com:443/", "https://api.github.com/", ""},
	{"upper-case scheme", "HTTPS://api.github.com", "https://api.github.com/", ""},
	{"web host", "https://github.com", "https://api.github.com/", ""},
	{"web host with slash", "https://github.com/", "https://api.github.com/", ""},
	{"web host upper case", "https://GITHUB.COM", "https://api.github.com/", ""},
	{"web host default port", "https://github.com:443/", "https://api.github.com/", ""},
	{"www host", "https://www.github.com", "https://api.github.com/", ""},
	{"www host upper case, port and slash", "https://WWW.GitHub.com:443/", "https://api.github.com/", ""},
	{"GitHub.com with a path", "https://github.com/octocat", "", "use https://api.github.com/"},
	{"GitHub.com api/v3", "https://api.github.com/api/v3", "", "use https://api.github.com/"},
	{"GitHub.com over http", "http://github.com", "", "must use https"},
	{"api host on another port is not GitHub.com", "https://api.github.com:8443", "https://api.github.com:8443/api/v3/", ""},

	// GitHub Enterprise Cloud with data residency.
	{"ghe.com tenant", "https://octocorp.ghe.com", "https://api.octocorp.ghe.com/", ""},
	{"ghe.com tenant upper case, port and slash", "https://OctoCorp.GHE.com:443/", "https://api.octocorp.ghe.com/", ""},
	{"ghe.com api host", "https://api.octocorp.ghe.com", "https://api.octocorp.ghe.com/", ""},
	{"ghe.com api host with slash", "https://api.octocorp.ghe.com/", "https://api.octocorp.ghe.com/", ""},
	{"ghe.com with a path", "https://octocorp.ghe.com/api/v3", "", "use https://api.octocorp.ghe.com/"},
	{"ghe.com nested name", "https://uploads.octocorp.ghe.com", "", "not a GitHub Enterprise Cloud tenant"},
	{"ghe.com itself", "https://ghe.com", "", "not a GitHub Enterprise Cloud tenant"},

	// GitHub Enterprise Server.
	{"GHES host", "https://ghe.example.com", "https://ghe.example.com/api/v3/", ""},
	{"GHES host with slash", "https://ghe.example.com/", "https://ghe.example.com/api/v3/", ""},
	{"GHES api/v3", "https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/", ""},
	{"GHES api/v3 with slash", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/", ""},
	{"GHES upper case", "https://GHE.Example.COM", "https://ghe.example.com/api/v3/", ""},
	{"GHES default port", "https://ghe.example.com:443/api/v3", "https://ghe.example.com/api/v3/", ""},
	{"GHES other port", "https://ghe.example.com:8443", "https://ghe.example.com:8443/api/v3/", ""},
	{"GHES under a path", "https://example.com/github", "https://example.com/github/api/v3/", ""},

	// Plain http, loopback only.
	{"http 127.0.0.1", "http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v3/", ""},
	{"http 127.0.0.0/8", "http://127.1.2.3", "http://127.1.2.3/api/v3/", ""},
	{"http localhost", "http://localhost:8080/", "http://localhost:8080/api/v3/", ""},
	{"http localhost upper case", "http://LOCALHOST:8080", "http://localhost:8080/api/v3/", ""},
	{"http default port", "http://localhost:80", "http://localhost/api/v3/", ""},
	{"http ::1", "http://[::1]:8080", "http://[::1]:8080/api/v3/", ""},
	{"http remote host", "http://ghe.example.com", "", "plain http is accepted only for loopback hosts"},
	{"http private address", "http://10.0.0.1", "", "plain http is accepted only for loopback hosts"},
	{"http name starting with localhost", "http://localhost.example.com", "", "plain http is accepted only for loopback hosts"},

	// Malformed.
	{"other scheme", "ftp://ghe.example.com", "", `scheme "ftp"; use https`},
	{"no scheme", "ghe.example.com", "", "has no host"},
	{"no scheme with slashes", "//ghe.example.com", "", "has no scheme"},
	{"opaque", "https:ghe.example.com", "", "has no host"},
	{"empty host", "https://", "", "has no host"},
	{"port only", "https://:443", "", "has no host"},
	{"colon outside brackets", "https://ghe.example.com:8443:443", "", "is not a valid URL"},
	{"IPv6 without brackets", "https://2001:db8::1", "", "is not a valid URL"},
	{"IPv6", "https://[2001:DB8::1]:443", "https://[2001:db8::1]/api/v3/", ""},
	{"query", "https://ghe.example.com/?x=1", "", "must not contain a query"},
	{"empty query", "https://ghe.example.com?", "", "must not contain a query"},
	{"fragment", "https://ghe.example.com/#top", "", "must not contain a fragment"},
	{"invalid escape", "https://ghe.example.com/%zz", "", "is not a valid URL"},
	{"invalid port", "https://ghe.example.com:https", "", "is not a valid URL"},
	{"control character", "https://ghe.example.com/\n", "", "is not a valid URL"},

	// Credentials: refused without quoting them.
	{"user and password", "https://user:pass@ghe.example.com", "", "credentials"},
	{"user and secret", "https://user:s3cr3t@ghe.example.com", "", "set the provider's token argument or GITHUB_TOKEN"},
	{"token as user", "https://token@ghe.example.com", "", "credentials"},
	{"personal access token as user", "https://ghp_s3cr3t@ghe.example.com", "", "credentials"},
	{"credentials and a parse error", "https://user:s3cr3t@ghe.example.com/%zz", "", "credentials"},
	{"invalid escape in the password", "https://user:s3cr3t%zz@ghe.example.com", "", "credentials"},
	{"invalid host", "https://user:s3cr3t@ghe example.com", "", "credentials"},
	{"at sign in the password", "https://user:s3cr3t@x@ghe.example.com", "", "credentials"},
	{"credentials over remote http", "http://user:s3cr3t@10.0.0.1", "", "credentials"},
	{"credentials over loopback http", "http://user:s3cr3t@127.0.0.1:8080", "", "credentials"},
	{"credentials for GitHub.com", "https://user:s3cr3t@github.com", "", "credentials"},
	{"credentials and a query", "https://user:s3cr3t@ghe.example.com/?x=1", "", "credentials"},
	{"credentials and another scheme", "ftp://user:s3cr3t@ghe.example.com", "", "credentials"},
	{"credentials without scheme", "user:s3cr3t@ghe.example.com", "", "credentials"},
	{"credentials after a space", " https://user:s3cr3t@ghe.example.com", "", "credentials"},
}

// secretWords are the user-info of the cases above: no error may quote them.
var secretWords = []string{"user", "pass", "s3cr3t", "ghp_"}

func TestResolveBaseURL(t *testing.T) {
	t.Parallel()
	for _, tc := range baseURLCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ResolveBaseURL(tc.in)
			var gotURL string
			if got != nil {
				gotURL = got.String()
			}
			if diff := cmp.Diff(tc.want, gotURL); diff != "" {
				t.Errorf("ResolveBaseURL(%q) (-want +got):\n%s\nerror: %v", tc.in, diff, err)
			}
			if tc.want != "" {
				if err != nil {
					t.Errorf("ResolveBaseURL(%q): %v", tc.in, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ResolveBaseURL(%q) = %s, want a refusal", tc.in, got)
			}
			if !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("ResolveBaseURL(%q) error %q does not contain %q", tc.in, err, tc.errHas)
			}
			var leaked []string
			for _, w := range secretWords {
				if containsFold(err.Error(), w) {
					leaked = append(leaked, w)
				}
			}
			if diff := cmp.Diff([]string(nil), leaked); diff != "" {
				t.Errorf("ResolveBaseURL(%q) error %q quotes user-info (-want +got):\n%s", tc.in, err, diff)
			}
		})
	}
}

// FuzzResolveBaseURL checks that an accepted base URL is an http(s) API root
// without user-info, plain http only on loopback, and stable when resolved
// again; and that user-info is refused without being quoted.
func FuzzResolveBaseURL(f *testing.F) {
	for _, tc := range baseURLCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if ui, ok := splitUserinfo(raw); ok {
			checkUserinfoHidden(t, ui)
		}
		got, err := ResolveBaseURL(raw)
		if err != nil {
			return
		}
		s := got.String()
		if got.Scheme != "https" && got.Scheme != "http" {
			t.Fatalf("ResolveBaseURL(%q) = %s: scheme %q", raw, s, got.Scheme)
		}
		if got.Scheme == "http" && !isLoopback(got.Hostname()) {
			t.Fatalf("ResolveBaseURL(%q) = %s: plain http to a remote host", raw, s)
		}
		if got.User != nil || got.RawQuery != "" || got.ForceQuery || got.Fragment != "" || !strings.HasSuffix(s, "/") {
			t.Fatalf("ResolveBaseURL(%q) = %s: want an API root ending in / without user-info, query or fragment", raw, s)
		}
		again, err := ResolveBaseURL(s)
		if err != nil {
			t.Fatalf("ResolveBaseURL(%q) = %s, which is refused: %v", raw, s, err)
		}
		if diff := cmp.Diff(s, again.String()); diff != "" {
			t.Fatalf("ResolveBaseURL(%q) = %s is not stable (-first +second):\n%s", raw, s, diff)
		}
	})
}

// checkUserinfoHidden checks that input with user-info is refused and that
// the error quotes neither the user name nor the password, whole or in part.
func checkUserinfoHidden(t *testing.T, ui userinfo) {
	t.Helper()
	refusal := func(in string) string {
		t.Helper()
		if _, err := ResolveBaseURL(in); err != nil {
			return err.Error()
		}
		t.Fatalf("ResolveBaseURL(%q) accepted user-info", in)
		return ""
	}
	// Markers around each secret catch a quoted start or end even when the
	// secret is a word of the message.
	if marked := ui.with(markOpen+ui.user+markClose, markOpen+ui.pass+markClose); !containsFold(ui.String(), markOpen) && !containsFold(ui.String(), markClose) {
		if msg := refusal(marked); containsFold(msg, markOpen) || containsFold(msg, markClose) {
			t.Fatalf("ResolveBaseURL(%q) error quotes user-info: %s", marked, msg)
		}
	}
	// The secrets themselves, also decoded, catch a quoted middle part
	// ("%zz" of an invalid escape); skipped where the message would say
	// them anyway: outside user-info, or for the user-info "x:x".
	msg, neutral := refusal(ui.String()), refusal(ui.with("x", "x"))
	for _, secret := range []string{ui.user, ui.pass} {
		decoded, _ := url.PathUnescape(secret)
		for _, s := range []string{secret, decoded} {
			if s != "" && containsFold(msg, s) && !containsFold(ui.head+ui.tail, s) && !containsFold(neutral, s) {
				t.Fatalf("ResolveBaseURL(%q) error quotes %q of its user-info: %s", ui.String(), s, msg)
			}
		}
	}
}

// Markers are letters outside [0-9a-f]: valid in user-info, and they neither
// complete nor break a %-escape next to them.
const markOpen, markClose = "ZQXJ", "JXQZ"

// userinfo is raw cut around its user-info: head, user, ":" pass (when
// hasPass), then tail, which starts at the "@".
type userinfo struct {
	head, user, pass, tail string
	hasPass                bool
}

func (u userinfo) with(user, pass string) string {
	if u.hasPass {
		user += ":" + pass
	}
	return u.head + user + u.tail
}

func (u userinfo) String() string { return u.with(u.user, u.pass) }

// splitUserinfo finds the user-info of raw: what precedes the last "@" of
// the authority (after "scheme://", up to the first "/", "?" or "#"), as
// url.Parse delimits it, also when raw does not parse. Without "//" the
// authority starts at the beginning, which covers "user:pass@host".
func splitUserinfo(raw string) (userinfo, bool) {
	end := strings.IndexAny(raw, "?#")
	if end < 0 {
		end = len(raw)
	}
	start := 0
	if i := strings.Index(raw[:end], "//"); i >= 0 && !strings.Contains(raw[:i], "/") {
		start = i + 2
	}
	authority := raw[start:end]
	if i := strings.Index(authority, "/"); i >= 0 {
		authority = authority[:i]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return userinfo{}, false
	}
	user, pass, hasPass := strings.Cut(authority[:at], ":")
	return userinfo{head: raw[:start], user: user, pass: pass, tail: raw[start+at:], hasPass: hasPass}, true
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
