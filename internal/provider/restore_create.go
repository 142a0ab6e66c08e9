package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/poll"
)

// defaultCreateTimeout bounds restore plus the wait until it is visible.
const defaultCreateTimeout = 5 * time.Minute

// withCreateTimeout bounds a restore resource's Create by timeouts.create.
// ok is false when the timeout cannot be read (the diagnostics say why).
func withCreateTimeout(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics) (context.Context, context.CancelFunc, time.Duration, bool) {
	return withTimeout(ctx, t.Create, diags)
}

// withTimeout bounds ctx by the timeout that read returns, defaulting to
// defaultCreateTimeout: timeouts.create of a resource, timeouts.invoke of
// the action.
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

// restoredOutcome is what restored and restored_at record of a Create: the
// time of the restore, or null when an already visible object was adopted.
func restoredOutcome(restored bool, clock poll.Clock) (types.Bool, timetypes.RFC3339) {
	if !restored {
		return types.BoolValue(false), timetypes.NewRFC3339Null()
	}
	return types.BoolValue(true), timetypes.NewRFC3339TimeValue(clock.Now().UTC().Truncate(time.Second))
}
