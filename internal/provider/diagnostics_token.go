package provider

import (
	"fmt"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// The wording of the provider's token: where ghpkg looks for it, where it
// came from when GitHub rejects it, and none found. Never the token.

// String names where the token came from: "the token from GH_TOKEN".
func (s tokenSource) String() string {
	switch s.origin {
	case tokenArgument:
		return "the token from the provider's token argument"
	case tokenGitHubEnv:
		return "the token from " + envToken
	case tokenGHEnv:
		return "the token from " + envGHToken
	case tokenGHCLI:
		return "the token from gh auth token --hostname " + s.ghHost
	}
	return "the token"
}

// tokenSourceNote says, after an error about a rejected token, which token
// it was, and which sources before it were unset.
func tokenSourceNote(s tokenSource) string {
	switch s.origin {
	case tokenArgument:
		return " GitHub rejected " + s.String() + "."
	case tokenGitHubEnv:
		return " GitHub rejected " + s.String() + " (the provider's token argument is not set)."
	case tokenGHEnv:
		return " GitHub rejected " + s.String() + " (neither the provider's token argument nor GITHUB_TOKEN " +
			"is set)."
	case tokenGHCLI:
		return fmt.Sprintf(" GitHub rejected %s (none of the provider's token argument, GITHUB_TOKEN and GH_TOKEN "+
			"is set). To renew gh's login with the scopes ghpkg needs, run gh auth refresh --hostname %s --scopes "+
			"read:packages,write:packages.", s, s.ghHost)
	}
	return ""
}

// rejectedAgain is the one-line error of a later rejection of the token in
// a run: the first one explained it in full.
func rejectedAgain(e *ghapi.Error, summary string, s tokenSource) string {
	return fmt.Sprintf("While %s, GitHub rejected %s with %s, as for an earlier package. The first %q error "+
		"of this run says what to do.", doing(e.Op, e.Ref), s, answer(e), summary)
}

// missingToken words a configuration where no source gave a token; ghErr
// says why gh gave none (nil when gh is not installed or not asked).
func missingToken(ghErr error) (string, string) {
	gh := ""
	if ghErr != nil {
		gh = " (" + ghErr.Error() + ")"
	}
	return "Missing GitHub Token", "ghpkg needs a GitHub personal access token (classic) with read:packages and " +
		"write:packages, and found none" + gh + ". " + tokenOrder + " Set the provider's token argument (for " +
		"example token = var.github_token) or the GITHUB_TOKEN environment variable, or log in with gh auth login."
}
