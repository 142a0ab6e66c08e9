package provider

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// actions words each client operation for messages.
var actions = map[ghapi.Op]string{
	ghapi.OpGet:     "reading",
	ghapi.OpRestore: "restoring",
	ghapi.OpList:    "listing the packages of",
	// Version calls name the package: "reading a version of package ...".
	ghapi.OpGetVersion:     "reading a version of",
	ghapi.OpRestoreVersion: "restoring a version of",
	ghapi.OpListVersions:   "listing the versions of",
	ghapi.OpGetUser:        "looking up the token's login for",
}

// describeError turns a client error into a diagnostic's summary and detail:
// what happened to which package, what GitHub answered, what to do next.
func describeError(ref ghapi.PackageRef, err error) (string, string) {
	var apiErr *ghapi.Error
	if !errors.As(err, &apiErr) {
		return "Unexpected Error", fmt.Sprintf("Package %s: %s.", ref, err)
	}
	what := fmt.Sprintf("while %s package %s%s, GitHub answered %s", actionOf(apiErr.Op), ref, pageOf(apiErr), answer(apiErr))
	switch apiErr.Kind {
	case ghapi.KindNotFound:
		if apiErr.Op == ghapi.OpRestoreVersion {
			return "Version Not Restorable", capitalize(what) + ". The version is not among the restorable " +
				"deleted versions of package " + ref.String() + ": it was deleted more than 30 days ago, or it " +
				"is not deleted under this ID, or the token cannot see it."
		}
		if apiErr.Op == ghapi.OpRestore {
			return "Package Not Restorable", notRestorable(ref, apiErr, "then apply again") + " If the deletion is " +
				"older than 30 days, the package cannot come back, and every apply will " +
				"fail here until the configuration changes: remove the resource from configuration (in a " +
				"for_each map, drop its key; where a state still holds it, add a removed {} block with " +
				"lifecycle { destroy = false } on Terraform 1.7 or later, or run terraform state rm), or " +
				"publish a new package under this name, which the next apply adopts."
		}
		return "Package Not Found", capitalize(what) + ". The package is not visible to this token: it does not " +
			"exist, was deleted, or the token cannot see it. To bring back a deleted package, declare it in " +
			"configuration and run terraform apply."
	case ghapi.KindUnauthorized:
		return "GitHub Token Rejected", capitalize(what) + ". The token is missing, expired or revoked. Create a " +
			"personal access token (classic) with read:packages and write:packages and set it in the provider's " +
			"token argument or the GITHUB_TOKEN environment variable."
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
		return "GitHub Unreachable", fmt.Sprintf("While %s package %s, no complete answer came from %s after %s: "+
			"%s. Check the network and base_url; if the host is reachable but slow, raise request_timeout. Then "+
			"run terraform apply again.", actionOf(apiErr.Op), ref, hostOf(apiErr), attempts(apiErr.Attempts), apiErr.Message)
	case ghapi.KindMalformed:
		return "Unexpected Answer From GitHub", capitalize(what) + fmt.Sprintf(" after %s. The answer was not a "+
			"GitHub API response; check that base_url points at the GitHub API (GitHub Enterprise Server: the "+
			"host, api/v3/ is added).", attempts(apiErr.Attempts))
	case ghapi.KindNotGitHub:
		host := serverOf(apiErr)
		return "Not a GitHub API Answer", fmt.Sprintf("While %s package %s, %s answered 404 Not Found with %s. "+
			"That answer came from a web server, proxy or API gateway, not from GitHub's API, so it says nothing "+
			"about the package, and Terraform state was left as it was. Check base_url, which sends requests to %s: "+
			"it must reach GitHub's API (https://api.github.com/ for GitHub.com; for GitHub Enterprise Server the "+
			"host, such as https://ghe.example.com, to which api/v3/ is appended), through any proxy unchanged.",
			actionOf(apiErr.Op), ref, host, apiErr.Message, host)
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

// notRestorable says why GitHub refused to restore a package with the 404
// apiErr; retry says how to try again after a fix.
func notRestorable(ref ghapi.PackageRef, apiErr *ghapi.Error, retry string) string {
	lost := ""
	if ghapi.IsUnconfirmedRestore(apiErr) {
		lost = " to the restore sent again after an earlier attempt got no clear answer, and the package did " +
			"not appear before the create timeout"
	}
	return fmt.Sprintf("While %s package %s, GitHub answered %s%s", actionOf(apiErr.Op), ref, answer(apiErr), lost) +
		". The package is not among the restorable deleted packages of the " +
		ref.Scope.OwnerWord() + " " + ref.Owner + ". Either it was deleted more than 30 days ago, or its name " +
		"was reused by a new package (delete that one first, " + retry + "), or it never existed under " +
		"this name and type, or the token cannot see it. Check the name and type in the package's URL."
}

// describeCreateError words a failed Create: the restore was accepted but
// the package did not show in time, or any client error.
func describeCreateError(ref ghapi.PackageRef, err error) (string, string) {
	var notVisible *notVisibleError
	if !errors.As(err, &notVisible) {
		return describeError(ref, err)
	}
	return "Restored Package Not Visible", notVisibleDetail(ref, notVisible) + fmt.Sprintf(" Nothing was saved "+
		"to state. Run terraform apply again: it adopts the package once GitHub shows it. If this repeats, raise "+
		"timeouts.create (now %s).", notVisible.timeout)
}

func notVisibleDetail(ref ghapi.PackageRef, notVisible *notVisibleError) string {
	detail := fmt.Sprintf("GitHub accepted the restore of package %s, but the package was %s.", ref, notVisible)
	if notVisible.last != nil {
		_, last := describeError(ref, notVisible.last)
		detail += " The last check failed: " + last
	}
	return detail
}

// describeVersionCreateError words a failed Create of a version resource.
func describeVersionCreateError(ref ghapi.VersionRef, err error) (string, string) {
	if errors.Is(err, errPackageDeleted) {
		return "Package Of Version Deleted", fmt.Sprintf("Package %s is deleted, so its versions cannot be "+
			"restored; no version restore was sent. Restore the package first: declare a ghpkg%s resource for it "+
			"and set this resource's package_name = <that resource>.package_name, so Terraform restores the "+
			"package before the version.", ref.Package, packageResourceSuffix(ref.Package.Scope))
	}
	return describeCreateError(ref.Package, err)
}

// describeInvokeError words a failed invocation of the ghpkg_package_restore
// action: as describeError, but the next steps are the action's (it keeps
// no state, and runs again when invoked again).
func describeInvokeError(ref ghapi.PackageRef, err error) (string, string) {
	var notVisible *notVisibleError
	if errors.As(err, &notVisible) {
		return "Restored Package Not Visible", notVisibleDetail(ref, notVisible) + fmt.Sprintf(" Invoke the "+
			"action again: once GitHub shows the package, it does nothing. If this repeats, raise "+
			"timeouts.invoke (now %s).", notVisible.timeout)
	}
	var apiErr *ghapi.Error
	if errors.As(err, &apiErr) && apiErr.Kind == ghapi.KindNotFound && apiErr.Op == ghapi.OpRestore {
		return "Package Not Restorable", notRestorable(ref, apiErr, "then invoke the action again") + " If the " +
			"deletion is older than 30 days, the package cannot come back: take this action out of the runbook " +
			"or action_trigger, or publish a new package under this name."
	}
	return describeError(ref, err)
}

// describeVersionInvokeError words a failed version restore of the action.
func describeVersionInvokeError(ref ghapi.VersionRef, err error) (string, string) {
	if errors.Is(err, errPackageDeleted) {
		return "Package Of Version Deleted", fmt.Sprintf("Package %s is deleted, so its versions cannot be "+
			"restored; no version restore was sent. Restore the package first: invoke the action without "+
			"package_version_id and version, then again for the version.", ref.Package)
	}
	return describeInvokeError(ref.Package, err)
}

// Progress of the action, reported while it runs: what it is restoring,
// that GitHub accepted the restore, and what it did.

func packageLabel(ref ghapi.PackageRef) string { return "package " + ref.String() }

func versionLabel(ref ghapi.VersionRef) string {
	return fmt.Sprintf("version %d of package %s", ref.ID, ref.Package)
}

// namedVersionLabel names a version by its configured name, before it is
// resolved to an id.
func namedVersionLabel(pkg ghapi.PackageRef, name string) string {
	return fmt.Sprintf("version %q of package %s", name, pkg)
}

func progressStart(label string) string { return "Restoring " + label }

func progressWaiting(label string) string {
	return capitalize(label) + ": GitHub accepted the restore; waiting until it is visible"
}

func progressDone(label string, restored bool) string {
	if restored {
		return capitalize(label) + " restored: GitHub shows it again"
	}
	return capitalize(label) + " was already visible: nothing done"
}

// warnPackageGone is the refresh's word on a package that disappeared: a
// plan then shows a create, which reads like a new entry otherwise.
func warnPackageGone(ref ghapi.PackageRef) (string, string) {
	return "Package No Longer Visible", fmt.Sprintf("Package %s is not visible on GitHub any more: it was "+
		"deleted, or the token lost access to it. It was removed from state, and the next terraform apply "+
		"restores it (GitHub keeps a deleted package restorable for 30 days).", ref)
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

func actionOf(op ghapi.Op) string {
	if a, ok := actions[op]; ok {
		return a
	}
	return string(op)
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
	s := fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
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
func invalidImportID(owner ownerSpec, id, example string, withVersion bool, err error) (string, string) {
	form := owner.attribute + "/package_type/package_name"
	if withVersion {
		form += "/version_id"
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
