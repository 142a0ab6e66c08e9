package provider

import (
	"context"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/refresh"
)

// A resource keeps, in its private state under refresh.SeenKey, a
// refresh.Seen: set by its Create (its place among its listing's creates)
// or by a Read that had none, and changed only as Batcher.Read says. Each
// refresh sizes its listing fetches by the Seen its first Reads bring,
// instead of learning the stack's size at its last Read.

// privateState is the part of the framework's private state (a type it
// keeps internal) that resources read and write.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// lastSeen returns the Seen kept in private state; 0 when there is none
// (state from an earlier version, an import) or it cannot be read, which
// only costs the refresh the listing's sizing.
func lastSeen(ctx context.Context, private privateState) refresh.Seen {
	raw, diags := private.GetKey(ctx, refresh.SeenKey)
	if diags.HasError() || raw == nil {
		return 0
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil || n < 0 {
		tflog.Debug(ctx, "ignoring an unreadable refresh_seen in private state", map[string]any{"value": string(raw)})
		return 0
	}
	return refresh.Seen(n)
}

// keepSeen keeps seen in private state for the next refresh, unless it is
// last, the one kept already (an unchanged private state leaves the state
// file as it was). 0 keeps nothing.
func keepSeen(ctx context.Context, private privateState, last, seen refresh.Seen, diags *diag.Diagnostics) {
	if seen > 0 && seen != last {
		diags.Append(private.SetKey(ctx, refresh.SeenKey, []byte(strconv.Itoa(int(seen))))...)
	}
}
