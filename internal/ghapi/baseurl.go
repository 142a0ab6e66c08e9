package ghapi

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// errBaseURLCredentials quotes nothing of the input: whatever precedes the
// "@" is a secret.
var errBaseURLCredentials = errors.New(`base_url must not contain credentials (anything before an "@"): ` +
	`credentials do not belong in base_url; set the provider's token argument or GITHUB_TOKEN instead`)

// ResolveBaseURL applies the base_url rules and returns the REST API root,
// ending in "/":
//   - empty, github.com, www.github.com and api.github.com mean GitHub.com;
//   - <tenant>.ghe.com and api.<tenant>.ghe.com mean GitHub Enterprise Cloud
//     with data residency, at api.<tenant>.ghe.com;
//   - any other host is GitHub Enterprise Server and gets api/v3/.
//
// Hosts compare case-insensitively and without their scheme's default port.
// Plain http is accepted only for loopback hosts, so a token never crosses
// a network in clear text. No error quotes user-info, a query or a fragment.
func ResolveBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		return url.Parse(DefaultBaseURL)
	}
	// Checked on the raw text, before url.Parse, whose errors quote their
	// input: user-info needs an "@" before any "?" or "#" under any parser.
	end := strings.IndexAny(raw, "?#")
	if end < 0 {
		end = len(raw)
	}
	if strings.Contains(raw[:end], "@") {
		return nil, errBaseURLCredentials
	}
	if end < len(raw) {
		part := `a query ("?...")`
		if raw[end] == '#' {
			part = `a fragment ("#...")`
		}
		return nil, fmt.Errorf("base_url must not contain %s; use only scheme, host and path, such as https://ghe.example.com/api/v3/", part)
	}
	// From here raw is scheme://host/path at most, so errors may quote it.
	u, err := url.Parse(raw)
	if err != nil {
		if urlErr := (*url.Error)(nil); errors.As(err, &urlErr) {
			err = urlErr.Err // its text repeats raw
		}
		return nil, fmt.Errorf("base_url %q is not a valid URL (%w); use a URL such as https://ghe.example.com", raw, err)
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return nil, fmt.Errorf("base_url %q has no host; use a full URL such as https://ghe.example.com", raw)
	}
	if strings.Contains(host, ":") && !strings.HasPrefix(u.Host, "[") { // url.Parse allows it under GODEBUG=urlstrictcolons=0
		return nil, fmt.Errorf(`base_url %q is not a valid URL (a ":" in the host outside brackets); use a host with at most a port, such as https://ghe.example.com:8443 or https://[2001:db8::1]`, raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(host) {
			return nil, fmt.Errorf("base_url %q must use https; plain http is accepted only for loopback hosts such as 127.0.0.1", raw)
		}
	case "":
		return nil, fmt.Errorf("base_url %q has no scheme; start it with https://, such as https://ghe.example.com", raw)
	default:
		return nil, fmt.Errorf("base_url %q uses the scheme %q; use https (plain http is accepted only for loopback hosts such as 127.0.0.1)", raw, u.Scheme)
	}
	port := u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		port = ""
	}
	root := u.Path == "" || u.Path == "/"
	if port == "" { // with another port, the host is not GitHub's
		switch {
		case host == "api.github.com" || host == "github.com" || host == "www.github.com":
			if !root {
				return nil, fmt.Errorf("base_url %q has a path, but GitHub.com's API has none; use https://api.github.com/", raw)
			}
			return url.Parse(DefaultBaseURL)
		case host == "ghe.com" || strings.HasSuffix(host, ".ghe.com"):
			return gheCloudURL(raw, host, root)
		}
	}
	u.Host = host
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	if !strings.HasSuffix(u.Path, "/api/v3/") {
		u.Path += "api/v3/"
	}
	u.RawPath = ""
	return u, nil
}

// gheCloudURL maps <tenant>.ghe.com and api.<tenant>.ghe.com to the
// tenant's API. Other names under ghe.com are GitHub's, not an API, so
// they are refused rather than taken for GitHub Enterprise Server.
func gheCloudURL(raw, host string, root bool) (*url.URL, error) {
	tenant := strings.TrimSuffix(host, ".ghe.com")
	if rest, ok := strings.CutPrefix(tenant, "api."); ok {
		tenant = rest
	}
	if host == "ghe.com" || tenant == "" || strings.Contains(tenant, ".") {
		return nil, fmt.Errorf("base_url host %q is not a GitHub Enterprise Cloud tenant; use https://<tenant>.ghe.com or https://api.<tenant>.ghe.com/", host)
	}
	api := "api." + tenant + ".ghe.com"
	if !root {
		return nil, fmt.Errorf("base_url %q has a path, but the GitHub Enterprise Cloud API has none; use https://%s/", raw, api)
	}
	return &url.URL{Scheme: "https", Host: api, Path: "/"}, nil
}

// isLoopback reports whether host (lower case, no brackets) never leaves
// the machine: localhost, 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
