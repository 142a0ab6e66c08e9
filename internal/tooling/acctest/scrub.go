package acctest

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
)

// Redacted replaces every secret before an interaction is written.
const Redacted = "REDACTED"

// tokenPattern matches GitHub's token formats: classic and OAuth, server,
// user and refresh tokens, and fine-grained personal access tokens.
var tokenPattern = regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,})`)

// queryTokenPattern matches a token query parameter in a URL or form body.
var queryTokenPattern = regexp.MustCompile(`(?i)([?&]token=)([^&\s"']*)`)

// secretHeaders never keep their values; cookies are secrets too.
var secretHeaders = []string{"Authorization", "Cookie", "Set-Cookie", "X-Github-Sso"}

// ScrubText replaces token-like strings and token query values.
func ScrubText(s string) string {
	s = tokenPattern.ReplaceAllString(s, Redacted)
	return queryTokenPattern.ReplaceAllString(s, "${1}"+Redacted)
}

// ScrubQuery returns the query with the restore token's value replaced and
// any token-like value scrubbed.
func ScrubQuery(q url.Values) url.Values {
	out := url.Values{}
	for key, values := range q {
		for _, v := range values {
			if strings.EqualFold(key, "token") {
				v = Redacted
			}
			out.Add(key, ScrubText(v))
		}
	}
	return out
}

// ScrubHeader replaces secret header values and token-like strings in all
// other values, in place.
func ScrubHeader(h http.Header) {
	for key, values := range h {
		for i, v := range values {
			values[i] = ScrubText(v)
		}
		for _, secret := range secretHeaders {
			if http.CanonicalHeaderKey(key) == secret {
				h[key] = []string{Redacted}
			}
		}
	}
}

// ScanSecrets returns the secret-looking strings in a cassette: a token
// format anywhere, a token query value or a credential header that is not the
// placeholder. A test runs it over every cassette in the repository.
func ScanSecrets(raw []byte, c *cassette.Cassette) []string {
	found := tokenPattern.FindAllString(string(raw), -1)
	for _, m := range queryTokenPattern.FindAllStringSubmatch(string(raw), -1) {
		if m[2] != Redacted {
			found = append(found, m[0])
		}
	}
	for _, i := range c.Interactions {
		for _, h := range []http.Header{i.Request.Headers, i.Response.Headers} {
			for key, values := range h {
				for _, secret := range secretHeaders {
					if http.CanonicalHeaderKey(key) == secret && (len(values) != 1 || values[0] != Redacted) {
						found = append(found, fmt.Sprintf("interaction %d: %s header %q", i.ID, key, values))
					}
				}
			}
		}
	}
	return found
}
