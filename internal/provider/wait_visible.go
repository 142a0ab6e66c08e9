package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/poll"
)

// waitVisible polls get, after GitHub accepted a restore, until it succeeds
// or ctx (the create timeout) ends. A 404 means "not yet"; so does a
// transient failure: the restore was accepted, and a flaky check is no
// reason to give up early.
func waitVisible(ctx context.Context, clock poll.Clock, timeout time.Duration, get func(context.Context) error) error {
	var lastErr error
	checks, err := poll.Until(ctx, clock, poll.DefaultBackoff, func(ctx context.Context) (bool, error) {
		err := get(ctx)
		switch {
		case ghapi.IsNotFound(err):
			tflog.Debug(ctx, "restored, not visible yet")
			return false, nil
		case ghapi.IsTransient(err) && ctx.Err() == nil:
			lastErr = err
			tflog.Warn(ctx, "checking what was restored failed; checking again", map[string]any{"error": err.Error()})
			return false, nil
		}
		return err == nil, err
	})
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &notVisibleError{checks: checks, timeout: timeout, last: lastErr}
	}
	if err == nil {
		tflog.Info(ctx, "restored and visible", map[string]any{"checks": checks})
	}
	return err
}
