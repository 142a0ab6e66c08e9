package provider

import (
	"context"
	"errors"
	"sync"

	datasourcetimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/poll"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/refresh"
)

// providerData is what the provider's Configure hands to resources and data
// sources.
type providerData struct {
	client *ghapi.Client
	clock  poll.Clock
	// packages and versions serve Reads from shared listings; nil when
	// batch_refresh is false.
	packages *refresh.Batcher[ghapi.PackageRef, *ghapi.Package]
	versions *refresh.Batcher[ghapi.VersionRef, *ghapi.PackageVersion]
	// leftInPlace says once per provider process (one apply) that destroying
	// resources left the packages on GitHub.
	leftInPlace sync.Once
	// explained holds the summaries of token rejections already explained
	// in full during this run.
	explained sync.Map
	// token is where the provider's token came from, for the errors of a
	// rejected token.
	token tokenSource
	// warned holds the summaries of warnings said once per run.
	warned sync.Map
}

// firstTime reports whether this is the first time in this provider
// process (one plan or apply) that the warning summary is given.
func (d *providerData) firstTime(summary string) bool {
	_, seen := d.warned.LoadOrStore(summary, true)
	return !seen
}

// addError reports a failed call. A rejection of the token (401, 403, SSO)
// names where the token came from. The first one in a run is explained in
// full; later ones of the same kind say one line and point to it, so 19
// resources with an expired token do not print the same advice 19 times.
func (d *providerData) addError(diags *diag.Diagnostics, err error, summary, detail string) {
	var apiErr *ghapi.Error
	rejected := errors.As(err, &apiErr) && (apiErr.Kind == ghapi.KindUnauthorized || apiErr.Kind == ghapi.KindForbidden)
	if d != nil && rejected {
		if _, seen := d.explained.LoadOrStore(summary, true); seen {
			detail = rejectedAgain(apiErr, summary, d.token)
		} else {
			detail += tokenSourceNote(d.token)
		}
	}
	diags.AddError(summary, detail)
}

// noticeLeftInPlace warns, on the first Delete of an apply only, that
// nothing was deleted on GitHub: a destroy must not read as destructive.
func (d *providerData) noticeLeftInPlace(diags *diag.Diagnostics) {
	if d == nil {
		return
	}
	d.leftInPlace.Do(func() { diags.AddWarning(leftInPlace()) })
}

// configuredData is the Configure step of every resource and data source:
// nil before the provider is configured (Terraform calls Configure early),
// else the provider's data.
func configuredData(configured any, diags *diag.Diagnostics) *providerData {
	if configured == nil {
		return nil
	}
	data, ok := configured.(*providerData)
	if !ok {
		diags.AddError(unexpectedProviderData(configured))
		return nil
	}
	return data
}

// clientOf returns the configured client, or a diagnostic when the provider
// could not be configured yet (a token known only after apply).
func clientOf(data *providerData, diags *diag.Diagnostics) *ghapi.Client {
	if data == nil {
		diags.AddError(notConfigured())
		return nil
	}
	return data.client
}

// startRead begins a data source's Read: it reads the configuration by path
// into targets, and returns the client and ctx bounded by timeouts.read. ok
// is false when diags say why the Read cannot go on; cancel is always set.
func startRead(ctx context.Context, data *providerData, config tfsdkGetter, targets map[string]any,
	diags *diag.Diagnostics) (_ context.Context, _ *ghapi.Client, _ listingBound, cancel context.CancelFunc, ok bool) {
	var timeouts datasourcetimeouts.Value
	diags.Append(config.GetAttribute(ctx, path.Root(attrTimeouts), &timeouts)...)
	for attribute, target := range targets {
		diags.Append(config.GetAttribute(ctx, path.Root(attribute), target)...)
	}
	client := clientOf(data, diags)
	if diags.HasError() {
		return ctx, nil, listingBound{}, func() {}, false
	}
	ctx, bound, cancel := withListingTimeout(ctx, "timeouts.read", timeouts.Read, diags)
	return ctx, client, bound, cancel, !diags.HasError()
}
