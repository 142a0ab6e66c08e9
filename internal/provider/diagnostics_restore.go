package provider

import (
	"errors"
	"fmt"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// The wording of restores: refused, not visible in time, and the progress
// the action reports.

// restoreAdvice is what the wording of a refused restore tells its caller
// to do: the restore resources keep state, the action does not.
type restoreAdvice struct {
	// retry says how to try again after a fix.
	retry string
	// tooOld says what to do about a deletion older than 30 days.
	tooOld string
	// otherOwner says what to configure when the owner is of the other
	// kind (actual) than the configuration says.
	otherOwner func(owner string, actual ghapi.Scope) string
}

var resourceAdvice = restoreAdvice{
	retry: "then apply again",
	tooOld: "If the deletion is older than 30 days, the package cannot come back, and every apply will fail here " +
		"until the configuration changes: remove the resource from configuration (in a for_each map, drop its " +
		"key; where a state still holds it, add a removed {} block with lifecycle { destroy = false } on " +
		"Terraform 1.7 or later, or run terraform state rm), or publish a new package under this name, which " +
		"the next apply adopts.",
	otherOwner: func(owner string, actual ghapi.Scope) string {
		return fmt.Sprintf("use ghpkg%s, with %s = %q", packageResourceSuffix(actual), ownerSpecOf(actual).attribute, owner)
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

// accountWord names a kind of owner as GitHub's account types do.
func accountWord(scope ghapi.Scope) string {
	if scope == ghapi.ScopeOrg {
		return "an organization"
	}
	return "a user"
}

// ownerSpecOf is the owner attribute of a package restore in the scope.
func ownerSpecOf(scope ghapi.Scope) ownerSpec {
	if scope == ghapi.ScopeOrg {
		return orgOwner
	}
	return userOwner
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
		return notRestorable(ref, err, apiErr, actionAdvice)
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
