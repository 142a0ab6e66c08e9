package serve

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// releasingServer passes the framework's server, for each RPC Terraform
// sends once per resource, a context that lets go of the request when the
// RPC returns.
//
// terraform-plugin-framework (v1.19, internal/proto6server registerContext)
// keeps the cancel function of every RPC's context until StopProvider, so
// that it can cancel them all, and with it the whole context chain: the
// SDK's loggers and field maps, the gRPC stream. That is about 40 KiB per
// resource a plan keeps alive to its end: a plan of 10000 resources peaked
// at 1.3 GiB, and every garbage collection marked all of it again. With
// this wrapper the framework keeps only a released requestContext per RPC.
//
// Streaming RPCs (ListResource, InvokeAction) are not wrapped: their
// streams use the context after the RPC returns.
type releasingServer struct {
	frameworkServer
}

// frameworkServer is what the framework's server implements: tf6server
// finds list resources, actions and state stores by type assertion, so
// the wrapper must carry their methods too (with only ProviderServer
// embedded, Terraform answered "ValidateListResourceConfig Not
// Implemented").
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// releasingServer offers every RPC family tf6server serves, checked by the
// compiler: the ones ProviderServer holds (resources and their identities,
// data sources, functions, ephemeral resources) and the ones tf6server
// finds by type assertion (list resources, actions, state stores). Whether
// the framework's server is a frameworkServer, so that NewServer wraps it
// at all, is checked by TestFrameworkRequestsAreLetGo.
var (
	_ tfprotov6.ProviderServer          = releasingServer{}
	_ tfprotov6.ResourceServer          = releasingServer{}
	_ tfprotov6.DataSourceServer        = releasingServer{}
	_ tfprotov6.FunctionServer          = releasingServer{}
	_ tfprotov6.EphemeralResourceServer = releasingServer{}
	_ tfprotov6.ListResourceServer      = releasingServer{}
	_ tfprotov6.ActionServer            = releasingServer{}
	_ tfprotov6.StateStoreServer        = releasingServer{}

	_ tfprotov6.ProviderServerWithListResource = releasingServer{} //nolint:staticcheck // tf6server still asserts it
	_ tfprotov6.ProviderServerWithActions      = releasingServer{} //nolint:staticcheck // tf6server still asserts it
	_ tfprotov6.ProviderServerWithStateStores  = releasingServer{} //nolint:staticcheck // tf6server still asserts it
)

// released runs one unary RPC on a requestContext released when it returns.
func released[Req, Resp any](ctx context.Context, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newRequestContext(ctx)
	defer rc.release()
	return rpc(rc, req)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return released(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return released(ctx, req, s.frameworkServer.UpgradeResourceState)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return released(ctx, req, s.frameworkServer.UpgradeResourceIdentity)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return released(ctx, req, s.frameworkServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return released(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return released(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return released(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return released(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return released(ctx, req, s.frameworkServer.ReadDataSource)
}

// requestContext is an RPC's context until release, then a context with no
// values whose Done channel, deadline and end are the RPC's. Nothing of
// ghpkg uses an RPC's context after the RPC returns (the refresh's page
// fetches end before the Read that started them), so only the framework's
// retained copies ever see it released.
type requestContext struct {
	parent   atomic.Pointer[context.Context]
	done     <-chan struct{}
	deadline time.Time
	hasLimit bool
}

func newRequestContext(parent context.Context) *requestContext {
	rc := &requestContext{done: parent.Done()}
	rc.deadline, rc.hasLimit = parent.Deadline()
	rc.parent.Store(&parent)
	return rc
}

// release drops the reference to the RPC's context.
func (c *requestContext) release() { c.parent.Store(nil) }

func (c *requestContext) Deadline() (time.Time, bool) { return c.deadline, c.hasLimit }

// Done is the RPC's own channel, so that context.WithCancel on a
// requestContext joins the RPC's cancellation without a goroutine.
func (c *requestContext) Done() <-chan struct{} { return c.done }

func (c *requestContext) Err() error {
	if p := c.parent.Load(); p != nil {
		return (*p).Err()
	}
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

func (c *requestContext) Value(key any) any {
	if p := c.parent.Load(); p != nil {
		return (*p).Value(key)
	}
	return nil
}
