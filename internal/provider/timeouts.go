package provider

import (
	"context"
	"errors"
	"time"

	datasourcetimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// defaultCreateTimeout bounds restore plus the wait until it is visible.
const defaultCreateTimeout = 5 * time.Minute

// withTimeout bounds ctx by the timeout that read returns, defaulting to
// defaultCreateTimeout: timeouts.create of a resource, timeouts.invoke of
// the action. ok is false when the timeout cannot be read (the diagnostics
// say why).
func withTimeout(ctx context.Context, read func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration, bool) {
	timeout, d := read(ctx, defaultCreateTimeout)
	diags.Append(d...)
	if diags.HasError() {
		return ctx, func() {}, 0, false
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, timeout, true
}

// defaultListingTimeout bounds a listing data source's Read and a list
// resource's List. The largest listing ghapi reads (MaxListPages pages, 4
// at a time) takes about a minute at GitHub's usual pace; five leave room
// for retries and rate-limit waits, and still end a stuck listing.
const defaultListingTimeout = 5 * time.Minute

// readTimeoutBlock is the timeouts block of the listing data sources.
func readTimeoutBlock(ctx context.Context) schema.Block {
	return datasourcetimeouts.BlockWithOpts(ctx, datasourcetimeouts.Opts{
		ReadDescription: "How long to list, every page and retry included (default `5m`).",
	})
}

// errListingTimedOut is the cause of a listing's context whose timeout ran
// out: it tells that timeout from Terraform cancelling the operation.
var errListingTimedOut = errors.New("the listing's timeout ran out")

// listingBound is the time bound of one listing, for its messages: the
// attribute that sets it and its value.
type listingBound struct {
	attribute string
	timeout   time.Duration
}

// withListingTimeout bounds ctx by the timeout read returns, by default
// defaultListingTimeout; attribute names it in messages.
func withListingTimeout(ctx context.Context, attribute string, read func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics) (context.Context, listingBound, context.CancelFunc) {
	timeout, d := read(ctx, defaultListingTimeout)
	diags.Append(d...)
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errListingTimedOut)
	return ctx, listingBound{attribute: attribute, timeout: timeout}, cancel
}

// listingTimedOutIn reports whether the listing timeout of ctx ran out.
func listingTimedOutIn(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), errListingTimedOut)
}
