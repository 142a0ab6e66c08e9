package provider

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// The errors of a restore and their wording: refused, not visible in time,
// a version of a deleted package, a version named that cannot be found;
// and the progress the action reports.

// notVisibleError means GitHub accepted a restore but what was restored did
// not become visible before the create timeout.
type notVisibleError struct {
	checks  int
	timeout time.Duration
	last    error // the last failed check, nil when every check answered 404
}

func (e *notVisibleError) Error() string {
	return fmt.Sprintf("not visible after %d checks in %s", e.checks, e.timeout)
}

// wrongOwnerError is GitHub's 404 to the restore of a package whose owner
// is of the other kind: an organisation named as a user, or the reverse.
type wrongOwnerError struct {
	restoreErr error
	// actual is the owner's kind, as GitHub reports it.
	actual ghapi.Scope
}

func (e *wrongOwnerError) Error() string {
	return fmt.Sprintf("%v (the owner is %s)", e.restoreErr, accountWord(e.actual))
}

func (e *wrongOwnerError) Unwrap() error { return e.restoreErr }

// errPackageDeleted is a version whose package is itself deleted: the
// package must be restored first.
var errPackageDeleted = errors.New("the package itself is deleted")

// restoreAdvice is what the wording of a failed restore tells its caller
// to do: the restore resources keep state, the action does not.
type restoreAdvice struct {
	// retry says how to try again after a fix.
	retry string
	// tooOld says what to do about a deletion older than 30 days.
	tooOld string
	// otherOwner says what to configure when the owner is of the other
	// kind (actual) than the configuration says.
	otherOwner func(owner string, actual ghapi.Scope) string
	// notVisible says what to do when the restored package did not show in
	// time, and timeouts which timeout to raise if it repeats.
	notVisible, timeouts string
	// packageFirst says how to restore a version's deleted package first.
	packageFirst func(scope ghapi.Scope) string
}

var resourceAdvice = restoreAdvice{
	retry: "then apply again",
	tooOld: "If the deletion is older than 30 days, the package cannot come back, and every apply will fail here " +
		"until the configuration changes: remove the resource from configuration (in a for_each map, drop its " +
		"key; where a state still holds it, add a removed {} block with lifecycle { destroy = false } on " +
		"Terraform 1.7 or later, or run terraform state rm), or publish a new package under this name, which " +
		"the next apply adopts.",
	otherOwner: func(owner string, actual ghapi.Scope) string {
		o := ownerSpecOf(actual)
		return fmt.Sprintf("use ghpkg%s, with %s = %q", o.typeName("package_restore"), o.attribute, owner)
	},
	notVisible: "Nothing was saved to state. Run terraform apply again: it adopts the package once GitHub shows it.",
	timeouts:   "timeouts.create",
	packageFirst: func(scope ghapi.Scope) string {
		return fmt.Sprintf("declare a ghpkg%s resource for it and set this resource's package_name = <that "+
			"resource>.package_name, so that Terraform restores the package before the version in the same apply",
			ownerSpecOf(scope).typeName("package_restore"))
	},
}

var actionAdvice = restoreAdvice{
	retry: "then invoke the action again",
	tooOld: "If the deletion is older than 30 days, the package cannot come back: take this action out of the " +
		"runbook or action_trigger, or publish a new package under this name.",
	otherOwner: func(owner string, actual ghapi.Scope) string {
		other := ghapi.ScopeOrg
		if actual == ghapi.ScopeOrg {
			other = ghapi.ScopeUser
		}
		return fmt.Sprintf("set %s = %q in the action instead of %s", ownerSpecOf(actual).attribute, owner, ownerSpecOf(other).attribute)
	},
	notVisible: "Invoke the action again: once GitHub shows the package, it does nothing.",
	timeouts:   "timeouts.invoke",
	packageFirst: func(ghapi.Scope) string {
		return "invoke the action without package_version_id and version, then again for the version"
	},
}

// describeRestoreError words a failed restore of ref, with the next steps
// of its caller (resourceAdvice or actionAdvice): GitHub accepted the
// restore but the package did not show in time, or refused it (404), or
// any client error.
func describeRestoreError(ref ghapi.PackageRef, err error, advice restoreAdvice) (string, string) {
	var notVisible *notVisibleError
	if errors.As(err, &notVisible) {
		return "Restored Package Not Visible", fmt.Sprintf("%s %s If this repeats, raise %s (now %s).",
			notVisibleDetail(ref, notVisible), advice.notVisible, advice.timeouts, notVisible.timeout)
	}
	var apiErr *ghapi.Error
	if errors.As(err, &apiErr) && apiErr.Kind == ghapi.KindNotFound && apiErr.Op == ghapi.OpRestore {
		return notRestorable(ref, err, apiErr, advice)
	}
	return describeError(ref, err)
}

// describeVersionRestoreError words a failed lookup or restore of a
// version, as describeRestoreError.
func describeVersionRestoreError(ref ghapi.VersionRef, err error, advice restoreAdvice) (string, string) {
	if errors.Is(err, errPackageDeleted) {
		return packageOfVersionDeleted(ref, "no version restore was sent", advice)
	}
	return describeRestoreError(ref.Package, err, advice)
}

// notRestorable words GitHub's 404 to the restore of ref: the most likely
// cause on the first line, then GitHub's answer and the other causes, then
// what to do about a deletion too old to restore.
func notRestorable(ref ghapi.PackageRef, err error, apiErr *ghapi.Error, advice restoreAdvice) (string, string) {
	answered := fmt.Sprintf("While %s, GitHub answered %s", doing(apiErr.Op, ref), answer(apiErr))
	if ghapi.IsUnconfirmedRestore(apiErr) {
		answered += " to the restore sent again after an earlier attempt got no clear answer, and the package " +
			"did not appear before the timeout"
	}
	var wrong *wrongOwnerError
	if errors.As(err, &wrong) {
		return "Package Not Restorable", fmt.Sprintf("%s is %s: %s.\n\n%s: it looked for the package among the "+
			"packages of %s named %s, and %s is %s.", ref.Owner, accountWord(wrong.actual),
			advice.otherOwner(ref.Owner, wrong.actual), answered, accountWord(ref.Scope), ref.Owner, ref.Owner,
			accountWord(wrong.actual))
	}
	return "Package Not Restorable", fmt.Sprintf("Most likely, package %s was deleted more than 30 days ago, "+
		"and GitHub no longer restores it.\n\n%s: the package is not among the restorable deleted packages of "+
		"the %s %s. Other causes:\n"+
		"- its name was reused by a new package (delete that one first, %s);\n"+
		"- it never existed under this name and type (check both in the package's URL);\n"+
		"- the token cannot see it.\n\n%s", ref, answered, ref.Scope.OwnerWord(), ref.Owner, advice.retry, advice.tooOld)
}

func notVisibleDetail(ref ghapi.PackageRef, notVisible *notVisibleError) string {
	detail := fmt.Sprintf("GitHub accepted the restore of package %s, but the package was %s.", ref, notVisible)
	if notVisible.last != nil {
		_, last := describeError(ref, notVisible.last)
		detail += " The last check failed: " + last
	}
	return detail
}

// packageOfVersionDeleted words a version whose package is deleted: GitHub
// restores a version only once its package is back. happened says what
// this run did about the version.
func packageOfVersionDeleted(ref ghapi.VersionRef, happened string, advice restoreAdvice) (string, string) {
	return "Package Of Version Deleted", fmt.Sprintf("Package %s, which holds version %d, is deleted; %s. GitHub "+
		"restores a version only once its package is back. Restore the package first: %s.", ref.Package, ref.ID,
		happened, advice.packageFirst(ref.Package.Scope))
}

// warnVersionPackageGone is the refresh's word on a version whose package
// is deleted too. A plan writes no state, so it says what the plan
// proposes.
func warnVersionPackageGone(ref ghapi.VersionRef) (string, string) {
	return packageOfVersionDeleted(ref, "the plan proposes restoring the version (a create of this resource)", resourceAdvice)
}

// Versions named by name (a version, tag or digest): resolved once, at
// create, from the listings of a package's versions.

// notListable says why the deleted versions of pkg cannot be listed: the
// token's login is unknown (loginErr), or it is another account (login).
func notListable(pkg ghapi.PackageRef, login string, loginErr error) error {
	if loginErr != nil {
		_, detail := describeError(pkg, loginErr)
		return fmt.Errorf("finding a version by name needs the token's own login: %s", detail)
	}
	return fmt.Errorf("GitHub lists deleted versions only of organisations and of the token's own "+
		"account (%s), not of %s. Set package_version_id instead: the number at the end of the version's "+
		"URL on GitHub", login, pkg.Owner)
}

// cannotLookUpVersion words a version name that cannot be resolved:
// notListable says why.
func cannotLookUpVersion(err error) (string, string) {
	return "Cannot Look Up Version By Name", err.Error()
}

// cannotListDeleted words a listing of deleted versions that cannot be
// made: notListable says why.
func cannotListDeleted(err error) (string, string) {
	return "Cannot List Deleted Versions", err.Error() + "."
}

func ambiguousVersionName(pkg ghapi.PackageRef, name, state string, matches int, took int64) (string, string) {
	return "Ambiguous Version Name", fmt.Sprintf("%d %s versions of package %s are named %q; ghpkg took the "+
		"most recently deleted one (id %d). Set package_version_id to choose another.", matches, state, pkg, name, took)
}

// versionNotFound words a name that no version has; nearest are the
// closest names seen, if any.
func versionNotFound(pkg ghapi.PackageRef, name string, nearest []string) (string, string) {
	hint := ""
	if len(nearest) > 0 {
		hint = fmt.Sprintf(" Nearest names seen: %s.", strings.Join(nearest, ", "))
	}
	return "Version Not Found", fmt.Sprintf("Package %s has no version, active or deleted, named or tagged %q.%s "+
		"A version deleted more than 30 days ago is gone for good.", pkg, name, hint)
}

// The restore preview's warnings, one each per read at most.

// previewIncomplete is the summary of the warning about failed lookups,
// said once per run.
const previewIncomplete = "Restore Preview Incomplete"

// previewLookupsFailed words the lookups of a preview that failed: keys
// names their entries, summary and detail the first failure.
func previewLookupsFailed(failed int, keys, summary, detail string) (string, string) {
	return previewIncomplete, fmt.Sprintf("ghpkg could not look up %d of the preview's entries (%s); their "+
		"action is \"unknown\" and apply decides from what GitHub shows then. The plan itself is not affected, "+
		"and other previews of this run that fail are logged, not repeated here. First failure: %s: %s",
		failed, keys, summary, detail)
}

// versionsApplyCannotRestore words the versions of a preview that apply
// cannot restore, one line each.
func versionsApplyCannotRestore(closed []string) (string, string) {
	return "Versions Apply Cannot Restore", fmt.Sprintf("GitHub restores a version only within 30 days of its "+
		"deletion. Apply will fail for these, on every run, until they leave the stack:\n  - %s",
		strings.Join(closed, "\n  - "))
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
