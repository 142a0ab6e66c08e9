package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/poll"
)

// restorer holds the steps of one restore, shared by the creates of the
// restore resources and by the ghpkg_package_restore action: adopt what is
// visible, else restore it and wait until a GET sees it, within timeout.
type restorer struct {
	client  *ghapi.Client
	clock   poll.Clock
	timeout time.Duration
	// progress reports a step to the user while it runs (the action's
	// progress events); nil for resources, whose steps go to the log only.
	progress func(string)
	// data and advice report a failed step for the caller (report): a
	// resource and the action advise different next steps.
	data   *providerData
	advice restoreAdvice
}

// report reports a failed step of the restore of ref (its ID is 0 for a
// package).
func (r restorer) report(diags *diag.Diagnostics, ref ghapi.VersionRef, err error) {
	summary, detail := describeVersionRestoreError(ref, err, r.advice)
	r.data.addError(diags, err, summary, detail)
}

func (r restorer) say(message string) {
	if r.progress != nil {
		r.progress(message)
	}
}

// restorePackage adopts a visible package, or restores it and waits until a
// GET sees it. restored reports which happened.
func (r restorer) restorePackage(ctx context.Context, ref ghapi.PackageRef, packageToken string) (*ghapi.Package, bool, error) {
	pkg, err := r.client.GetPackage(ctx, ref)
	if err == nil {
		tflog.Info(ctx, "package already visible; adopting it without a restore")
		return pkg, false, nil
	}
	if !ghapi.IsNotFound(err) {
		return nil, false, err
	}
	tflog.Info(ctx, "package not visible; asking GitHub to restore it")
	restoreErr := r.client.RestorePackage(ctx, ref, packageToken)
	err = r.awaitRestore(ctx, packageLabel(ref), restoreErr, func(ctx context.Context) (err error) {
		pkg, err = r.client.GetPackage(ctx, ref)
		return err
	})
	if err != nil {
		return nil, false, r.checkOwner(ctx, ref, err)
	}
	return pkg, true, nil
}

// checkOwner, after GitHub's 404 to the restore of ref, asks GitHub what
// kind of account the owner is: an organisation named as a user (or the
// reverse) is the cause then, not the package. One request, on this path
// only; when the lookup fails or agrees, err stands as it is.
func (r restorer) checkOwner(ctx context.Context, ref ghapi.PackageRef, err error) error {
	var apiErr *ghapi.Error
	if !errors.As(err, &apiErr) || apiErr.Kind != ghapi.KindNotFound || apiErr.Op != ghapi.OpRestore {
		return err
	}
	actual, lookupErr := r.client.OwnerScope(ctx, ref.Owner)
	if lookupErr != nil || actual == ref.Scope {
		return err
	}
	tflog.Info(ctx, "the owner is of the other kind", map[string]any{"owner_is": accountWord(actual)})
	return &wrongOwnerError{restoreErr: err, actual: actual}
}

// locateVersion names the version to restore: id when it is set (not 0),
// else the version resolved once by name. knownDeleted is true when the
// listing of deleted versions just showed it.
func (r restorer) locateVersion(ctx context.Context, pkg ghapi.PackageRef, id int64, name string) (ref ghapi.VersionRef, knownDeleted bool, diags diag.Diagnostics) {
	if id != 0 {
		return ghapi.VersionRef{Package: pkg, ID: id}, false, nil
	}
	found, diags := resolveVersion(ctx, r.client, pkg, name, r.report)
	if diags.HasError() {
		return ghapi.VersionRef{Package: pkg}, false, diags
	}
	return ghapi.VersionRef{Package: pkg, ID: found.ID}, !found.DeletedAt.IsZero(), diags
}

// restoreVersion adopts a visible version, or restores it and waits until a
// GET sees it. knownDeleted skips the first GET when a listing of deleted
// versions just showed it. The package must be visible: a version of a
// deleted package is never sent a restore.
func (r restorer) restoreVersion(ctx context.Context, ref ghapi.VersionRef, knownDeleted bool) (*ghapi.PackageVersion, bool, error) {
	if !knownDeleted {
		v, err := r.client.GetVersion(ctx, ref)
		if err == nil {
			tflog.Info(ctx, "version already visible; adopting it without a restore", map[string]any{"version_id": ref.ID})
			return v, false, nil
		}
		if !ghapi.IsNotFound(err) {
			return nil, false, err
		}
		if _, err := r.client.GetPackage(ctx, ref.Package); err != nil {
			if ghapi.IsNotFound(err) {
				return nil, false, errPackageDeleted
			}
			return nil, false, err
		}
	}
	tflog.Info(ctx, "version not visible; asking GitHub to restore it", map[string]any{"version_id": ref.ID})
	var v *ghapi.PackageVersion
	err := r.awaitRestore(ctx, versionLabel(ref), r.client.RestoreVersion(ctx, ref), func(ctx context.Context) (err error) {
		v, err = r.client.GetVersion(ctx, ref)
		return err
	})
	return v, err == nil, err
}

// awaitRestore waits, after a restore call that restoreErr ended, until get
// sees what it restored. A restore GitHub left unclear (a 404 after a lost
// answer, see ghapi.IsUnconfirmedRestore) is waited for too, since GitHub
// shows a restore after a lag; when it never shows within the timeout,
// GitHub's 404 is the answer.
func (r restorer) awaitRestore(ctx context.Context, label string, restoreErr error, get func(context.Context) error) error {
	if restoreErr != nil && !ghapi.IsUnconfirmedRestore(restoreErr) {
		return restoreErr
	}
	r.say(progressWaiting(label))
	err := waitVisible(ctx, r.clock, r.timeout, get)
	var notVisible *notVisibleError
	if restoreErr != nil && errors.As(err, &notVisible) {
		return restoreErr
	}
	return err
}
