package provider

import (
	"context"

	actiontimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/actionvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider/validate"
)

func (a *packageRestoreAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Restores a deleted package, or one deleted version of a package, once (Terraform " +
			"1.14 or later). Use it in runbooks (`terraform apply -invoke=action.ghpkg_package_restore.<name>`) " +
			"or from a resource's `lifecycle { action_trigger { ... } }`. Unlike the restore resources, it keeps " +
			"nothing in state and does not check the package again later.\n\n" +
			"It does what a restore resource's create does: a package or version that is already visible is " +
			"left alone (no restore is sent); otherwise it asks GitHub to restore it and waits until GitHub shows " +
			"it, retrying transient failures as the provider's `max_retries` allows. It reports its progress " +
			"while it runs, and at the end whether it restored or found nothing to do.",
		Attributes: map[string]schema.Attribute{
			"username": schema.StringAttribute{
				MarkdownDescription: userOwner.description + " Exactly one of `username` and `org`.",
				Optional:            true,
				Validators:          []validator.String{validate.Owner(userOwner.scope)},
			},
			"org": schema.StringAttribute{
				MarkdownDescription: orgOwner.description + " Exactly one of `username` and `org`.",
				Optional:            true,
				Validators:          []validator.String{validate.Owner(orgOwner.scope)},
			},
			"package_type": schema.StringAttribute{
				MarkdownDescription: "The registry of the package: one of `npm`, `maven` (also Gradle), `rubygems`, " +
					"`docker`, `nuget` or `container` (ghcr.io).",
				Required:   true,
				Validators: []validator.String{validate.PackageType()},
			},
			"package_name": schema.StringAttribute{
				MarkdownDescription: "The package's name exactly as GitHub lists it (may contain `/`).",
				Required:            true,
				Validators:          []validator.String{validate.PackageName()},
			},
			"package_version_id": schema.Int64Attribute{
				MarkdownDescription: "Restore this version (the number at the end of its URL on GitHub) instead " +
					"of the package. At most one of `package_version_id` and `version`. The package itself must " +
					"be visible.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"version": schema.StringAttribute{
				MarkdownDescription: "Restore the version of this name instead of the package: an npm, Maven, NuGet " +
					"or RubyGems version (`1.4.2`), or a container tag (`v1.4.2`) or digest (`sha256:...`), looked " +
					"up among the deleted versions (the most recently deleted when several match; an active " +
					"version of that name is left alone). GitHub lists deleted versions only of organisations and " +
					"of the token's own account: for another user's package use `package_version_id`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "A package token, sent as the package restore call's `token` query parameter " +
					"when GitHub asks for one (not for versions: GitHub's version restore takes none). An action " +
					"keeps no state, but Terraform shows an action's configuration in the plan, and an action's " +
					"attributes can be neither sensitive nor write-only: pass the token through a variable " +
					"declared `sensitive = true` (the plan then shows `(sensitive value)`), never as a literal. " +
					"Terraform refuses ephemeral values here.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": actiontimeouts.BlockWithOpts(ctx, actiontimeouts.Opts{
				InvokeDescription: "How long to restore and wait until GitHub shows what was restored (default " +
					"`5m`, as a restore resource's create).",
			}),
		},
	}
}

// ConfigValidators: one owner, at most one way to name a version, and no
// token for a version (GitHub's version restore has no such parameter);
// all checked at validate time, before any request.
func (a *packageRestoreAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return []action.ConfigValidator{
		actionvalidator.ExactlyOneOf(path.MatchRoot("username"), path.MatchRoot("org")),
		actionvalidator.Conflicting(path.MatchRoot("package_version_id"), path.MatchRoot("version")),
		actionvalidator.Conflicting(path.MatchRoot("token"), path.MatchRoot("package_version_id")),
		actionvalidator.Conflicting(path.MatchRoot("token"), path.MatchRoot("version")),
	}
}
