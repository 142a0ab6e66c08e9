package acctest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghfake"
)

// Owner is the user every acceptance test names. Against GitHub, the
// recorded server sends GHPKG_ACC_OWNER instead, so cassettes and configs
// stay the same whoever records them.
const Owner = "octocat"

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

// anonymize writes Owner for the live owner in the answer, so a cassette
// recorded by any maintainer reads like the tests that replay it.
func (l *Live) anonymize(resp *http.Response) (*http.Response, error) {
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	body = bytes.ReplaceAll(body, []byte(l.Owner), []byte(Owner))
	for _, values := range resp.Header {
		for i, v := range values {
			values[i] = strings.ReplaceAll(v, l.Owner, Owner)
		}
	}
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// url maps an api.github.com path onto the live API and the live owner.
func (l *Live) url(escapedPath, rawQuery string) (*url.URL, error) {
	rel := strings.TrimPrefix(escapedPath, "/")
	if rest, ok := strings.CutPrefix(rel, "users/"+Owner+"/"); ok {
		rel = "users/" + url.PathEscape(l.Owner) + "/" + rest
	}
	if rawQuery != "" {
		rel += "?" + rawQuery
	}
	return url.Parse(l.BaseURL.String() + rel)
}

// ensureVisible restores p on GitHub when it is not visible.
func (l *Live) ensureVisible(ctx context.Context, p ghfake.Package) error {
	status, err := l.send(ctx, http.MethodGet, p, "")
	if err != nil || status == http.StatusOK {
		return err
	}
	return l.expect(ctx, http.MethodPost, p, "/restore", http.StatusNoContent)
}

// ensureDeleted deletes p on GitHub (the test then restores it).
func (l *Live) ensureDeleted(ctx context.Context, p ghfake.Package) error {
	status, err := l.send(ctx, http.MethodDelete, p, "")
	if err != nil || status == http.StatusNoContent || status == http.StatusNotFound {
		return err
	}
	return fmt.Errorf("DELETE of %s/%s/%s answered %d; the token needs delete:packages", l.Owner, p.Type, p.Name, status)
}

func (l *Live) expect(ctx context.Context, method string, p ghfake.Package, suffix string, want int) error {
	status, err := l.send(ctx, method, p, suffix)
	if err == nil && status != want {
		err = fmt.Errorf("%s of %s/%s/%s%s answered %d, want %d", method, l.Owner, p.Type, p.Name, suffix, status, want)
	}
	return err
}

func (l *Live) send(ctx context.Context, method string, p ghfake.Package, suffix string) (int, error) {
	target, err := l.url("/users/"+Owner+"/packages/"+url.PathEscape(p.Type)+"/"+url.PathEscape(p.Name)+suffix, "")
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, method, target.String(), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+l.Token)
	req.Header.Set("Accept", "application/vnd.github+json")
	resp, err := l.Transport.RoundTrip(req)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}
