// Package serve runs a terraform-plugin-framework provider the way ghpkg's
// binary does: the SDK's unread logging turned off, request contexts let go
// of when their RPC returns (releasingServer), and CPU and allocation
// profiles on request. The benchmark's floor provider is served through the
// same function, so the two differ only in what their resources do.
package serve

import (
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Run serves the provider at address until Terraform stops it.
func Run(newProvider func() provider.Provider, address string, debug bool) error {
	silenceUnreadLogs(environ(), setenv)
	stop, err := startProfiles(lookupEnv)
	if err != nil {
		return err
	}
	defer stop()
	// providerserver.Serve, with the framework's server wrapped.
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	return tf6server.Serve(address, func() tfprotov6.ProviderServer { return NewServer(newProvider) }, opts...)
}

// NewServer is the protocol server Run serves: the framework's, wrapped in
// releasingServer. Acceptance tests serve the provider through it too.
func NewServer(newProvider func() provider.Provider) tfprotov6.ProviderServer {
	server := providerserver.NewProtocol6(newProvider())()
	framework, ok := server.(frameworkServer)
	if !ok { // a framework upgrade dropped an RPC family: serve it unwrapped rather than hide it
		return server
	}
	return releasingServer{framework}
}
