package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// Every user-facing message of the provider is worded in diagnostics*.go, one
// function per message (diagnostics_placement_test.go keeps it so): here
// GitHub's answers, the provider's configuration, imports and plan-time
// warnings; restores and versions in diagnostics_restore.go, the token's
// sources in diagnostics_token.go.

// actions words each client operation for messages.
var actions = map[ghapi.Op]string{
	ghapi.OpGet:     "reading",
	ghapi.OpRestore: "restoring",
	// Version calls name the package: "reading a version of package ...".
	ghapi.OpGetVersion:     "reading a version of",
	ghapi.OpRestoreVersion: "restoring a version of",
	ghapi.OpListVersions:   "listing the versions of",
	ghapi.OpGetUser:        "looking up the token's login for",
}

// doing words what a failed call was doing: a listing of packages names
// its namespace (owner/type), not a package, even when the Read of one
// package sent it; every other call names its package.
func doing(op ghapi.Op, ref ghapi.PackageRef) string {
	switch {
	case op == ghapi.OpList:
		return "listing the packages of " + ref.Namespace().String()
	case op == ghapi.OpGetUser && ref.Owner == "":
		return "looking up the token's login"
	case op == ghapi.OpGetOwner:
		return "looking up the account " + ref.Owner
	}
	a, ok := actions[op]
	if !ok {
		a = string(op)
	}
	return a + " " + named(ref)
}

// named names what a reference stands for: a package, or, without a name
// (the reference of a listing), the packages of its namespace.
func named(ref ghapi.PackageRef) string {
	if ref.Name == "" {
		return "the packages of " + ref.Namespace().String()
	}
	return "package " + ref.String()
}

// describeError turns a client error into a diagnostic's summary and detail:
// what happened to which package, what GitHub answered, what to do next.
func describeError(ref ghapi.PackageRef, err error) (string, string) {
	var apiErr *ghapi.Error
	if !errors.As(err, &apiErr) {
		return "Unexpected Error", fmt.Sprintf("%s: %s.", capitalize(named(ref)), err)
	}
	what := fmt.Sprintf("while %s%s, GitHub answered %s", doing(apiErr.Op, ref), pageOf(apiErr), answer(apiErr))
	switch apiErr.Kind {
	case ghapi.KindNotFound:
		if apiErr.Op == ghapi.OpRestoreVersion {
			return "Version Not Restorable", capitalize(what) + ". The version is not among the restorable " +
				"deleted versions of package " + ref.String() + ": it was deleted more than 30 days ago, or it " +
				"is not deleted under this ID, or the token cannot see it."
		}
		if apiErr.Op == ghapi.OpList {
			return "Owner Not Found", capitalize(what) + fmt.Sprintf(". GitHub shows this token no %s named %s: "+
				"check the name, and that %s is %s.", ref.Scope.OwnerWord(), ref.Owner, ref.Owner, accountWord(ref.Scope))
		}
		return "Package Not Found", capitalize(what) + ". The package is not visible to this token: it does not " +
			"exist, was deleted, or the token cannot see it. To bring back a deleted package, declare it in " +
			"configuration and run terraform apply."
	case ghapi.KindUnauthorized:
		return "GitHub Token Rejected", capitalize(what) + ". The token is missing, expired or revoked. Create a " +
			"personal access token (classic) with read:packages and write:packages and set it in the provider's " +
			"token argument or the GITHUB_TOKEN environment variable. " + tokenOrder
	case ghapi.KindForbidden:
		if apiErr.SSORequired {
			return "Token Not Authorized For SSO", capitalize(what) + ". The organisation " + ref.Owner + " uses " +
				"SAML single sign-on, and this token is not authorised for it. On GitHub, open Settings → Developer " +
				"settings → Personal access tokens, choose Configure SSO next to the token, and authorise it for " +
				ref.Owner + "; then run terraform apply again."
		}
		return "Insufficient Token Permissions", capitalize(what) + ". " + scopeAdvice(ref, apiErr)
	case ghapi.KindRateLimited:
		return "GitHub Rate Limit Exceeded", capitalize(what) + ". " + rateLimitAdvice(apiErr)
	case ghapi.KindServer:
		return "GitHub Server Error", capitalize(what) + fmt.Sprintf(" after %s. GitHub may be having an incident "+
			"(see https://www.githubstatus.com); run terraform apply again later.", attempts(apiErr.Attempts))
	case ghapi.KindNetwork:
		return "GitHub Unreachable", fmt.Sprintf("While %s, no complete answer came from %s after %s: "+
			"%s. Check the network and base_url; if the host is reachable but slow, raise request_timeout. Then "+
			"run terraform apply again.", doing(apiErr.Op, ref), hostOf(apiErr), attempts(apiErr.Attempts), apiErr.Message)
	case ghapi.KindMalformed:
		return "Unexpected Answer From GitHub", capitalize(what) + fmt.Sprintf(" after %s. The answer was not a "+
			"GitHub API response; check that base_url points at the GitHub API (GitHub Enterprise Server: the "+
			"host, api/v3/ is added).", attempts(apiErr.Attempts))
	case ghapi.KindNotGitHub:
		host := serverOf(apiErr)
		return "Not a GitHub API Answer", fmt.Sprintf("While %s, %s answered 404 Not Found, but not as GitHub's "+
			"API answers: %s. That answer came from a web server, proxy or API gateway, not from GitHub's API, so it says nothing "+
			"about the package, and Terraform state was left as it was. Check base_url, which sends requests to %s: "+
			"it must reach GitHub's API (https://api.github.com/ for GitHub.com; for GitHub Enterprise Server the "+
			"host, such as https://ghe.example.com, to which api/v3/ is appended), through any proxy unchanged.",
			doing(apiErr.Op, ref), host, apiErr.Message, host)
	case ghapi.KindListingTooLarge:
		return listingTooLarge(ref, apiErr)
	default:
		return "Request Rejected By GitHub", capitalize(what) + "."
	}
}

// listingTooLarge words a listing that went on past ghapi's bounds. GitHub
// documents no such listing of packages, so base_url is the first suspect;
// narrowing the listing, or a report, are the ways on.
func listingTooLarge(ref ghapi.PackageRef, e *ghapi.Error) (string, string) {
	detail := fmt.Sprintf("Listing %s stopped: %s. No partial listing is used. ", listingName(e.Op, ref), e.Message)
	if e.Op == ghapi.OpListVersions {
		detail += "To restore one version of this package, set package_version_id, which needs no listing. " +
			"If the package really holds more versions, "
	} else {
		detail += "GitHub's package listings end at 10,000 packages, so check that base_url reaches GitHub's API " +
			"and not a server that repeats its pages; list one visibility at a time (public, private, internal). " +
			"If the namespace really holds more packages, "
	}
	return "Listing Too Large", detail + "please file an issue at " +
		"https://github.com/ghpkg/terraform-provider-ghpkg/issues saying how many it holds."
}

// describeListingError words a failed listing of op: when its timeout ran
// out, the client's error says only that time ran out, so the bound names
// itself.
func describeListingError(ctx context.Context, bound listingBound, op ghapi.Op, ref ghapi.PackageRef, err error) (string, string) {
	if listingTimedOutIn(ctx) {
		return listingTimedOut(op, ref, bound.attribute, bound.timeout)
	}
	return describeError(ref, err)
}

// listingTimedOut words a listing that did not end within its timeout,
// named by attribute (timeouts.read of a data source, timeouts.list of a
// list resource).
func listingTimedOut(op ghapi.Op, ref ghapi.PackageRef, attribute string, timeout time.Duration) (string, string) {
	narrow := ""
	if op == ghapi.OpList {
		narrow = ", or list one visibility at a time"
	}
	return "Listing Timed Out", fmt.Sprintf("Listing %s did not finish within %s (%s). No partial listing is "+
		"used. GitHub may be slow or making the token wait out a rate limit, or the listing is long: raise %s "+
		"(default %s)%s.", listingName(op, ref), attribute, timeout, attribute, defaultListingTimeout, narrow)
}

// listingName names a listing: the packages of a namespace, or the
// versions of a package.
func listingName(op ghapi.Op, ref ghapi.PackageRef) string {
	if op == ghapi.OpListVersions {
		return "the versions of package " + ref.String()
	}
	return "the packages of " + ref.Namespace().String()
}

// warnPackageGone is the refresh's word on a package that disappeared: a
// plan then shows a create, which reads like a new entry otherwise. A plan
// writes no state, so it says what the plan proposes.
func warnPackageGone(ref ghapi.PackageRef) (string, string) {
	return "Package No Longer Visible", fmt.Sprintf("Package %s is not visible on GitHub any more: it was "+
		"deleted, or the token lost access to it. The plan proposes restoring it (a create of this resource); "+
		"terraform apply restores it while GitHub keeps it restorable, for 30 days after its deletion.", ref)
}

// warnPackageReplaced is the refresh's word on a package deleted and
// published again under the same name: the one this resource protected is
// lost unless it is restored in time.
func warnPackageReplaced(ref ghapi.PackageRef, was, now int64) (string, string) {
	return "Package Replaced By A New One", fmt.Sprintf("Package %s now has package_id %d, but it had %d: the "+
		"package this resource protected was deleted and a new one was published under its name. The original "+
		"can be restored only after the new one is deleted, and only within 30 days of its deletion: delete "+
		"package %d on GitHub, then restore the original (terraform apply -replace on this resource). A "+
		"lifecycle postcondition on package_id turns this warning into a failing plan.", ref, now, was, now)
}

// pageOf names the listing page a listing failed on: a listing of many
// pages fails as a whole, and the page tells how far it got.
func pageOf(e *ghapi.Error) string {
	if e.Page == 0 {
		return ""
	}
	return fmt.Sprintf(" (page %d of the listing)", e.Page)
}

// hostOf names the API host a call went to.
func hostOf(e *ghapi.Error) string {
	if e.Host == "" {
		return "GitHub"
	}
	return e.Host
}

// serverOf names the host that answered in GitHub's stead.
func serverOf(e *ghapi.Error) string {
	if e.Host == "" {
		return "the server"
	}
	return e.Host
}

// answer is the status and GitHub's own message: `403 Forbidden ("...")`.
func answer(e *ghapi.Error) string {
	if e.StatusCode == 0 {
		return "nothing"
	}
	s := e.Status()
	if e.Message != "" {
		s += fmt.Sprintf(" (%q)", e.Message)
	}
	return s
}

// scopeAdvice words what a token needs, following the token table of the
// provider's documentation, next to what the token has.
func scopeAdvice(ref ghapi.PackageRef, e *ghapi.Error) string {
	need := "Reading a package needs a personal access token (classic) with read:packages; restoring needs " +
		"read:packages and write:packages. "
	if ref.Type == "maven" {
		need += "Maven (and Gradle) packages follow repository permissions: restoring them needs repo as well, " +
			"and a GitHub Actions GITHUB_TOKEN only works for packages of the workflow's own repository. "
	} else {
		need += "Packages in registries without granular permissions (npm, NuGet or RubyGems where the v2 " +
			"registry is not enabled) need repo as well. In GitHub Actions, the workflow's GITHUB_TOKEN can " +
			"restore container, npm, NuGet and RubyGems packages when its repository has the admin role on the " +
			"package. "
	}
	if ref.Scope == ghapi.ScopeOrg {
		need += "In an organisation, the token's user must also be an admin of the package (or an organisation " +
			"owner), and the organisation must allow the token's access. "
	}
	switch {
	case !e.ScopesKnown:
		return need + "GitHub reported no scopes for this token: fine-grained tokens and GitHub App tokens " +
			"cannot use the Packages API; use a classic token."
	case len(e.Scopes) == 0:
		return need + "The token has no scopes."
	default:
		return need + "The token has: " + strings.Join(e.Scopes, ", ") + "."
	}
}

func rateLimitAdvice(e *ghapi.Error) string {
	limit := "the primary rate limit"
	if e.SecondaryLimit {
		limit = "a secondary rate limit (too many requests or writes in a short time)"
	}
	lasts := "GitHub did not say for how long; wait a minute"
	switch {
	case !e.RateLimitReset.IsZero():
		lasts = "it resets at " + e.RateLimitReset.UTC().Format(time.RFC3339)
	case e.RetryAfter > 0:
		lasts = fmt.Sprintf("GitHub asked to wait %s", e.RetryAfter)
	}
	return fmt.Sprintf("The token hit %s after %s; %s. ghpkg waits out rate limits for as long as the "+
		"operation's time allows (timeouts.create for a restore), and this one outlasts it. Run terraform "+
		"apply again after that, or raise timeouts.create.", limit, attempts(e.Attempts), lasts)
}

// accountWord names a kind of owner as GitHub's account types do.
func accountWord(scope ghapi.Scope) string {
	if scope == ghapi.ScopeOrg {
		return "an organization"
	}
	return "a user"
}

// tokenOrder is the lookup order of the provider's token, as users of gh
// and of the GitHub provider expect it.
const tokenOrder = "ghpkg takes the first token it finds in: the provider's token argument, the GITHUB_TOKEN " +
	"environment variable, the GH_TOKEN environment variable, then gh auth token (when the GitHub CLI is " +
	"installed and logged in to the base_url host)."

func attempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// invalidImportID words an import ID that names no package or version:
// its form, and an example of the resource's own.
func invalidImportID(owner ownerSpec, id string, withVersion bool, err error) (string, string) {
	form, example := owner.attribute+"/package_type/package_name", owner.packageImport
	if withVersion {
		form, example = form+"/version_id", owner.versionImport
	}
	return "Invalid Import ID", fmt.Sprintf("Cannot import %q: %s. Use %s, for example %s.", id, err, form, example)
}

// invalidImportIdentity words an import identity (an import block's
// identity = { ... }) that names no package or version.
func invalidImportIdentity(owner ownerSpec, err error) (string, string) {
	return "Invalid Import Identity", fmt.Sprintf("Cannot import by identity: %s. Give %s, package_type and "+
		"package_name as in the resource's configuration (and package_version_id, a number, for a version).",
		err, owner.attribute)
}

// providerBug words a failure that only a bug in ghpkg can cause.
func providerBug(what string, err error) (string, string) {
	return "Unexpected Provider Error", fmt.Sprintf("ghpkg failed %s: %s. This is a bug in the provider; "+
		"please report it with the Terraform and provider versions.", what, err)
}

// The provider's configuration.

func invalidRequestTimeout(err error) (string, string) {
	return "Invalid Request Timeout", err.Error()
}

func invalidBaseURL(err error) (string, string) {
	return "Invalid GitHub Base URL", err.Error() + ". Set base_url (or GITHUB_BASE_URL) to " +
		"https://api.github.com/ or a GitHub Enterprise Server host."
}

// notConfigured words a resource used while the provider has no client:
// its token or base_url is known only after apply.
func notConfigured() (string, string) {
	return "Provider Not Configured", "The ghpkg provider has no GitHub client: its token or base_url is not " +
		"known yet. Use values known at plan time for the provider configuration."
}

func unexpectedProviderData(configured any) (string, string) {
	return "Unexpected Provider Data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the "+
		"provider; please report it.", configured)
}

// leftInPlace says, once per apply, that a destroy deleted nothing.
func leftInPlace() (string, string) {
	return "Packages Left In Place", "ghpkg removed resources from Terraform state only: no package or version " +
		"was deleted on GitHub, and none will be. This is said once per apply, whatever the number of " +
		"resources destroyed."
}

// ownerPrefixed words a package_name that starts with its owner (the value
// of attribute), as names copied from ghcr.io/OWNER/NAME do; rest is the
// name without it.
func ownerPrefixed(name, owner, attribute, rest string) (string, string) {
	prefix := owner + "/"
	return "Package Name Starts With Its Owner", fmt.Sprintf("package_name %q starts with %q, the %s. GitHub "+
		"names a package without its owner: if this was copied from ghcr.io/%s%s, use package_name = %q. Keep "+
		"it only when the package is linked to a repository that is itself named %q.", name, prefix, attribute,
		prefix, rest, rest, owner)
}
