package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

// Features newer than the oldest supported Terraform, and the CLIs that
// have them. Unlike tfversion.SkipBelow, the check knows OpenTofu from
// Terraform: OpenTofu 1.12 has identity, but no actions and no query.
var (
	needsWriteOnly = needs("1.11.0", "1.11.0")
	needsIdentity  = needs("1.12.0", "1.12.0")
	needsQuery     = needs("1.14.0", "")
	needsActions   = needs("1.14.0", "")
)

func needs(terraform, tofu string) []tfversion.TerraformVersionCheck {
	return []tfversion.TerraformVersionCheck{cliCheck{tfcli.Requirement{Terraform: terraform, Tofu: tofu}}}
}

type cliCheck struct{ tfcli.Requirement }

func (c cliCheck) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	resp.Skip = c.SkipReason()
}
