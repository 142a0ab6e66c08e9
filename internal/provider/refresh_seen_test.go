package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/refresh"
)

// keys is a private state in memory.
type keys map[string][]byte

func (k keys) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) { return k[key], nil }
func (k keys) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	k[key] = value
	return nil
}

// TestSeenInPrivateState: a Seen round-trips; one that cannot be read (a
// hand-edited state) costs the refresh its sizing, never an error; and an
// unchanged Seen is not written again, so the state file stays as it was.
func TestSeenInPrivateState(t *testing.T) {
	ctx := context.Background()
	for raw, want := range map[string]refresh.Seen{"": 0, "250": 250, "-3": 0, `"250"`: 0, "2.5": 0} {
		private := keys{}
		if raw != "" {
			private[refresh.SeenKey] = []byte(raw)
		}
		if got := lastSeen(ctx, private); got != want {
			t.Errorf("lastSeen(%q) = %d, want %d", raw, got, want)
		}
	}

	private := keys{}
	var diags diag.Diagnostics
	keepSeen(ctx, private, 0, 700, &diags)
	if got := lastSeen(ctx, private); got != 700 || diags.HasError() {
		t.Fatalf("kept 700, read back %d (%v)", got, diags)
	}
	delete(private, refresh.SeenKey)
	keepSeen(ctx, private, 700, 700, &diags)
	keepSeen(ctx, private, 0, 0, &diags)
	if _, written := private[refresh.SeenKey]; written {
		t.Error("an unchanged or unknown Seen was written")
	}
}
