package ghapi

import (
	"errors"
	"net/url"
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
