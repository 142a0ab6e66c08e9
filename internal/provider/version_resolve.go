package provider

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// resolveVersion finds the version named name (a version name, a container
// tag or a sha256 digest) once, at create: among the deleted versions first
// (the most recently deleted when several match), then among the active
// ones, which are adopted. GitHub lists deleted versions only of
// organisations and of the token's own account. report reports a failed
// listing for the caller (a resource or the action).
func resolveVersion(ctx context.Context, client *ghapi.Client, pkg ghapi.PackageRef, name string, report func(*diag.Diagnostics, ghapi.VersionRef, error)) (*ghapi.PackageVersion, diag.Diagnostics) {
	var diags diag.Diagnostics
	listed, err := listableRef(ctx, client, pkg)
	if err != nil {
		summary, detail := cannotLookUpVersion(err)
		diags.AddAttributeError(path.Root(attrVersion), summary, detail)
		return nil, diags
	}
	seen := []string{}
	for _, state := range []string{ghapi.VersionsDeleted, ghapi.VersionsActive} {
		versions, err := client.ListVersions(ctx, listed, state)
		if err != nil {
			report(&diags, ghapi.VersionRef{Package: pkg}, packageDeletedOr(ctx, client, pkg, err))
			return nil, diags
		}
		matches := matching(versions, name)
		if len(matches) > 1 {
			diags.AddWarning(ambiguousVersionName(pkg, name, state, len(matches), matches[0].ID))
		}
		if len(matches) > 0 {
			tflog.Info(ctx, "version resolved by name", map[string]any{"version": name, "version_id": matches[0].ID, "state": state})
			return matches[0], diags
		}
		for _, v := range versions {
			seen = append(seen, append([]string{v.Name}, v.Tags...)...)
		}
	}
	summary, detail := versionNotFound(pkg, name, nearest(seen, name))
	diags.AddAttributeError(path.Root(attrVersion), summary, detail)
	return nil, diags
}

// listableRef is the reference through which a package's versions can be
// listed by state: an organisation's own, or /user/... when the package is
// in the token's own account.
func listableRef(ctx context.Context, client *ghapi.Client, pkg ghapi.PackageRef) (ghapi.PackageRef, error) {
	if pkg.Scope.CanListByState() {
		return pkg, nil
	}
	login, err := client.AuthenticatedLogin(ctx)
	if err != nil || !strings.EqualFold(login, pkg.Owner) {
		return pkg, notListable(pkg, login, err)
	}
	pkg.Scope = ghapi.ScopeAuthenticatedUser
	return pkg, nil
}

// matching returns the versions named or tagged name, the most recently
// deleted first.
func matching(versions []*ghapi.PackageVersion, name string) []*ghapi.PackageVersion {
	var out []*ghapi.PackageVersion
	for _, v := range versions {
		if v.Name == name || slices.Contains(v.Tags, name) {
			out = append(out, v)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DeletedAt.After(out[j].DeletedAt) })
	return out
}

// packageDeletedOr turns a 404 of a version listing into errPackageDeleted
// when the package itself is gone.
func packageDeletedOr(ctx context.Context, client *ghapi.Client, pkg ghapi.PackageRef, err error) error {
	if !ghapi.IsNotFound(err) {
		return err
	}
	if _, getErr := client.GetPackage(ctx, pkg); ghapi.IsNotFound(getErr) {
		return errPackageDeleted
	}
	return err
}

// nearest are up to three seen names closest to name, as a hint.
func nearest(seen []string, name string) []string {
	slices.Sort(seen)
	seen = slices.Compact(seen)
	distance := func(s string) int { return levenshtein.Distance(s, name, nil) }
	slices.SortStableFunc(seen, func(a, b string) int { return distance(a) - distance(b) })
	return seen[:min(3, len(seen))]
}
