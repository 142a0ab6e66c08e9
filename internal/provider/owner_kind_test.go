package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/acctest"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// An organisation named as a user (and the reverse) fails the restore with
// GitHub's 404; the error says which resource to use, at the cost of one
// request on that path only.

func TestAccUserPackageRestore_organisationSaysUseOrgResource(t *testing.T) {
	testOwnerOfTheOtherKind(t, orgImage, restoreConfig, "GET /users/octo-org 200", "Package Not Restorable",
		`octo-org is an organization: use ghpkg_org_package_restore, with org = "octo-org".`,
		"restoring package octo-org/container/octo-repo/octo-app", "404 Not Found")
}

func TestAccOrgPackageRestore_userSaysUseUserResource(t *testing.T) {
	testOwnerOfTheOtherKind(t, appPackage, orgRestoreConfig, "GET /users/octocat 200", "Package Not Restorable",
		`octocat is a user: use ghpkg_user_package_restore, with username = "octocat".`,
		"restoring package octocat/container/octo-app", "404 Not Found")
}

// testOwnerOfTheOtherKind declares p, deleted an hour ago, with config, the
// resource of the other kind of owner: the error holds message's parts in
// order, and the only account lookup is lookup.
func testOwnerOfTheOtherKind(t *testing.T, p ghfake.Package, config func(*acctest.Server, ghfake.Package, string) string,
	lookup string, message ...string,
) {
	t.Helper()
	srv := acctest.NewServer(t)
	srv.AddDeletedPackage(p, time.Hour)
	declared := p
	declared.Org = !p.Org
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config(srv, declared, ""),
			ExpectError: errorPattern(message...),
		}},
	})
	expectAccountLookups(t, srv, lookup)
}

// expectAccountLookups checks the requests for an owner's account: want,
// written as "METHOD path status", and no other.
func expectAccountLookups(t *testing.T, srv *acctest.Server, want ...string) {
	t.Helper()
	var got []string
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/users/") && strings.Count(r.Path, "/") == 2 {
			got = append(got, fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status))
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("account lookups:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
