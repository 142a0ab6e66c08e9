package ghapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// publicParams are the query parameters that may appear in logs and errors;
// every other value (the restore call's token above all) is redacted.
var publicParams = map[string]bool{"package_type": true, "per_page": true, "page": true, "state": true, "visibility": true}

// redactedValue replaces a query value that must not be shown.
const redactedValue = "REDACTED"

// RedactURL returns the URL as it may be shown: no user-info, and only the
// values of publicParams in its query.
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		for k, values := range q {
			if !publicParams[k] {
				for i := range values {
					values[i] = redactedValue
				}
			}
		}
		c.RawQuery = q.Encode()
	}
	return c.String()
}

// redactError rewrites every *url.Error in err's chain so that its text
// carries the redacted URL. net/http wraps each failure in a *url.Error with
// the full request URL, restore token included; every error leaving the
// HTTP stack passes through here before it is logged or returned.
func redactError(err error) error {
	if err == nil {
		return nil
	}
	var urlErr *url.Error
	if !errors.As(err, &urlErr) {
		return err
	}
	if outer, ok := err.(*url.Error); ok { //nolint:errorlint // rebuilding this exact layer
		return &url.Error{Op: outer.Op, URL: redactRawURL(outer.URL), Err: redactError(outer.Err)}
	}
	// A *url.Error deeper in the chain: keep only its redacted form, since
	// the wrapping layers' text embeds it.
	return &url.Error{Op: urlErr.Op, URL: redactRawURL(urlErr.URL), Err: redactError(urlErr.Err)}
}

func redactRawURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return RedactURL(u)
}

// secretReplacer redacts secrets from server-supplied text, in each of
// their secretForms.
func secretReplacer(secrets []string) *strings.Replacer {
	forms := secretForms(secrets)
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, redactedValue)
	}
	return strings.NewReplacer(pairs...)
}

// secretForms are the forms a server or a formatter may give each secret:
// raw (also after "Bearer "), query-escaped, path-escaped, and Go-quoted as
// %q and %#v print it; longest first, since a replacer tries them in order
// and a secret that contains another must not be left half shown.
// Empty secrets are skipped. Any other is redacted however short, from
// whole fields (a message mixes the server's text with ours): a
// one-character token garbles every message holding that character, which
// is better than showing a token. GitHub's tokens are 40 characters or
// more, so only a misconfiguration or a test pays this.
func secretForms(secrets []string) []string {
	var forms []string
	for _, s := range secrets {
		if s = strings.TrimSpace(s); s != "" {
			quoted := strconv.Quote(s)
			forms = append(forms, s, url.QueryEscape(s), url.PathEscape(s), quoted[1:len(quoted)-1])
		}
	}
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	return forms
}

// requestSecrets are the tokens a request carries: the provider token in
// its Authorization header and the restore call's token query value.
func requestSecrets(req *http.Request) []string {
	return []string{strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer "), req.URL.Query().Get("token")}
}

// redact removes the secrets from every server-supplied field of e and
// sets its cause from err.
func (e *Error) redact(r *strings.Replacer, err error) {
	e.Message = r.Replace(e.Message)
	for i, s := range e.Scopes {
		e.Scopes[i] = r.Replace(s)
	}
	e.Err = plainCause(r, err)
}

// plainCause keeps of err only its redacted text and whether a context
// ended, which callers test with errors.Is. go-github's errors are dropped
// whole: they hold the request and the response, and e already carries
// their status and message.
func plainCause(r *strings.Replacer, err error) error {
	if _, fromGitHub := gitHubMessage(err); err == nil || fromGitHub {
		return nil
	}
	c := &cause{text: r.Replace(err.Error())}
	for _, sentinel := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, sentinel) {
			c.sentinel = sentinel
		}
	}
	return c
}

// cause is what an *Error keeps of the failure beneath it: text, and the
// context's error when a context ended.
type cause struct {
	text     string
	sentinel error
}

func (c *cause) Error() string { return c.text }

func (c *cause) Unwrap() error { return c.sentinel }
