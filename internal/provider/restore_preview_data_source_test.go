package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/refresh"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/serve"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// previewClock stands two days after ghfake's epoch, the day the emulator
// (and so the cassettes) date deletions from: restore windows are judged
// as then, and a version GitHub still lists may have just run out of its
// window (GitHub's listing lags, or the plan ran at the boundary).
type previewClock struct{}

func (previewClock) Now() time.Time                         { return ghfake.Epoch.Add(48 * time.Hour) }
func (previewClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

var previewFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"ghpkg": func() (tfprotov6.ProviderServer, error) {
		return serve.NewServer(func() provider.Provider {
			p, _ := New("test")().(*ghpkgProvider)
			p.clock = previewClock{}
			return p
		}), nil
	},
}

// expectRequestSet checks the requests sent, in any order: the preview's
// lookups run at once.
func expectRequestSet(srv *acctest.Server, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, r := range srv.Requests() {
			got = append(got, fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status))
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("requests:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		return nil
	}
}

func TestAccOrgRestorePreview_saysWhatApplyWillDo(t *testing.T) {
	srv := acctest.NewServer(t)
	active, deleted := withReleases(srv, orgApp)
	fake := srv.Emulator()
	old := fake.AddDeletedVersion(orgApp, ghfake.Version{Name: "sha256:0000", Tags: []string{"v0"}}, 29*24*time.Hour)
	web := ghfake.Package{Org: true, Owner: "octo-org", Type: "container", Name: "octo-web"}
	fake.AddDeletedPackage(web, time.Hour)
	config := srv.ProviderConfig(acctest.Token) + fmt.Sprintf(`
data "ghpkg_org_restore_preview" "test" {
  org = "octo-org"
  packages = {
    app = { package_type = "container", package_name = "octo-app" }
    web = { package_type = "container", package_name = "octo-web" }
  }
  versions = {
    v0      = { package_type = "container", package_name = "octo-app", version = "v0" }
    v1      = { package_type = "container", package_name = "octo-app", version = "v1" }
    v2      = { package_type = "container", package_name = "octo-app", package_version_id = %d }
    v9      = { package_type = "container", package_name = "octo-app", version = "v9" }
    web-tag = { package_type = "container", package_name = "octo-web", version = "v1" }
  }
}
`, active.ID)
	preview := "data.ghpkg_org_restore_preview.test"
	action := func(attribute, key, want string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(preview, tfjsonpath.New(attribute).AtMapKey(key).AtMapKey("action"), knownvalue.StringExact(want))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: previewFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				action("packages", "app", "adopt"),
				action("packages", "web", "restore"),
				action("versions", "v0", "expired"),
				action("versions", "v1", "restore"),
				action("versions", "v2", "adopt"),
				action("versions", "v9", "missing"),
				action("versions", "web-tag", "unknown"),
				statecheck.ExpectKnownValue(preview, tfjsonpath.New("versions").AtMapKey("v1"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"found_version_id": knownvalue.Int64Exact(deleted.ID),
					"deleted_at":       knownvalue.StringExact("2026-01-03T09:00:00Z"),
					"restorable_until": knownvalue.StringExact("2026-02-02T09:00:00Z"),
				})),
				statecheck.ExpectKnownValue(preview, tfjsonpath.New("versions").AtMapKey("v0"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"found_version_id": knownvalue.Int64Exact(old.ID),
					"detail":           knownvalue.StringRegexp(regexp.MustCompile(`restore window closed on 2026-01-06`)),
				})),
			},
			// One GET per package, and per package of versions its active
			// and deleted listings: five versions cost two requests.
			Check: expectRequestSet(srv,
				"GET "+orgAppPath+" 200", "GET /orgs/octo-org/packages/container/octo-web 404",
				"GET "+orgAppPath+"/versions 200", "GET "+orgAppPath+"/versions 200",
				"GET /orgs/octo-org/packages/container/octo-web/versions 404"),
		}},
	})
}

// A stack of many packages of one namespace is looked up from the
// namespace's listing, as a refresh of the same stack would read it.
func TestAccUserRestorePreview_manyPackagesShareTheListing(t *testing.T) {
	srv := acctest.NewServer(t)
	var entries []string
	for i := range 120 {
		p := ghfake.Package{Owner: "octocat", Type: "npm", Name: fmt.Sprintf("pkg-%03d", i)}
		if i%12 == 0 {
			srv.AddDeletedPackage(p, time.Hour)
		} else {
			srv.AddPackage(p)
		}
		entries = append(entries, fmt.Sprintf("%q = { package_type = \"npm\", package_name = %q }", p.Name, p.Name))
	}
	config := srv.ProviderConfig(acctest.Token) + fmt.Sprintf(`
data "ghpkg_user_restore_preview" "test" {
  username = "octocat"
  packages = {
    %s
  }
}
`, strings.Join(entries, "\n    "))
	preview := "data.ghpkg_user_restore_preview.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: previewFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(preview, tfjsonpath.New("packages").AtMapKey("pkg-000").AtMapKey("action"), knownvalue.StringExact("restore")),
				statecheck.ExpectKnownValue(preview, tfjsonpath.New("packages").AtMapKey("pkg-001").AtMapKey("action"), knownvalue.StringExact("adopt")),
				statecheck.ExpectKnownValue(preview, tfjsonpath.New("packages").AtMapKey("pkg-119").AtMapKey("action"), knownvalue.StringExact("adopt")),
			},
			// The listing's 2 pages serve the 110 visible packages; each of the
			// 10 deleted ones is confirmed by GitHub's own 404, as a refresh
			// confirms it, and the first Reads of a namespace GET their package.
			Check: func(*terraform.State) error {
				count := map[string]int{}
				for _, r := range srv.Requests() {
					switch {
					case r.Path == "/users/octocat/packages":
						count["pages"]++
					case r.Status == 404:
						count["404"]++
					default:
						count["200"]++
					}
				}
				if count["pages"] != 2 || count["404"] != 10 || count["200"] > refresh.DirectReads {
					return fmt.Errorf("requests %v: want 2 pages, 10 GETs answered 404, at most %d GETs of visible packages", count, refresh.DirectReads)
				}
				return nil
			},
		}},
	})
}

func TestAccOrgRestorePreview_versionsNeedOneOfVersionOrID(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: previewFactories,
		Steps: []resource.TestStep{{
			Config: srv.ProviderConfig(acctest.Token) + `
data "ghpkg_org_restore_preview" "test" {
  org      = "octo-org"
  versions = { v = { package_type = "container", package_name = "octo-app" } }
}
`,
			ExpectError: errorPattern("version", "package_version_id"),
		}},
	})
}

// TestPreviewWarnsOnceForAllItCannotRestore: every version apply cannot
// restore is named in one warning, with the day its window closed, and
// every failed lookup is counted in one other.
func TestPreviewWarnsOnceForAllItCannotRestore(t *testing.T) {
	p := previewer{}
	ref := ghapi.PackageRef{Scope: ghapi.ScopeOrg, Owner: "octo-org", Type: "container", Name: "octo-app"}
	p.close("octo-org/container/octo-app version \"v0\" (id 1): deleted 2025-11-01, window closed 2025-12-01")
	p.close("octo-org/container/octo-app version \"v9\": not found, visible or deleted")
	for _, key := range []string{"b", "a", "c", "d", "e", "f", "g"} {
		p.fail(ref, &ghapi.Error{Op: ghapi.OpGet, Kind: ghapi.KindServer, StatusCode: 503, Ref: ref}, key)
	}
	var data providerData
	var diags, again diag.Diagnostics
	p.warn(context.Background(), &diags, data.firstTime)
	if diags.HasError() || len(diags) != 2 {
		t.Fatalf("got %d diagnostics, want two warnings: %v", len(diags), diags)
	}
	// A second preview of the same run that fails logs its failures: one
	// warning for the run; what it cannot restore is its own to name.
	p.warn(context.Background(), &again, data.firstTime)
	if len(again) != 1 || again[0].Summary() != "Versions Apply Cannot Restore" {
		t.Errorf("a second failing preview in the run warned %v, want only what it cannot restore", again)
	}
	closed, failed := diags[1].Detail(), diags[0].Detail()
	for _, want := range []string{"window closed 2025-12-01", `"v9": not found`} {
		if !strings.Contains(closed, want) {
			t.Errorf("warning %q lacks %q:\n%s", diags[1].Summary(), want, closed)
		}
	}
	for _, want := range []string{"could not look up 7", `"a", "b", "c", "d", "e", and 2 more`, "octo-org/container/octo-app"} {
		if !strings.Contains(failed, want) {
			t.Errorf("warning %q lacks %q:\n%s", diags[0].Summary(), want, failed)
		}
	}
}

// TestPreviewListingIsBoundedWhateverTheServerSays: a listing whose Link
// header sends the preview back to page 2 for ever, or ever further, is
// not followed past what a GET per package costs: the packages left are
// asked for one by one, and only GitHub's 404 makes one "restore".
func TestPreviewListingIsBoundedWhateverTheServerSays(t *testing.T) {
	for name, next := range map[string]func(page int) int{
		"loops":      func(int) int { return 2 },
		"never ends": func(page int) int { return page + 1 },
	} {
		t.Run(name, func(t *testing.T) {
			var listed, got atomic.Int64
			server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				if r.URL.Path == "/api/v3/users/octocat/packages" { // a base_url not on github.com is GHES's

					listed.Add(1)
					page, _ := strconv.Atoi(r.URL.Query().Get("page"))
					w.Header().Set("Link", fmt.Sprintf(`<%s/api/v3/users/octocat/packages?page=%d>; rel="next"`, "http://"+r.Host, next(page)))
					_, _ = w.Write(fullPage(page))
					return
				}
				got.Add(1)
				w.Header().Set("X-GitHub-Request-Id", "0000:1111")
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(`{"message":"Package not found.","documentation_url":"https://docs.github.com/rest/packages"}`))
			}))
			defer server.Close()
			client, err := ghapi.New(ghapi.Config{BaseURL: server.URL, Token: "t"})
			if err != nil {
				t.Fatal(err)
			}
			entries := map[string]previewPackage{}
			for i := range 5 {
				entries[fmt.Sprint(i)] = previewPackage{PackageType: types.StringValue("npm"), PackageName: types.StringValue(fmt.Sprintf("p%d", i))}
			}
			p := previewer{client: client, now: ghfake.Epoch}
			p.packages(context.Background(), ghapi.ScopeUser, "octocat", entries)
			if n := listed.Load(); n > 6 {
				t.Errorf("%d pages listed for 5 packages, want at most 6", n)
			}
			if n := got.Load(); n != 5 {
				t.Errorf("%d GETs, want one per package the listing did not hold (5)", n)
			}
			for key, e := range entries {
				if e.Action.ValueString() != previewRestore {
					t.Errorf("%s: %s, want restore (GitHub's 404)", key, e.Action)
				}
			}
		})
	}
}

// fullPage is a page of 100 packages the preview does not look for: a
// short page would end the listing.
func fullPage(page int) []byte {
	var pkgs []string
	for i := range ghapi.ListPageSize {
		pkgs = append(pkgs, fmt.Sprintf(`{"id":%d,"name":"other-%d-%d","package_type":"npm","visibility":"public",`+
			`"url":"https://api.github.com/x","html_url":"https://github.com/x","version_count":1,`+
			`"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}`, page*1000+i, page, i))
	}
	return []byte("[" + strings.Join(pkgs, ",") + "]")
}

// TestPreviewCountsAFailedLoginAsAFailedLookup: a user's deleted versions
// are listed through the token's own login; when GET /user fails, the
// versions not visible are unknown and counted in the warning, never
// called restorable or missing.
func TestPreviewCountsAFailedLoginAsAFailedLookup(t *testing.T) {
	fake := ghfake.New()
	fake.AddToken("t", "read:packages")
	fake.SetLogin("t", "octocat")
	lib := ghfake.Package{Owner: "octocat", Type: "npm", Name: "octo-lib"}
	fake.AddPackage(lib)
	active := fake.AddVersion(lib, ghfake.Version{Name: "1.4.2"})
	fake.AddDeletedVersion(lib, ghfake.Version{Name: "1.4.0"}, time.Hour)
	fake.Script("GET", "/user", ghfake.ServerError(503))
	server := httptest.NewServer(fake)
	defer server.Close()
	client, err := ghapi.New(ghapi.Config{BaseURL: server.URL, Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	entry := func(version string) previewVersion {
		return previewVersion{PackageType: types.StringValue("npm"), PackageName: types.StringValue("octo-lib"),
			Version: types.StringValue(version), VersionID: types.Int64Null()}
	}
	entries := map[string]previewVersion{"kept": entry("1.4.2"), "gone": entry("1.4.0")}
	p := previewer{client: client, now: ghfake.Epoch}
	p.versions(context.Background(), ghapi.ScopeUser, "octocat", entries)
	if got := entries["kept"]; got.Action.ValueString() != previewAdopt || got.FoundID.ValueInt64() != active.ID {
		t.Errorf("the visible version: %s (id %v), want adopt (id %d)", got.Action, got.FoundID, active.ID)
	}
	if got := entries["gone"].Action.ValueString(); got != previewUnknown {
		t.Errorf("the deleted version with no login to list it through: %s, want unknown", got)
	}
	if len(p.failed) != 1 || p.failed[0].key != "gone" {
		t.Errorf("failed lookups %v, want the deleted version's", p.failed)
	}
}
