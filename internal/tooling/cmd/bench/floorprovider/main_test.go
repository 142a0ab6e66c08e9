package main

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	ghpkg "github.com/ghpkg/terraform-provider-ghpkg/internal/provider"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/serve"
)

const floorType = "floor_package_restore"

// resourceSchema is typeName's schema as server reports it to Terraform.
func resourceSchema(t *testing.T, server tfprotov6.ProviderServer, typeName string) *tfprotov6.Schema {
	t.Helper()
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	checkDiagnostics(t, "GetProviderSchema", resp.Diagnostics)
	s, ok := resp.ResourceSchemas[typeName]
	if !ok {
		t.Fatalf("%T serves no resource %s", server, typeName)
	}
	return s
}

func checkDiagnostics(t *testing.T, rpc string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		t.Errorf("%s: %s: %s: %s", rpc, d.Severity, d.Summary, d.Detail)
	}
	if len(diags) > 0 {
		t.FailNow()
	}
}

// TestFloorHasGhpkgSchema: Terraform sees in floor_package_restore the
// schema of ghpkg_user_package_restore, attribute for attribute (type,
// required, optional, computed, sensitive, write-only), blocks included.
func TestFloorHasGhpkgSchema(t *testing.T) {
	floor := resourceSchema(t, serve.NewServer(func() provider.Provider { return floorProvider{} }), floorType)
	ghpkgSchema := resourceSchema(t, serve.NewServer(ghpkg.New("test")), "ghpkg_user_package_restore")
	if diff := cmp.Diff(ghpkgSchema, floor, cmp.Comparer(func(a, b tftypes.Type) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("floor_package_restore's schema differs from ghpkg_user_package_restore's (-ghpkg +floor):\n%s", diff)
	}
}

// TestFloorModelFitsSchema: the floor's hand-written model still fits the
// schema it takes from ghpkg. A create and an in-place update (a change of
// the owner's case) go through the protocol as Terraform sends them, and
// the floor's Create and Update, which read the plan into the model and
// write the model to state, answer without a diagnostic.
func TestFloorModelFitsSchema(t *testing.T) {
	ctx := context.Background()
	server := serve.NewServer(func() provider.Provider { return floorProvider{} })
	typ := resourceSchema(t, server, floorType).ValueType()
	objectType, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s's value type is %s, not an object", floorType, typ)
	}
	attrTypes := objectType.AttributeTypes

	// object is a value of the resource's type: the given attributes, the
	// others null.
	object := func(known map[string]tftypes.Value) tftypes.Value {
		vals := make(map[string]tftypes.Value, len(attrTypes))
		for name, at := range attrTypes {
			vals[name] = tftypes.NewValue(at, nil)
		}
		for name, v := range known {
			if _, ok := attrTypes[name]; !ok {
				t.Fatalf("the schema has no attribute %s", name)
			}
			vals[name] = v
		}
		return tftypes.NewValue(typ, vals)
	}
	dynamic := func(v tftypes.Value) *tfprotov6.DynamicValue {
		dv, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			t.Fatal(err)
		}
		return &dv
	}
	attributes := func(dv *tfprotov6.DynamicValue) map[string]tftypes.Value {
		v, err := dv.Unmarshal(typ)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]tftypes.Value
		if err := v.As(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	// apply plans config over prior (as Terraform proposes: the
	// configuration, with prior values for what it leaves null) and applies
	// the plan; it returns the new state's attributes.
	apply := func(prior, config tftypes.Value) map[string]tftypes.Value {
		proposed := config
		if !prior.IsNull() {
			var priorVals, configVals map[string]tftypes.Value
			if err := prior.As(&priorVals); err != nil {
				t.Fatal(err)
			}
			if err := config.As(&configVals); err != nil {
				t.Fatal(err)
			}
			for name, v := range configVals {
				if v.IsNull() && name != "token" {
					configVals[name] = priorVals[name]
				}
			}
			proposed = tftypes.NewValue(typ, configVals)
		}
		plan, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
			TypeName: floorType, PriorState: dynamic(prior), ProposedNewState: dynamic(proposed), Config: dynamic(config),
		})
		if err != nil {
			t.Fatal(err)
		}
		checkDiagnostics(t, "PlanResourceChange", plan.Diagnostics)
		if !prior.IsNull() && len(plan.RequiresReplace) > 0 {
			t.Fatalf("PlanResourceChange replaces the resource for %v", plan.RequiresReplace)
		}
		resp, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
			TypeName: floorType, PriorState: dynamic(prior), PlannedState: plan.PlannedState, Config: dynamic(config),
		})
		if err != nil {
			t.Fatal(err)
		}
		checkDiagnostics(t, "ApplyResourceChange", resp.Diagnostics)
		return attributes(resp.NewState)
	}
	config := func(username string) tftypes.Value {
		return object(map[string]tftypes.Value{
			"username":     tftypes.NewValue(tftypes.String, username),
			"package_type": tftypes.NewValue(tftypes.String, "npm"),
			"package_name": tftypes.NewValue(tftypes.String, "pkg"),
			"token":        tftypes.NewValue(tftypes.String, "a-token"),
		})
	}

	created := apply(tftypes.NewValue(typ, nil), config("octocat"))
	if want := tftypes.NewValue(tftypes.String, "octocat/npm/pkg"); !created["id"].Equal(want) {
		t.Errorf("id after create = %v, want %v", created["id"], want)
	}
	if !created["token"].IsNull() {
		t.Errorf("token after create = %v, want null (write-only)", created["token"])
	}

	updated := apply(tftypes.NewValue(typ, created), config("OctoCat"))
	if want := tftypes.NewValue(tftypes.String, "OctoCat"); !updated["username"].Equal(want) {
		t.Errorf("username after update = %v, want %v", updated["username"], want)
	}
	if !updated["id"].Equal(created["id"]) {
		t.Errorf("id after update = %v, want %v", updated["id"], created["id"])
	}
}
