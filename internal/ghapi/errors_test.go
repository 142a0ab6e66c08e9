package ghapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
)

// The two secrets a call may carry. The restore token has characters that
// query and path escaping change, so that escaped echoes are tried too.
const (
	providerSecret = "PROVIDER_SECRET_0123456789"
	restoreToken   = "RESTORE_SECRET+/=x"
)

// TestNoSecretInErrors drives hostile and ordinary failures through a real
// client and looks for either secret anywhere in the error: its text, its
// formatting, every error of its chain and every value reachable from it.
func TestNoSecretInErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		restore bool // RestorePackage with restoreToken, else GetPackage
		handler http.HandlerFunc
	}{
		{"gateway 404 naming the restore URL", true, answer(404, jsonType, func(r *http.Request) string {
			return fmt.Sprintf(`{"message":"no route for %s"}`, r.URL.RequestURI())
		})},
		{"GitHub 404 on restore", true, answer(404, jsonType, func(*http.Request) string {
			return `{"message":"Package not found.","documentation_url":"https://docs.github.com/rest"}`
		})},
		{"401 on restore", true, answer(401, jsonType, func(*http.Request) string {
			return `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`
		})},
		{"500 text echoing the header on restore", true, echoAuthorization(500, "text/plain")},
		{"500 text echoing the header on get", false, echoAuthorization(500, "text/plain")},
		{"500 JSON echoing the header", false, answer(500, "text/plain", func(r *http.Request) string {
			return fmt.Sprintf(`{"message":"upstream refused Authorization: %s"}`, r.Header.Get("Authorization"))
		})},
		{"200 HTML echoing the restore query", true, answer(200, "text/html", func(r *http.Request) string {
			return "sign in: " + r.URL.RawQuery
		})},
		{"200 HTML whose excerpt would cut the token", false, answer(200, "text/html", func(r *http.Request) string {
			return strings.Repeat("x", 45) + " " + r.Header.Get("Authorization")
		})},
		{"200 HTML whose excerpt window would cut the token", false, answer(200, "text/html", func(r *http.Request) string {
			return strings.Repeat(" ", 226) + r.Header.Get("Authorization")
		})},
		{"403 with the token in X-OAuth-Scopes", false, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-OAuth-Scopes", "read:packages, "+r.Header.Get("Authorization"))
			answer(403, jsonType, func(*http.Request) string { return `{"message":"Forbidden"}` })(w, r)
		}},
		{"connection reset on restore", true, func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := httptest.NewServer(tc.handler)
			t.Cleanup(ts.Close)
			client, err := New(Config{Token: providerSecret, BaseURL: ts.URL})
			if err != nil {
				t.Fatal(err)
			}
			if tc.restore {
				err = client.RestorePackage(t.Context(), app, restoreToken)
			} else {
				_, err = client.GetPackage(t.Context(), app)
			}
			if err == nil {
				t.Fatal("the call succeeded; the check proves nothing")
			}
			if leak := secretIn(err); leak != "" {
				t.Fatal(leak)
			}
		})
	}
}

// answer answers status with a body made from the request.
func answer(status int, contentType string, body func(*http.Request) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body(r)))
	}
}

// echoAuthorization is a broken server that prints the request's headers.
func echoAuthorization(status int, contentType string) http.HandlerFunc {
	return answer(status, contentType, func(r *http.Request) string {
		return "upstream failed for " + r.Method + " " + r.URL.String() + "\nAuthorization: " + r.Header.Get("Authorization")
	})
}

// TestCauseKeepsContextErrors: the plain cause that replaces the HTTP
// stack's error still tells a cancelled or expired context.
func TestCauseKeepsContextErrors(t *testing.T) {
	t.Parallel()
	for _, want := range []error{context.Canceled, context.DeadlineExceeded} {
		t.Run(want.Error(), func(t *testing.T) {
			t.Parallel()
			raw := &url.Error{Op: "Post", URL: "https://h/p/restore?token=" + restoreToken, Err: want}
			err := classify(OpRestore, app, nil, raw, []string{providerSecret, restoreToken})
			if !errors.Is(err, want) {
				t.Errorf("errors.Is(%v, %v) = false", err, want)
			}
			if leak := secretIn(err); leak != "" {
				t.Error(leak)
			}
		})
	}
}

// secretIn describes where err shows a secret, or returns "".
func secretIn(err error) string {
	for _, link := range chain(err) {
		if leak := secretInValue(link); leak != "" {
			return fmt.Sprintf("%T in the chain: %s", link, leak)
		}
	}
	targets := []any{new(*Error), new(*github.ErrorResponse), new(*github.RateLimitError), new(*github.AbuseRateLimitError),
		new(*url.Error), new(*NotJSONError), new(*CutShortError), new(*AttemptTimeoutError)}
	for _, target := range targets {
		if errors.As(err, target) {
			if leak := secretInValue(reflect.ValueOf(target).Elem().Interface()); leak != "" {
				return fmt.Sprintf("errors.As(%T): %s", target, leak)
			}
		}
	}
	return ""
}

// chain is err and every error it wraps, through Unwrap() error and
// Unwrap() []error.
func chain(err error) []error {
	var links []error
	for todo := []error{err}; len(todo) > 0; {
		e := todo[0]
		todo = todo[1:]
		if e == nil {
			continue
		}
		links = append(links, e)
		switch u := e.(type) { //nolint:errorlint // walking the chain by hand
		case interface{ Unwrap() error }:
			todo = append(todo, u.Unwrap())
		case interface{ Unwrap() []error }:
			todo = append(todo, u.Unwrap()...)
		}
	}
	return links
}

// secretInValue looks for a secret in v's formatting and in every string
// reachable from it, exported or not.
func secretInValue(v any) string {
	text := fmt.Sprintf("%v %+v %#v", v, v, v)
	if s := leakedPart(text); s != "" {
		return fmt.Sprintf("formatted %q shows %q", text, s)
	}
	var leak string
	walkStrings(reflect.ValueOf(v), map[uintptr]bool{}, 0, func(s string) bool {
		leak = leakedPart(s)
		return leak != ""
	})
	if leak != "" {
		return fmt.Sprintf("a value reachable from it holds %q", leak)
	}
	return ""
}

// leakedPart is the first part of a secret that s shows: six characters
// are enough to catch a token cut short by an excerpt.
func leakedPart(s string) string {
	const part = 6
	for _, secret := range []string{providerSecret, restoreToken} {
		for i := 0; i+part <= len(secret); i++ {
			if strings.Contains(s, secret[i:i+part]) {
				return secret[i : i+part]
			}
		}
	}
	return ""
}

// walkStrings calls found with every string and byte slice reachable from
// v until found returns true; it reports whether it did.
func walkStrings(v reflect.Value, seen map[uintptr]bool, depth int, found func(string) bool) bool {
	if depth > 30 || !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.String:
		return found(v.String())
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if v.IsNil() || (v.Kind() != reflect.Slice && seen[v.Pointer()]) {
			return false
		}
		seen[v.Pointer()] = true
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return walkStrings(v.Elem(), seen, depth+1, found)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 && v.Kind() == reflect.Slice {
			return found(string(v.Bytes()))
		}
		for i := range v.Len() {
			if walkStrings(v.Index(i), seen, depth+1, found) {
				return true
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if walkStrings(v.Field(i), seen, depth+1, found) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if walkStrings(it.Key(), seen, depth+1, found) || walkStrings(it.Value(), seen, depth+1, found) {
				return true
			}
		}
	}
	return false
}
