package serve

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// emptyProvider is a framework provider with nothing in it: the framework's
// own handling of an RPC is what these tests look at.
type emptyProvider struct{}

func (emptyProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "empty"
}
func (emptyProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (emptyProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (emptyProvider) Resources(context.Context) []func() resource.Resource       { return nil }
func (emptyProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type payloadKey struct{}

// payload stands for what an RPC's context holds: loggers, the gRPC stream.
type payload struct{ _ [64 << 10]byte }

// oneRPC sends server one ValidateResourceConfig whose context holds a
// payload, and returns a weak pointer to it and the RPC's diagnostics.
func oneRPC(t *testing.T, server tfprotov6.ProviderServer) (weak.Pointer[payload], []*tfprotov6.Diagnostic) {
	t.Helper()
	p := new(payload)
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), payloadKey{}, p))
	resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "empty_thing"})
	cancel() // as gRPC does when a unary RPC returns
	if err != nil {
		t.Fatal(err)
	}
	return weak.Make(p), resp.Diagnostics
}

func collected(p weak.Pointer[payload]) bool {
	runtime.GC()
	runtime.GC()
	return p.Value() == nil
}

// TestFrameworkRequestsAreLetGo: the framework alone keeps an RPC's context
// alive after the RPC; through releasingServer nothing of it stays. If the
// first half fails, a framework upgrade fixed the retention and
// releasingServer can go.
func TestFrameworkRequestsAreLetGo(t *testing.T) {
	framework := providerserver.NewProtocol6(emptyProvider{})()
	if p, _ := oneRPC(t, framework); collected(p) {
		t.Fatal("the framework no longer keeps RPC contexts: releasingServer is not needed any more")
	}
	runtime.KeepAlive(framework) // a served provider lives on after its RPCs

	wrapped := NewServer(func() provider.Provider { return emptyProvider{} })
	p, diags := oneRPC(t, wrapped)
	if !collected(p) {
		t.Error("the RPC's context is still reachable after the RPC through releasingServer")
	}
	runtime.KeepAlive(wrapped)
	// The RPC itself went through: the framework answered about the type.
	if len(diags) != 1 || !strings.Contains(diags[0].Detail, "empty_thing") {
		t.Errorf("diagnostics = %+v, want one naming empty_thing", diags)
	}
}

// TestRequestContext: during the RPC a requestContext is the RPC's context;
// released, it has no values but still ends with the RPC.
func TestRequestContext(t *testing.T) {
	deadline := time.Now().Add(time.Hour)
	parent, cancel := context.WithDeadline(context.WithValue(context.Background(), payloadKey{}, "v"), deadline)
	rc := newRequestContext(parent)
	child, cancelChild := context.WithCancel(rc) // as the framework does
	defer cancelChild()

	if got := child.Value(payloadKey{}); got != "v" {
		t.Errorf("Value during the RPC = %v, want v", got)
	}
	if d, ok := child.Deadline(); !ok || !d.Equal(deadline) {
		t.Errorf("Deadline = %v %v, want %v", d, ok, deadline)
	}

	rc.release()
	if got := child.Value(payloadKey{}); got != nil {
		t.Errorf("Value after release = %v, want nil", got)
	}
	if err := rc.Err(); err != nil {
		t.Errorf("Err after release, before the RPC's end = %v", err)
	}
	cancel()
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the end of the RPC did not reach a context derived from its requestContext")
	}
	if err := rc.Err(); err != context.Canceled {
		t.Errorf("Err after the RPC's end = %v, want context.Canceled", err)
	}
}
