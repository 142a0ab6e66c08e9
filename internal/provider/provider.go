// Package provider is ghpkg's Terraform layer. For a user's (user) and an
// organisation's (org) namespace it serves the resources
// ghpkg_{user,org}_package_restore and _package_version_restore (restore a
// deleted package or version, or adopt a visible one, and check at every
// refresh that it stays visible; destroy deletes nothing), the data sources
// ghpkg_{user,org}_packages, _package_versions and _restore_preview (list a
// namespace, list a package's versions, say at plan what apply will do) and
// the list resources ghpkg_{user,org}_package_restore (terraform query); and
// the action ghpkg_package_restore, one restore on demand. Every GitHub call
// goes through internal/ghapi; every message is worded in diagnostics*.go.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/poll"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/refresh"
)

var (
	_ provider.Provider                  = (*ghpkgProvider)(nil)
	_ provider.ProviderWithActions       = (*ghpkgProvider)(nil)
	_ provider.ProviderWithListResources = (*ghpkgProvider)(nil)
)

// Environment variables read when the provider block leaves a setting out
// (the token's: provider_token.go), the same ones the GitHub provider and gh
// use.
const (
	envBaseURL        = "GITHUB_BASE_URL"
	envRequestTimeout = "GHPKG_REQUEST_TIMEOUT"
)

type ghpkgProvider struct {
	version string
	// ghToken asks the GitHub CLI for a token, the last source of one.
	ghToken ghTokenFunc
	// clock is the provider's clock; nil is the wall clock. Tests against
	// ghfake's fixed clock set one that stands at its epoch.
	clock poll.Clock
}

type providerModel struct {
	Token          types.String         `tfsdk:"token"`
	BaseURL        types.String         `tfsdk:"base_url"`
	MaxRetries     types.Int64          `tfsdk:"max_retries"`
	BatchRefresh   types.Bool           `tfsdk:"batch_refresh"`
	RequestTimeout timetypes.GoDuration `tfsdk:"request_timeout"`
}

// maxRetriesLimit keeps a typo from turning a failing apply into hours of
// retries.
const maxRetriesLimit = 10

// maxRequestTimeout keeps a typo ("300m") from turning a silent server into
// an hour-long hang.
const maxRequestTimeout = 10 * time.Minute

// New returns the provider factory; version reaches the User-Agent.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &ghpkgProvider{version: version, ghToken: ghCLIToken(ghTimeout)} }
}

func (p *ghpkgProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ghpkg"
	resp.Version = p.version
}

func (p *ghpkgProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Restores deleted GitHub Packages and keeps checking that they stay visible.",
		Attributes: map[string]schema.Attribute{
			"token": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("A GitHub personal access token (classic) with `read:packages` and "+
					"`write:packages` (plus `repo` for packages in repository-scoped registries). When it is unset or "+
					"empty, ghpkg takes the first token it finds in the `GITHUB_TOKEN` environment variable, the "+
					"`GH_TOKEN` environment variable, then the GitHub CLI's login for the `base_url` host (`gh auth "+
					"token --hostname github.com`, or your GitHub Enterprise host), when `gh` is on `PATH` (at most "+
					"%s; its output is never logged). Errors about a rejected token say which of these it came from. "+
					"Fine-grained tokens and GitHub App tokens cannot use the Packages API.", ghTimeout),
				Optional:  true,
				Sensitive: true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "The GitHub API URL. Defaults to the `GITHUB_BASE_URL` environment variable, else " +
					"`https://api.github.com/`. For GitHub Enterprise Server give the host (`https://ghe.example.com`); " +
					"`api/v3/` is appended. Plain `http://` is accepted only for loopback hosts (local test servers).",
				Optional: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a transient failure is retried: server errors (500, 502, "+
					"503, 504), connection resets and timeouts, with exponential backoff and jitter. A restore is sent "+
					"again only after checking that the first one did not take effect. Rate limits are not retries: "+
					"every request of the provider waits as GitHub asks (`Retry-After`, else until `X-RateLimit-Reset`, "+
					"else 60 s and doubling), for as long as the operation's time allows (`timeouts.create` for a "+
					"restore, 5 minutes in all for a refresh). Other client errors are never retried. Default `%d`, at "+
					"most `%d`; `0` disables retries.", ghapi.DefaultMaxRetries, maxRetriesLimit),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxRetriesLimit)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("How long one HTTP attempt may take, from connecting to the last "+
					"byte of the answer, as a Go duration (`45s`, `2m`). Defaults to the `%s` environment variable, "+
					"else `%s`; at most `%s`. An attempt that runs out of time counts as a transient failure and is "+
					"retried up to `max_retries` times, so a server that never answers ends the run with an error "+
					"naming the host after about `(max_retries + 1) × request_timeout` (two minutes with the "+
					"defaults), whatever the resource's create timeout.",
					envRequestTimeout, ghapi.DefaultRequestTimeout, maxRequestTimeout),
				Optional:   true,
				CustomType: timetypes.GoDurationType{},
			},
			"batch_refresh": schema.BoolAttribute{
				MarkdownDescription: fmt.Sprintf("Whether a refresh reads many packages of one namespace (a user "+
					"or organisation, and a package type) from a shared listing of the namespace (100 per page), and "+
					"many versions of one package from the listing of its active versions, instead of one `GET` each. "+
					"Default `true`. The first %d objects of a listing are read one by one, so small stacks never pay "+
					"for the listing of a large namespace; after that, listing pages are fetched only while they cost "+
					"no more than one request per object read, and an object missing from the listing is confirmed "+
					"with its own `GET` before it is reported deleted. Each resource keeps in its private state a mark "+
					"of how many objects of its listing the stack holds, set when it is created, so that a refresh "+
					"of a large stack uses the listing from its first reads whatever order Terraform reads in. A plan of 500 packages then "+
					"costs about 8 requests instead of 500. Set `false` to read every object with its own request: the count then "+
					"equals the number of resources, which matters only when a listing is far larger than the stack "+
					"(at most one extra listing page per refresh).",
					refresh.DirectReads),
				Optional: true,
			},
		},
	}
}

func (p *ghpkgProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Values known only after apply: configure again when they are known.
	if config.Token.IsUnknown() || config.BaseURL.IsUnknown() || config.MaxRetries.IsUnknown() ||
		config.BatchRefresh.IsUnknown() || config.RequestTimeout.IsUnknown() {
		return
	}

	baseURL := strings.TrimSpace(settingOrEnv(config.BaseURL, envBaseURL))
	token, source, ghErr := resolveToken(ctx, config.Token, os.Getenv, p.ghToken, ghHostOf(baseURL))
	if token == "" {
		summary, detail := missingToken(ghErr)
		resp.Diagnostics.AddAttributeError(path.Root("token"), summary, detail)
		return
	}
	requestTimeout, err := resolveRequestTimeout(config.RequestTimeout)
	if err != nil {
		summary, detail := invalidRequestTimeout(err)
		resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), summary, detail)
		return
	}
	maxRetries := int64(ghapi.DefaultMaxRetries)
	if !config.MaxRetries.IsNull() {
		maxRetries = config.MaxRetries.ValueInt64()
	}
	client, err := ghapi.New(ghapi.Config{
		Token:            token,
		BaseURL:          baseURL,
		UserAgent:        fmt.Sprintf("terraform-provider-ghpkg/%s (Terraform %s)", p.version, req.TerraformVersion),
		MaxRetries:       int(maxRetries),
		MutationInterval: ghapi.DefaultMutationInterval,
		RequestTimeout:   requestTimeout,
	})
	if err != nil {
		summary, detail := invalidBaseURL(err)
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), summary, detail)
		return
	}
	tflog.Debug(ctx, "ghpkg provider configured", map[string]any{"base_url_set": baseURL != "", "token_source": source.String()})

	data := &providerData{client: client, clock: p.clock, token: source}
	if data.clock == nil {
		data.clock = poll.RealClock{}
	}
	if config.BatchRefresh.IsNull() || config.BatchRefresh.ValueBool() {
		data.packages, data.versions = refresh.Packages(client), refresh.Versions(client)
	}
	resp.ResourceData, resp.DataSourceData, resp.ActionData, resp.ListResourceData = data, data, data, data
}

// resolveRequestTimeout resolves request_timeout: the attribute, else
// GHPKG_REQUEST_TIMEOUT, else the default; within (0, maxRequestTimeout].
func resolveRequestTimeout(v timetypes.GoDuration) (time.Duration, error) {
	raw, source := v.ValueString(), "request_timeout"
	if v.IsNull() {
		raw, source = strings.TrimSpace(os.Getenv(envRequestTimeout)), envRequestTimeout
	}
	if raw == "" {
		return ghapi.DefaultRequestTimeout, nil
	}
	d, err := time.ParseDuration(raw)
	if err != nil {
		return 0, fmt.Errorf("%s = %q is not a duration; use a Go duration such as \"30s\" or \"2m\"", source, raw)
	}
	if d <= 0 || d > maxRequestTimeout {
		return 0, fmt.Errorf("%s = %q must be more than 0 and at most %s", source, raw, maxRequestTimeout)
	}
	return d, nil
}

// settingOrEnv resolves a setting: the attribute, else the environment. An
// empty attribute counts as unset, so `token = var.token` with an empty
// variable does not hide GITHUB_TOKEN.
func settingOrEnv(v types.String, env string) string {
	if s := v.ValueString(); !v.IsNull() && strings.TrimSpace(s) != "" {
		return s
	}
	return os.Getenv(env)
}

func (p *ghpkgProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewUserPackageRestoreResource, NewOrgPackageRestoreResource,
		NewUserPackageVersionRestoreResource, NewOrgPackageVersionRestoreResource,
	}
}

func (p *ghpkgProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewUserPackagesDataSource, NewOrgPackagesDataSource,
		NewUserPackageVersionsDataSource, NewOrgPackageVersionsDataSource,
		NewUserRestorePreviewDataSource, NewOrgRestorePreviewDataSource,
	}
}

// Actions: Terraform 1.14 and later; older CLIs never ask.
func (p *ghpkgProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{NewPackageRestoreAction}
}

// ListResources are the list resources of `terraform query` (Terraform 1.14
// or later), named as the resources they list.
func (p *ghpkgProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewUserPackageRestoreListResource, NewOrgPackageRestoreListResource}
}
