package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// packageIdentity is the identity a package resource of p must store.
func packageIdentity(ownerAttribute string, p ghfake.Package) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		ownerAttribute: knownvalue.StringExact(p.Owner),
		"package_type": knownvalue.StringExact(p.Type),
		"package_name": knownvalue.StringExact(p.Name),
	}
}

func TestAccUserPackageRestore_identityAndImportByIdentity(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	config := restoreConfig(srv, appPackage, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   needsIdentity,
		CheckDestroy:             expectPackageKept(srv, appPackage),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity(testResource, packageIdentity("username", appPackage)),
			}},
			{Config: config, ResourceName: testResource, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{Config: config, ResourceName: testResource, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportStateId: "octocat/container/octo-app"},
		},
	})
}

// GitHub compares owners case-insensitively: the identity holds the owner in
// lower case, so a change of case in configuration is no change of identity.
func TestAccOrgPackageRestore_identityOwnerIsLowerCase(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(orgImage)
	lower := orgRestoreConfig(srv, orgImage, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   needsIdentity,
		CheckDestroy:             expectPackageKept(srv, orgImage),
		Steps: []resource.TestStep{
			{Config: orgRestoreConfig(srv, orgImage, "Octo-Org"), ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity(testOrgResource, packageIdentity("org", orgImage)),
				statecheck.ExpectKnownValue(testOrgResource, attr("org"), knownvalue.StringExact("Octo-Org")),
			}},
			{Config: lower, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(testOrgResource, plancheck.ResourceActionUpdate),
			}}, ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity(testOrgResource, packageIdentity("org", orgImage)),
			}},
			{Config: lower, ResourceName: testOrgResource, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}

func TestAccOrgPackageVersionRestore_identityAndImportByIdentity(t *testing.T) {
	srv := acctest.NewServer(t)
	_, deleted := withReleases(srv, orgApp)
	byID := versionConfig(srv, orgApp, fmt.Sprintf("package_version_id = %d", deleted.ID))
	identity := packageIdentity("org", orgApp)
	identity["package_version_id"] = knownvalue.Int64Exact(deleted.ID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   needsIdentity,
		Steps: []resource.TestStep{
			// Named by tag: the identity holds the ID the tag resolved to.
			{Config: versionConfig(srv, orgApp, `version = "v1"`), ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity(testOrgVersion, identity),
			}},
			{Config: byID, ResourceName: testOrgVersion, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}

// withoutIdentity serves the provider as it was before resource identity:
// no identity schemas and no identity in any answer. State it writes has no
// identity, like state written by Terraform 1.11 or an older ghpkg.
func withoutIdentity() (tfprotov6.ProviderServer, error) {
	server, err := testAccProtoV6ProviderFactories["ghpkg"]()
	return identityStripper{server}, err
}

type identityStripper struct{ tfprotov6.ProviderServer }

func (s identityStripper) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{}, nil
}

func (s identityStripper) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := s.ProviderServer.ReadResource(ctx, req)
	if resp != nil {
		resp.NewIdentity = nil
	}
	return resp, err
}

func (s identityStripper) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		resp.PlannedIdentity = nil
	}
	return resp, err
}

func (s identityStripper) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		resp.NewIdentity = nil
	}
	return resp, err
}

// driftOnStateWithoutIdentity applies config with the provider of before
// identity, deletes the object behind Terraform's back, then plans with
// today's provider: the plan must show a create (drift, exit code 2), not
// "Missing Resource Identity After Read". It runs on every Terraform.
func driftOnStateWithoutIdentity(t *testing.T, srv *acctest.Server, config, address string, deleteObject func() error) {
	old := map[string]func() (tfprotov6.ProviderServer, error){"ghpkg": withoutIdentity}
	resource.ParallelTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config, ProtoV6ProviderFactories: old},
			{
				PreConfig: func() {
					if err := deleteObject(); err != nil {
						t.Fatal(err)
					}
				},
				Config:                   config,
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreate),
				}},
				Check: expectRestores(srv, 1),
			},
		},
	})
}

func TestAccUserPackageRestore_driftOnStateWithoutIdentity(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.AddPackage(appPackage)
	driftOnStateWithoutIdentity(t, srv, restoreConfig(srv, appPackage, ""), testResource, func() error {
		return srv.DeletePackage(appPackage)
	})
}

func TestAccOrgPackageVersionRestore_driftOnStateWithoutIdentity(t *testing.T) {
	srv := acctest.NewServer(t)
	active, _ := withReleases(srv, orgApp)
	config := versionConfig(srv, orgApp, fmt.Sprintf("package_version_id = %d", active.ID))
	driftOnStateWithoutIdentity(t, srv, config, testOrgVersion, func() error {
		if fake, ok := srv.EmulatorState(); ok { // a cassette already holds the answers that follow
			return fake.DeleteVersion(orgApp, active.ID)
		}
		return nil
	})
}

func TestAccOrgPackageRestore_invalidImportIdentityNamesTheRule(t *testing.T) {
	srv := acctest.NewServer(t)
	config := orgRestoreConfig(srv, orgImage, "") + `
import {
  to       = ghpkg_org_package_restore.test
  identity = { org = "octo--org", package_type = "container", package_name = "octo-repo/octo-app" }
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   needsIdentity,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: errorPattern("Invalid Import Identity", `org "octo--org"`, "package_version_id"),
		}},
	})
	if n := srv.CountRequests(""); n != 0 {
		t.Fatalf("sent %d requests for an invalid import identity", n)
	}
}
