package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/refresh"
)

// The lookups of a restore preview: what GitHub shows now of each package
// and version, and what apply will do to it.

// What apply will do to an entry, as the plan saw GitHub.
const (
	previewAdopt   = "adopt"   // visible: apply adopts it, no request to restore
	previewRestore = "restore" // not visible: apply restores it
	previewExpired = "expired" // a version deleted more than 30 days ago: apply fails
	previewMissing = "missing" // a version neither visible nor deleted: apply fails
	previewUnknown = "unknown" // not known at plan: apply decides
)

// previewPackage is one entry of packages.
type previewPackage struct {
	PackageType types.String `tfsdk:"package_type"`
	PackageName types.String `tfsdk:"package_name"`
	Action      types.String `tfsdk:"action"`
	Detail      types.String `tfsdk:"detail"`
}

// previewVersion is one entry of versions.
type previewVersion struct {
	PackageType     types.String      `tfsdk:"package_type"`
	PackageName     types.String      `tfsdk:"package_name"`
	Version         types.String      `tfsdk:"version"`
	VersionID       types.Int64       `tfsdk:"package_version_id"`
	FoundID         types.Int64       `tfsdk:"found_version_id"`
	Action          types.String      `tfsdk:"action"`
	Detail          types.String      `tfsdk:"detail"`
	DeletedAt       timetypes.RFC3339 `tfsdk:"deleted_at"`
	RestorableUntil timetypes.RFC3339 `tfsdk:"restorable_until"`
}

// previewer looks the entries of one read up and gathers what its warnings
// name.
type previewer struct {
	client *ghapi.Client
	now    time.Time

	mu     sync.Mutex
	count  map[string]int
	failed []previewFailure
	closed []string // versions apply cannot restore, worded
}

// previewFailure is a lookup that failed, for the warning.
type previewFailure struct {
	key string
	ref ghapi.PackageRef
	err error
}

func (p *previewer) record(action string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.count == nil {
		p.count = map[string]int{}
	}
	p.count[action]++
}

func (p *previewer) fail(ref ghapi.PackageRef, err error, keys ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, key := range keys {
		p.failed = append(p.failed, previewFailure{key: key, ref: ref, err: err})
	}
}

// packages looks the packages up by namespace, as a refresh reads them: a
// few with a GET each; more from the namespace's listing, for as long as
// its pages cost less than a GET per package still missing. A package the
// listing does not hold is then asked for directly, so only GitHub's own
// 404 says it is gone. The same entries always send the same requests.
func (p *previewer) packages(ctx context.Context, scope ghapi.Scope, owner string, entries map[string]previewPackage) {
	byNamespace := map[ghapi.Namespace]map[string][]string{} // package name -> keys
	for key, e := range entries {
		ns := ghapi.Namespace{Scope: scope, Owner: owner, Type: e.PackageType.ValueString()}
		if byNamespace[ns] == nil {
			byNamespace[ns] = map[string][]string{}
		}
		name := e.PackageName.ValueString()
		byNamespace[ns][name] = append(byNamespace[ns][name], key)
	}
	var mu sync.Mutex
	answer := func(keys []string, action, detail string) {
		mu.Lock()
		defer mu.Unlock()
		for _, key := range keys {
			p.record(action)
			e := entries[key]
			e.Action, e.Detail = types.StringValue(action), types.StringValue(detail)
			entries[key] = e
		}
	}
	var wg sync.WaitGroup
	for ns, names := range byNamespace {
		if len(names) > refresh.DirectReads {
			p.fromListing(ctx, ns, names, answer)
		}
		for name, keys := range names {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ref := ghapi.PackageRef{Scope: ns.Scope, Owner: ns.Owner, Type: ns.Type, Name: name}
				_, err := p.client.GetPackage(ctx, ref)
				action, detail := p.packageAction(ref, err, keys)
				answer(keys, action, detail)
			}()
		}
	}
	wg.Wait()
}

// fromListing answers the names the namespace's listing holds, and removes
// them from names. It stops when the pages left would cost more than a GET
// per name left, after as many pages as there were names, or on a failed
// page (the GETs that follow say more).
// Either way the names left are asked for one by one.
func (p *previewer) fromListing(ctx context.Context, ns ghapi.Namespace, names map[string][]string, answer func([]string, string, string)) {
	// At most as many pages as GETs of the names would cost, going forward
	// only: a Link header that loops or never ends is not followed.
	budget := len(names)
	for page, last := 1, 0; page != 0 && page <= budget && len(names) > 0; {
		if last > 0 && last-page+1 > len(names) {
			return
		}
		pkgs, at, err := p.client.ListPackagesPage(ctx, ns, "", page)
		if err != nil {
			tflog.Debug(ctx, "restore preview: a page of the listing failed; asking for each package", map[string]any{"page": page})
			return
		}
		for _, pkg := range pkgs {
			if keys, ok := names[pkg.Name]; ok {
				ref := ghapi.PackageRef{Scope: ns.Scope, Owner: ns.Owner, Type: ns.Type, Name: pkg.Name}
				action, detail := p.packageAction(ref, nil, keys)
				answer(keys, action, detail)
				delete(names, pkg.Name)
			}
		}
		if at.Next <= page {
			return
		}
		page, last = at.Next, at.Last
	}
}

// packageAction words what a lookup of ref found.
func (p *previewer) packageAction(ref ghapi.PackageRef, err error, keys []string) (string, string) {
	switch {
	case err == nil:
		return previewAdopt, fmt.Sprintf("Package %s is visible: apply adopts it.", ref)
	case ghapi.IsNotFound(err):
		return previewRestore, fmt.Sprintf("GitHub answered 404 for package %s: apply restores it.", ref)
	default:
		p.fail(ref, err, keys...)
		return previewUnknown, fmt.Sprintf("Package %s could not be looked up: apply decides.", ref)
	}
}

// versions looks versions up through their package's listings: the active
// versions, then, for those not among them, the deleted ones (with their
// restore window), once per package whatever the number of its versions.
func (p *previewer) versions(ctx context.Context, scope ghapi.Scope, owner string, entries map[string]previewVersion) {
	byPackage := map[ghapi.PackageRef][]string{}
	for key, e := range entries {
		ref := ghapi.PackageRef{Scope: scope, Owner: owner, Type: e.PackageType.ValueString(), Name: e.PackageName.ValueString()}
		byPackage[ref] = append(byPackage[ref], key)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for pkg, keys := range byPackage {
		wg.Add(1)
		go func() {
			defer wg.Done()
			found := p.versionsOf(ctx, pkg, keys, entries)
			mu.Lock()
			defer mu.Unlock()
			for key, e := range found {
				p.record(e.Action.ValueString())
				entries[key] = e
			}
		}()
	}
	wg.Wait()
}

// versionsOf answers the entries keys of one package.
func (p *previewer) versionsOf(ctx context.Context, pkg ghapi.PackageRef, keys []string, entries map[string]previewVersion) map[string]previewVersion {
	out := make(map[string]previewVersion, len(keys))
	unknown := func(detail string) {
		for _, key := range keys {
			if _, done := out[key]; !done {
				out[key] = previewOf(entries[key], nil, previewUnknown, detail)
			}
		}
	}
	active, err := p.client.ListVersions(ctx, pkg, ghapi.VersionsActive)
	if ghapi.IsNotFound(err) {
		unknown(fmt.Sprintf("Package %s is not visible: apply restores the package first "+
			"(when the stack holds it), and only then can its versions be looked up.", pkg))
		return out
	}
	if err != nil {
		p.fail(pkg, err, keys...)
		unknown(fmt.Sprintf("The versions of package %s could not be listed: apply decides.", pkg))
		return out
	}
	for _, key := range keys {
		if v := findVersion(active, entries[key]); v != nil {
			out[key] = previewOf(entries[key], v, previewAdopt, fmt.Sprintf("Version %d of package %s is visible: apply adopts it.", v.ID, pkg))
		}
	}
	if len(out) == len(keys) {
		return out
	}
	if !pkg.Scope.CanListByState() {
		// A user's deleted versions are listed only through /user: a login
		// that cannot be read is a failed lookup, not an answer.
		if _, err := p.client.AuthenticatedLogin(ctx); err != nil {
			for _, key := range keys {
				if _, done := out[key]; !done {
					p.fail(pkg, err, key)
				}
			}
			unknown(fmt.Sprintf("The token's own login could not be read, so the deleted versions of package %s "+
				"could not be listed: apply decides.", pkg))
			return out
		}
	}
	listed, err := listableRef(ctx, p.client, pkg)
	if err != nil {
		for _, key := range keys {
			if _, done := out[key]; !done && !entries[key].VersionID.IsNull() {
				e := entries[key]
				out[key] = previewOf(e, nil, previewRestore, fmt.Sprintf("Version %d of package %s is not visible: "+
					"apply restores it. Its restore window is not known: GitHub lists deleted versions only of "+
					"organisations and of the token's own account.", e.VersionID.ValueInt64(), pkg))
			}
		}
		unknown(fmt.Sprintf("Not among the visible versions of package %s, and its deleted "+
			"versions cannot be listed: %s.", pkg, err))
		return out
	}
	deleted, err := p.client.ListVersions(ctx, listed, ghapi.VersionsDeleted)
	if err != nil {
		p.fail(pkg, err, keys...)
		unknown(fmt.Sprintf("The deleted versions of package %s could not be listed: apply decides.", pkg))
		return out
	}
	for _, key := range keys {
		if _, done := out[key]; done {
			continue
		}
		e := entries[key]
		v := findVersion(deleted, e)
		switch {
		case v == nil:
			out[key] = previewOf(e, nil, previewMissing, fmt.Sprintf("Package %s has no version %s, visible or deleted: "+
				"apply fails (a version deleted long ago is gone for good).", pkg, describeEntry(e)))
			p.close(fmt.Sprintf("%s version %s: not found, visible or deleted", pkg, describeEntry(e)))
		case !v.RestorableUntil().After(p.now):
			out[key] = previewOf(e, v, previewExpired, fmt.Sprintf("Version %d of package %s was deleted on %s; its "+
				"restore window closed on %s: apply fails.", v.ID, pkg, day(v.DeletedAt), day(v.RestorableUntil())))
			p.close(fmt.Sprintf("%s version %s (id %d): deleted %s, window closed %s", pkg, describeEntry(e), v.ID,
				day(v.DeletedAt), day(v.RestorableUntil())))
		default:
			out[key] = previewOf(e, v, previewRestore, fmt.Sprintf("Version %d of package %s was deleted on %s: apply "+
				"restores it (restorable until %s).", v.ID, pkg, day(v.DeletedAt), day(v.RestorableUntil())))
		}
	}
	return out
}

func (p *previewer) close(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = append(p.closed, line)
}

// findVersion finds the entry's version by id, or by name or tag (the most
// recently deleted when several match, as the resources resolve it).
func findVersion(versions []*ghapi.PackageVersion, e previewVersion) *ghapi.PackageVersion {
	if !e.VersionID.IsNull() {
		for _, v := range versions {
			if v.ID == e.VersionID.ValueInt64() {
				return v
			}
		}
		return nil
	}
	if m := matching(versions, e.Version.ValueString()); len(m) > 0 {
		return m[0]
	}
	return nil
}

// previewOf is the entry e answered: v, when found, fills its id and dates.
func previewOf(e previewVersion, v *ghapi.PackageVersion, action, detail string) previewVersion {
	e.Action, e.Detail = types.StringValue(action), types.StringValue(detail)
	e.FoundID = types.Int64Null()
	e.DeletedAt, e.RestorableUntil = timetypes.NewRFC3339Null(), timetypes.NewRFC3339Null()
	if v != nil {
		e.FoundID = types.Int64Value(v.ID)
		if !v.DeletedAt.IsZero() {
			e.DeletedAt = timetypes.NewRFC3339TimeValue(v.DeletedAt.UTC())
			e.RestorableUntil = timetypes.NewRFC3339TimeValue(v.RestorableUntil().UTC())
		}
	}
	return e
}

func describeEntry(e previewVersion) string {
	if !e.VersionID.IsNull() {
		return fmt.Sprint(e.VersionID.ValueInt64())
	}
	return fmt.Sprintf("%q", e.Version.ValueString())
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// warn says, in one warning each, which lookups failed and which versions
// apply cannot restore; the plan goes on either way. Failed lookups are one
// warning for the run: first says whether this read is the first to warn,
// and later reads log theirs.
func (p *previewer) warn(ctx context.Context, diags *diag.Diagnostics, first func(summary string) bool) {
	if len(p.failed) > 0 {
		sort.Slice(p.failed, func(i, j int) bool { return p.failed[i].key < p.failed[j].key })
		summary, detail := describeError(p.failed[0].ref, p.failed[0].err)
		if first(previewIncomplete) {
			diags.AddWarning(previewLookupsFailed(len(p.failed), failedKeys(p.failed), summary, detail))
		} else {
			tflog.Warn(ctx, "restore preview incomplete", map[string]any{"entries": len(p.failed), "first_failure": summary})
		}
	}
	if len(p.closed) > 0 {
		sort.Strings(p.closed)
		diags.AddWarning(versionsApplyCannotRestore(p.closed))
	}
}

func failedKeys(failed []previewFailure) string {
	keys := make([]string, 0, min(len(failed), 5))
	for _, f := range failed[:min(len(failed), 5)] {
		keys = append(keys, fmt.Sprintf("%q", f.key))
	}
	if len(failed) > 5 {
		keys = append(keys, fmt.Sprintf("and %d more", len(failed)-5))
	}
	return strings.Join(keys, ", ")
}
