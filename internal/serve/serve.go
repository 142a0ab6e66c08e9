// Package serve runs a terraform-plugin-framework provider the way ghpkg's
// binary does: the SDK's unread logging turned off, and CPU and allocation
// profiles on request. The benchmark's floor provider is served through the
// same function, so the two differ only in what their resources do.
package serve

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

// Run serves the provider at address until Terraform stops it.
func Run(ctx context.Context, newProvider func() provider.Provider, address string, debug bool) error {
	silenceUnreadLogs(environ(), setenv)
	stop, err := startProfiles(lookupEnv)
	if err != nil {
		return err
	}
	defer stop()
	return providerserver.Serve(ctx, newProvider, providerserver.ServeOpts{Address: address, Debug: debug})
}
