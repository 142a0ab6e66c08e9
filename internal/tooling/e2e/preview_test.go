package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

const previewConfig = `
terraform {
  required_providers {
    ghpkg = { source = "ghpkg/ghpkg" }
  }
}

provider "ghpkg" {}

locals {
  packages = toset(["restored-elsewhere", "deleted-since"])
  versions = toset(["v1", "v2"])
}

data "ghpkg_user_restore_preview" "this" {
  username = "octocat"
  packages = { for name in local.packages : name => { package_type = "npm", package_name = name } }
}

data "ghpkg_org_restore_preview" "this" {
  org      = "octo-org"
  versions = { for tag in local.versions : tag => { package_type = "container", package_name = "octo-api", version = tag } }
}

resource "ghpkg_user_package_restore" "this" {
  for_each     = local.packages
  username     = "octocat"
  package_type = "npm"
  package_name = each.key
}

resource "ghpkg_org_package_version_restore" "this" {
  for_each     = local.versions
  org          = "octo-org"
  package_type = "container"
  package_name = "octo-api"
  version      = each.key
}
`

// TestPlanSaysWhatApplyWillDoAndApplyFollowsGitHub: the preview says per
// package and version, in the saved plan, whether apply restores or adopts
// it. GitHub then changes both ways before the saved plan is applied (a
// deleted package and version restored by someone else, a visible one
// deleted): apply follows GitHub, without "inconsistent final plan" or
// "inconsistent result", and the next plan is empty.
func TestPlanSaysWhatApplyWillDoAndApplyFollowsGitHub(t *testing.T) {
	requireAcc(t)
	bin := providerDir(t)
	fake := ghfake.New()
	fake.UseRealClock() // the built provider judges restore windows on the wall clock
	const token = "e2e-preview-token"
	fake.AddToken(token, "read:packages", "write:packages")
	fake.SetLogin(token, "octocat")
	pkg := func(name string) ghfake.Package { return ghfake.Package{Owner: "octocat", Type: "npm", Name: name} }
	fake.AddDeletedPackage(pkg("restored-elsewhere"), time.Hour)
	fake.AddPackage(pkg("deleted-since"))
	image := ghfake.Package{Org: true, Owner: "octo-org", Type: "container", Name: "octo-api"}
	fake.AddPackage(image)
	v1 := fake.AddDeletedVersion(image, ghfake.Version{Name: "sha256:1111", Tags: []string{"v1"}}, time.Hour)
	v2 := fake.AddVersion(image, ghfake.Version{Name: "sha256:2222", Tags: []string{"v2"}})
	server := httptest.NewServer(fake)
	t.Cleanup(server.Close)

	ws, output := newWorkspace(t, bin, previewConfig, "GITHUB_BASE_URL="+server.URL, "GITHUB_TOKEN="+token)
	run := func(args ...string) string {
		t.Helper()
		output.Reset()
		if code, err := ws.Run(args...); err != nil || (args[0] == "plan" && code != 2) {
			t.Fatalf("terraform %s: exit %d, %v\n%s", args[0], code, err, output.String())
		}
		return output.String()
	}
	run("plan", "-detailed-exitcode", "-input=false", "-out=saved.tfplan")
	run("show", "-json", "saved.tfplan")
	got := previewActions(t, output.String())
	want := map[string]string{
		"octocat/npm/restored-elsewhere": "restore", "octocat/npm/deleted-since": "adopt",
		"octo-org/container/octo-api version v1": "restore", "octo-org/container/octo-api version v2": "adopt",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("the saved plan's preview says %v, want %v", got, want)
	}

	// Between plan and apply, GitHub changes both ways.
	restoreElsewhere(t, server.URL, token, "/users/octocat/packages/npm/restored-elsewhere/restore")
	restoreElsewhere(t, server.URL, token, fmt.Sprintf("/orgs/octo-org/packages/container/octo-api/versions/%d/restore", v1.ID))
	if err := fake.DeletePackage(pkg("deleted-since")); err != nil {
		t.Fatal(err)
	}
	if err := fake.DeleteVersion(image, v2.ID); err != nil {
		t.Fatal(err)
	}
	posts := fake.CountRequests("POST")

	apply := run("apply", "-input=false", "saved.tfplan")
	if strings.Contains(apply, "inconsistent") {
		t.Fatalf("apply:\n%s", apply)
	}
	if got := restoredKeys(t, ws.Dir); !slices.Equal(got, []string{"deleted-since", "v2"}) {
		t.Errorf("apply restored %v, want what GitHub showed deleted at apply: [deleted-since v2]", got)
	}
	if n := fake.CountRequests("POST") - posts; n != 2 {
		t.Errorf("apply sent %d restores, want 2 (none for what someone else restored)", n)
	}
	output.Reset()
	if code, err := ws.Run("plan", "-detailed-exitcode", "-input=false"); err != nil || code != 0 {
		t.Errorf("plan after apply: exit %d, %v\n%s", code, err, output.String())
	}
}

// TestPreviewLookupFailureIsOneWarning: when GitHub, or something in front
// of it, fails every lookup of both previews (5xx, a proxy's HTML 404, an
// exhausted rate limit, dropped connections), the plan still succeeds,
// with one warning for the run that says what answered, and every entry
// unknown: never "restore" on an answer that is not GitHub's own 404.
func TestPreviewLookupFailureIsOneWarning(t *testing.T) {
	requireAcc(t)
	bin := providerDir(t)
	for _, tc := range []struct {
		name  string
		fault ghfake.Fault
		says  string
	}{
		{"server errors", ghfake.ServerError(503), "GitHub Server Error"},
		{"a proxy's HTML 404", ghfake.NotFoundHTML(), "Not a GitHub API Answer"},
		{"a rate limit that resets in an hour", ghfake.PrimaryRateLimit(403, time.Now().Add(time.Hour)), "GitHub Rate Limit Exceeded"},
		{"dropped connections", ghfake.Fault{Reset: true}, "GitHub Unreachable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := ghfake.New()
			const token = "e2e-preview-token"
			fake.AddToken(token, "read:packages", "write:packages")
			for _, name := range []string{"a", "b", "c"} {
				fake.AddDeletedPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: name}, time.Hour)
			}
			fake.Script("GET", "", tc.fault, tc.fault, tc.fault, tc.fault)
			server := httptest.NewServer(fake)
			t.Cleanup(server.Close)
			config := strings.Replace(previewConfig, `provider "ghpkg" {}`, `provider "ghpkg" {
  max_retries = 0
}`, 1)
			config = strings.Replace(config, `toset(["restored-elsewhere", "deleted-since"])`, `toset(["a", "b", "c"])`, 1)
			config = strings.Replace(config, `toset(["v1", "v2"])`, `toset(["v1"])`, 1)
			ws, output := newWorkspace(t, bin, config, "GITHUB_BASE_URL="+server.URL, "GITHUB_TOKEN="+token)
			code, err := ws.Run("plan", "-detailed-exitcode", "-input=false", "-out=saved.tfplan")
			plan := output.String()
			if err != nil || code != 2 {
				t.Fatalf("plan: exit %d, %v\n%s", code, err, plan)
			}
			if n := strings.Count(plan, "Warning: Restore Preview Incomplete"); n != 1 {
				t.Errorf("%d warnings Restore Preview Incomplete for two failing previews, want 1 for the run:\n%s", n, plan)
			}
			flat := strings.Join(strings.Fields(plan), " ")
			// Either preview may be read first, and warn.
			for _, want := range []string{"of the preview's entries", tc.says, "logged, not repeated"} {
				if !strings.Contains(flat, want) {
					t.Errorf("plan output lacks %q:\n%s", want, plan)
				}
			}
			if strings.Contains(flat, token) {
				t.Errorf("the plan output holds the token:\n%s", plan)
			}
			output.Reset()
			if _, err := ws.Run("show", "-json", "saved.tfplan"); err != nil {
				t.Fatal(err)
			}
			actions := previewActions(t, output.String())
			if len(actions) != 4 {
				t.Errorf("the plan's previews hold %v, want 4 entries", actions)
			}
			for what, action := range actions {
				if action != "unknown" {
					t.Errorf("%s: %s, want unknown", what, action)
				}
			}
		})
	}
}

// previewActions reads the preview data sources of a plan's JSON: the
// action of each package and version, keyed by what it names.
func previewActions(t *testing.T, planJSON string) map[string]string {
	t.Helper()
	var plan struct {
		PriorState struct {
			Values struct {
				RootModule struct {
					Resources []struct {
						Mode   string `json:"mode"`
						Type   string `json:"type"`
						Values struct {
							Username string `json:"username"`
							Org      string `json:"org"`
							Packages map[string]struct {
								Type   string `json:"package_type"`
								Name   string `json:"package_name"`
								Action string `json:"action"`
							} `json:"packages"`
							Versions map[string]struct {
								Type    string `json:"package_type"`
								Name    string `json:"package_name"`
								Version string `json:"version"`
								Action  string `json:"action"`
							} `json:"versions"`
						} `json:"values"`
					} `json:"resources"`
				} `json:"root_module"`
			} `json:"values"`
		} `json:"prior_state"`
	}
	if err := json.Unmarshal([]byte(planJSON), &plan); err != nil {
		t.Fatalf("terraform show -json: %v\n%s", err, planJSON)
	}
	actions := map[string]string{}
	for _, r := range plan.PriorState.Values.RootModule.Resources {
		if r.Mode != "data" || !strings.HasSuffix(r.Type, "_restore_preview") {
			continue
		}
		owner := r.Values.Username + r.Values.Org
		for _, p := range r.Values.Packages {
			actions[owner+"/"+p.Type+"/"+p.Name] = p.Action
		}
		for _, v := range r.Values.Versions {
			actions[owner+"/"+v.Type+"/"+v.Name+" version "+v.Version] = v.Action
		}
	}
	return actions
}

// restoreElsewhere restores as someone else would, behind Terraform's back.
func restoreElsewhere(t *testing.T, baseURL, token, path string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, baseURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST %s: %s", path, resp.Status)
	}
}
