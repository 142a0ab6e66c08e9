package main

import (
	"fmt"
	"strings"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// shape is one kind of row: what the emulator holds and the configuration
// each variant plans. Every variant declares the same N resources.
type shape struct {
	name, label string
	// namespaces is how many listings the ghpkg resources are spread over.
	namespaces int
	seed       func(fake *ghfake.Server, n int)
	// ghpkg is the configuration of ghpkg's resources, providerArgs going
	// into its provider block; floor and data are the floor provider's and
	// terraform_data's.
	ghpkg       func(n int, providerArgs string) string
	floor, data func(n int) string
}

// shapes are the rows `-rows` can name.
var shapes = map[string]shape{
	"count": {name: "count", label: "user packages, `count`", namespaces: 1,
		seed: seedPackages(1, false),
		ghpkg: func(n int, args string) string {
			return ghpkgHeader(args) + countBlock("ghpkg_user_package_restore", n, `username = "octocat"`, "package_type = \"npm\"\n  package_name = format(\"pkg-%05d\", count.index)")
		},
		floor: floorCount(`"octocat"`), data: dataCount},
	"spread": {name: "spread", label: "user packages over 20 namespaces", namespaces: 20,
		seed: seedPackages(20, false),
		ghpkg: func(n int, args string) string {
			return ghpkgHeader(args) + countBlock("ghpkg_user_package_restore", n, `username = format("user-%02d", count.index % 20)`,
				"package_type = \"npm\"\n  package_name = format(\"pkg-%05d\", count.index)")
		},
		floor: floorCount(`format("user-%02d", count.index % 20)`), data: dataCount},
	"org": {name: "org", label: "organisation packages", namespaces: 1,
		seed: seedPackages(1, true),
		ghpkg: func(n int, args string) string {
			return ghpkgHeader(args) + countBlock("ghpkg_org_package_restore", n, `org = "octo-org"`, "package_type = \"npm\"\n  package_name = format(\"pkg-%05d\", count.index)")
		},
		floor: floorCount(`"octo-org"`), data: dataCount},
	"versions": {name: "versions", label: "versions of one organisation package", namespaces: 1,
		seed: func(fake *ghfake.Server, n int) {
			pkg := ghfake.Package{Org: true, Owner: "octo-org", Type: "npm", Name: "lib"}
			fake.AddPackage(pkg)
			for i := range n {
				fake.AddVersion(pkg, ghfake.Version{Name: fmt.Sprintf("1.0.%d", i)})
			}
		},
		ghpkg: func(n int, args string) string {
			// ghfake numbers versions from 5001 in the order they are added.
			return ghpkgHeader(args) + countBlock("ghpkg_org_package_version_restore", n, `org = "octo-org"`,
				"package_type = \"npm\"\n  package_name = \"lib\"\n  package_version_id = 5001 + count.index")
		},
		floor: floorCount(`"octo-org"`), data: dataCount},
	"for_each": {name: "for_each", label: "user packages, `for_each`", namespaces: 1,
		seed: seedPackages(1, false),
		ghpkg: func(n int, args string) string {
			return ghpkgHeader(args) + forEachBlock("ghpkg_user_package_restore", n, `username = "octocat"`)
		},
		floor: func(n int) string {
			return floorHeader + forEachBlock("floor_package_restore", n, `username = "octocat"`)
		},
		data: func(n int) string {
			return fmt.Sprintf("resource \"terraform_data\" \"pkg\" {\n  for_each = toset([for i in range(%d) : format(\"pkg-%%05d\", i)])\n  input = each.key\n}\n", n)
		},
	},
}

// seedPackages adds N npm packages named pkg-00000… spread round-robin over
// namespaces owners (octocat or octo-org when there is one).
func seedPackages(namespaces int, org bool) func(*ghfake.Server, int) {
	return func(fake *ghfake.Server, n int) {
		for i := range n {
			owner := "octocat"
			switch {
			case org:
				owner = "octo-org"
			case namespaces > 1:
				owner = fmt.Sprintf("user-%02d", i%namespaces)
			}
			fake.AddPackage(ghfake.Package{Org: org, Owner: owner, Type: "npm", Name: fmt.Sprintf("pkg-%05d", i)})
		}
	}
}

func ghpkgHeader(providerArgs string) string {
	return fmt.Sprintf("terraform {\n  required_providers {\n    ghpkg = { source = \"ghpkg/ghpkg\" }\n  }\n}\n\nprovider \"ghpkg\" {\n  %s\n}\n\n", providerArgs)
}

const floorHeader = "terraform {\n  required_providers {\n    floor = { source = \"ghpkg/floor\" }\n  }\n}\n\n"

func countBlock(resourceType string, n int, owner, rest string) string {
	return fmt.Sprintf("resource %q \"pkg\" {\n  count = %d\n  %s\n  %s\n}\n", resourceType, n, owner, strings.TrimSpace(rest))
}

func forEachBlock(resourceType string, n int, owner string) string {
	return fmt.Sprintf("resource %q \"pkg\" {\n  for_each = toset([for i in range(%d) : format(\"pkg-%%05d\", i)])\n  %s\n  package_type = \"npm\"\n  package_name = each.key\n}\n",
		resourceType, n, owner)
}

func floorCount(owner string) func(int) string {
	return func(n int) string {
		return floorHeader + countBlock("floor_package_restore", n, "username = "+owner, "package_type = \"npm\"\n  package_name = format(\"pkg-%05d\", count.index)")
	}
}

func dataCount(n int) string {
	return fmt.Sprintf("resource \"terraform_data\" \"pkg\" {\n  count = %d\n  input = format(\"pkg-%%05d\", count.index)\n}\n", n)
}
