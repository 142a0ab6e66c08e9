package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/poll"
)

// notVisibleError means GitHub accepted a restore but what was restored did
// not become visible before the create timeout.
type notVisibleError struct {
	checks  int
	timeout time.Duration
	last    error // the last failed check, nil when every check answered 404
}

func (e *notVisibleError) Error() string {
	return fmt.Sprintf("not visible after %d checks in %s", e.checks, e.timeout)
}

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
