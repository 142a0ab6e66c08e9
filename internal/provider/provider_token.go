package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// The token's environment variables: GITHUB_TOKEN, as the GitHub provider
// reads it, then gh's own GH_TOKEN, as gh and the GitHub provider do.
const (
	envToken   = "GITHUB_TOKEN"
	envGHToken = "GH_TOKEN"
)

// ghTimeout bounds `gh auth token`: it reads gh's configuration or the
// system keyring, and a keyring that waits for a password must not hang
// a plan.
const ghTimeout = 5 * time.Second

// tokenOrigin is where a token was found, in lookup order.
type tokenOrigin int

const (
	tokenNone tokenOrigin = iota
	tokenArgument
	tokenGitHubEnv
	tokenGHEnv
	tokenGHCLI
)

// tokenSource says where the provider's token came from, for messages
// about a rejected token; it never holds the token.
type tokenSource struct {
	origin tokenOrigin
	// ghHost is the host `gh auth token` was asked for.
	ghHost string
}

// ghTokenFunc runs `gh auth token --hostname host` and returns its token:
// "" with a nil error when gh is not installed, an error (that quotes none
// of gh's output) when gh fails or runs out of time.
type ghTokenFunc func(ctx context.Context, host string) (string, error)

// resolveToken resolves token: the attribute, else GITHUB_TOKEN, else
// GH_TOKEN, else `gh auth token` for the API's host (ghHost, "" when the
// base_url is invalid: gh is then not asked). Blank values count as unset
// and whitespace is trimmed (a token read from a file ends in a newline).
// ghErr says why gh gave nothing, for the missing-token error.
func resolveToken(ctx context.Context, attr types.String, getenv func(string) string, gh ghTokenFunc, ghHost string) (token string, source tokenSource, ghErr error) {
	for _, candidate := range []struct {
		value  string
		origin tokenOrigin
	}{
		{attr.ValueString(), tokenArgument},
		{getenv(envToken), tokenGitHubEnv},
		{getenv(envGHToken), tokenGHEnv},
	} {
		if t := strings.TrimSpace(candidate.value); t != "" {
			return t, tokenSource{origin: candidate.origin}, nil
		}
	}
	if ghHost == "" || gh == nil {
		return "", tokenSource{}, nil
	}
	t, err := gh(ctx, ghHost)
	if t = strings.TrimSpace(t); err != nil || t == "" {
		return "", tokenSource{}, err
	}
	return t, tokenSource{origin: tokenGHCLI, ghHost: ghHost}, nil
}

// ghHostOf is the host gh knows the API of base_url by: github.com for
// GitHub.com, <tenant>.ghe.com for GitHub Enterprise Cloud with data
// residency, else the API's host (GitHub Enterprise Server). "" when
// base_url is invalid (Configure reports that).
func ghHostOf(baseURL string) string {
	u, err := ghapi.ResolveBaseURL(baseURL)
	if err != nil {
		return ""
	}
	if u.Host == "api.github.com" {
		return "github.com"
	}
	if tenant, ok := strings.CutPrefix(u.Host, "api."); ok && strings.HasSuffix(tenant, ".ghe.com") {
		return tenant
	}
	return u.Host
}

// errGHTimedOut and errGHFailed say why gh gave no token; neither quotes
// gh's output, which may hold a token.
var (
	errGHTimedOut = errors.New("gh auth token did not answer in time")
	errGHFailed   = errors.New("gh auth token found no token")
)

// ghCLIToken is the ghTokenFunc of the real gh, when it is on PATH, bounded
// by timeout (ghTimeout). The host is always named: without --hostname, gh
// answers for its default host (GH_HOST), whose token must not go to
// another host's API.
func ghCLIToken(timeout time.Duration) ghTokenFunc {
	return func(ctx context.Context, host string) (string, error) {
		gh, err := exec.LookPath("gh")
		if err != nil {
			return "", nil
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, gh, "auth", "token", "--hostname", host)
		cmd.Stdin, cmd.Stderr = nil, io.Discard
		// A child of gh that keeps stdout open must not outlive the bound.
		cmd.WaitDelay = time.Second
		out, err := cmd.Output()
		switch {
		case ctx.Err() != nil:
			return "", fmt.Errorf("%w (%s)", errGHTimedOut, timeout)
		case err != nil:
			return "", errGHFailed
		}
		return string(out), nil
	}
}
