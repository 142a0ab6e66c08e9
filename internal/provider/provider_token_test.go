package provider

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestResolveToken(t *testing.T) {
	t.Parallel()
	errNoLogin := errors.New("gh auth token found no token")
	tests := map[string]struct {
		attr      types.String
		env       map[string]string
		gh        string // what gh prints
		ghErr     error
		ghHost    string
		want      string
		wantFrom  tokenSource
		wantGHErr error
		ghAsked   []string
	}{
		"argument first": {attr: types.StringValue("arg"), env: map[string]string{envToken: "env", envGHToken: "gh-env"},
			ghHost: "github.com", want: "arg", wantFrom: tokenSource{origin: tokenArgument}},
		"GITHUB_TOKEN second": {attr: types.StringNull(), env: map[string]string{envToken: "env", envGHToken: "gh-env"},
			ghHost: "github.com", want: "env", wantFrom: tokenSource{origin: tokenGitHubEnv}},
		"an empty argument is unset": {attr: types.StringValue(" \n"), env: map[string]string{envToken: "env"},
			ghHost: "github.com", want: "env", wantFrom: tokenSource{origin: tokenGitHubEnv}},
		"GH_TOKEN third": {attr: types.StringNull(), env: map[string]string{envToken: " ", envGHToken: "gh-env\n"},
			ghHost: "github.com", want: "gh-env", wantFrom: tokenSource{origin: tokenGHEnv}},
		"gh last, for the base_url host": {attr: types.StringNull(), gh: "gho_cli\n", ghHost: "ghe.example.com",
			want: "gho_cli", wantFrom: tokenSource{origin: tokenGHCLI, ghHost: "ghe.example.com"}, ghAsked: []string{"ghe.example.com"}},
		"gh not logged in": {attr: types.StringNull(), ghErr: errNoLogin, ghHost: "github.com",
			wantGHErr: errNoLogin, ghAsked: []string{"github.com"}},
		"gh prints nothing":             {attr: types.StringNull(), gh: "\n", ghHost: "github.com", ghAsked: []string{"github.com"}},
		"no gh for an invalid base_url": {attr: types.StringNull(), gh: "gho_cli", ghHost: ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var asked []string
			gh := func(_ context.Context, host string) (string, error) {
				asked = append(asked, host)
				return tc.gh, tc.ghErr
			}
			getenv := func(k string) string { return tc.env[k] }
			token, from, ghErr := resolveToken(t.Context(), tc.attr, getenv, gh, tc.ghHost)
			if diff := cmp.Diff(tc.want, token); diff != "" {
				t.Errorf("token (-want +got):\n%s", diff)
			}
			if from != tc.wantFrom || !errors.Is(ghErr, tc.wantGHErr) {
				t.Errorf("source %+v, gh error %v; want %+v, %v", from, ghErr, tc.wantFrom, tc.wantGHErr)
			}
			if diff := cmp.Diff(tc.ghAsked, asked); diff != "" {
				t.Errorf("gh asked for (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGHHostOf(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"":                                 "github.com",
		"https://api.github.com/":          "github.com",
		"https://github.com":               "github.com",
		"https://octocorp.ghe.com":         "octocorp.ghe.com",
		"https://api.octocorp.ghe.com/":    "octocorp.ghe.com",
		"https://ghe.example.com":          "ghe.example.com",
		"https://ghe.example.com:8443/api": "ghe.example.com:8443",
		"http://127.0.0.1:8787":            "127.0.0.1:8787",
		"http://ghe.example.com":           "",
		"https://user:secret@example.com":  "",
	}
	for baseURL, want := range tests {
		t.Run(baseURL, func(t *testing.T) {
			t.Parallel()
			if got := ghHostOf(baseURL); got != want {
				t.Errorf("ghHostOf(%q) = %q, want %q", baseURL, got, want)
			}
		})
	}
}

// fakeGH puts a gh script running body first on PATH; its arguments land
// in the returned file.
func fakeGH(t *testing.T, body string) (argsFile string) {
	t.Helper()
	dir := t.TempDir()
	argsFile = filepath.Join(dir, "args")
	script := "#!/bin/sh\necho \"$@\" > " + argsFile + "\n" + body + "\n"
	if err := os.WriteFile(filepath.Join(dir, "gh"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return argsFile
}

// The real gh, replaced by a script: asked for the host, bounded in time,
// and none of its output in an error.
func TestGHCLIToken(t *testing.T) {
	const secret = "gho_secretFromGH0123456789"
	tests := map[string]struct {
		body    string
		want    string
		wantErr error
	}{
		"logged in":     {body: "echo " + secret, want: secret + "\n"},
		"not logged in": {body: "echo 'no oauth token found for ghe.example.com' >&2; echo " + secret + "; exit 1", wantErr: errGHFailed},
		"hangs":         {body: "sleep 30", wantErr: errGHTimedOut},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			argsFile := fakeGH(t, tc.body)
			got, err := ghCLIToken(200*time.Millisecond)(t.Context(), "ghe.example.com")
			if got != tc.want || !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %q, %v; want %q, %v", got, err, tc.want, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("the error quotes gh's output: %v", err)
			}
			if args, _ := os.ReadFile(argsFile); string(args) != "auth token --hostname ghe.example.com\n" {
				t.Errorf("gh ran with %q", args)
			}
		})
	}
	t.Run("not installed", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		if got, err := ghCLIToken(time.Second)(t.Context(), "github.com"); got != "" || err != nil {
			t.Fatalf("got %q, %v; want nothing", got, err)
		}
	})
}
