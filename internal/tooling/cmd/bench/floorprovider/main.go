// Command floorprovider is the benchmark's floor: a terraform-plugin-framework
// provider whose one resource, floor_package_restore, has the schema of
// ghpkg_user_package_restore (taken from that resource: the same
// attributes, kinds, validators, plan modifiers, write-only token and
// timeouts block) and is served the same way (internal/serve), but sends
// no request: Create fills constants, Read returns the state. What ghpkg's
// plan costs above this one is ghpkg's own work. The bench builds it into
// a scratch directory.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	ghpkg "github.com/ghpkg/terraform-provider-ghpkg/internal/provider"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/serve"
)

// Address is where the bench's dev_overrides install the floor.
const Address = "registry.terraform.io/ghpkg/floor"

func main() {
	if err := serve.Run(func() provider.Provider { return floorProvider{} }, Address, false); err != nil {
		log.Fatal(err.Error())
	}
}

type floorProvider struct{}

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "floor"
}

func (floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return floorResource{} }}
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type floorResource struct{}

// model has the fields of ghpkg's user package model (unexported there):
// main_test.go fails when it no longer fits the schema.
type model struct {
	Username     types.String      `tfsdk:"username"`
	ID           types.String      `tfsdk:"id"`
	PackageType  types.String      `tfsdk:"package_type"`
	PackageName  types.String      `tfsdk:"package_name"`
	Token        types.String      `tfsdk:"token"`
	PackageID    types.Int64       `tfsdk:"package_id"`
	Visibility   types.String      `tfsdk:"visibility"`
	VersionCount types.Int64       `tfsdk:"version_count"`
	HTMLURL      types.String      `tfsdk:"html_url"`
	Repository   types.String      `tfsdk:"repository"`
	CreatedAt    timetypes.RFC3339 `tfsdk:"created_at"`
	UpdatedAt    timetypes.RFC3339 `tfsdk:"updated_at"`
	Restored     types.Bool        `tfsdk:"restored"`
	RestoredAt   timetypes.RFC3339 `tfsdk:"restored_at"`
	Timeouts     timeouts.Value    `tfsdk:"timeouts"`
}

func (floorResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_package_restore"
}

// Schema is ghpkg_user_package_restore's, from that resource's own Schema
// method: a value built in memory (attributes, descriptions, validators,
// plan modifiers, the write-only token, the timeouts block), no request,
// and never a copy that drifts. main_test.go checks that the model above
// still fits it.
func (floorResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	ghpkg.NewUserPackageRestoreResource().Schema(ctx, req, resp)
}

// Create fills what ghpkg's adopt would, with constants.
func (floorResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.ID = types.StringValue(m.Username.ValueString() + "/" + m.PackageType.ValueString() + "/" + m.PackageName.ValueString())
	m.Token = types.StringNull()
	m.PackageID, m.VersionCount = types.Int64Value(1), types.Int64Value(1)
	m.Visibility, m.HTMLURL, m.Repository = types.StringValue("private"), types.StringValue("https://github.com/"), types.StringNull()
	m.CreatedAt = timetypes.NewRFC3339ValueMust("2026-01-01T00:00:00Z")
	m.UpdatedAt = m.CreatedAt
	m.Restored, m.RestoredAt = types.BoolValue(false), timetypes.NewRFC3339Null()
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Read returns the state as it is: the framework has already copied it
// into the response.
func (floorResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (floorResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.Token = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (floorResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
