// Command release builds a snapshot release with goreleaser and lays a
// release out as a provider mirror; make release-snapshot and make mirror
// run it.
//
//	release snapshot [-dist dist] [-targets linux_amd64,...] [-sign=false]
//	release mirror [-release dist] [-platforms linux_amd64,...] DIR
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/release"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("release: ")
	if len(os.Args) < 2 {
		log.Fatal("usage: release snapshot|mirror [flags]")
	}
	var err error
	switch os.Args[1] {
	case "snapshot":
		err = snapshot(os.Args[2:])
	case "mirror":
		err = mirror(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: want snapshot or mirror", os.Args[1])
	}
	if err != nil {
		log.Fatal(err)
	}
}

func snapshot(args []string) error {
	flags := flag.NewFlagSet("snapshot", flag.ExitOnError)
	dist := flags.String("dist", "dist", "goreleaser's output directory (emptied first)")
	targets := flags.String("targets", "", "comma-separated os_arch targets to build (default: every one .goreleaser.yml lists)")
	sign := flags.Bool("sign", true, "sign the checksums with a throwaway GPG key and verify the signature with gpg --verify")
	_ = flags.Parse(args)
	r, err := release.Snapshot(release.Options{
		RepoDir: ".", Dist: *dist, Targets: list(*targets), Sign: *sign,
		Hooks: true, Log: os.Stderr,
	})
	if err != nil {
		return err
	}
	fmt.Printf("\nRelease %s in %s, read back: each zip holds %s (.exe on Windows) at its top level\n", r.Version, r.Dir, r.BinaryName("linux"))
	for _, a := range r.Archives {
		fmt.Printf("  %-14s %6.1f MiB  %s\n", a.Platform, float64(a.Size)/(1<<20), a.Path)
	}
	if r.SignedBy != "" {
		fmt.Printf("gpg --verify accepted %s.sig, signed by the throwaway key %s\n", r.Sums, r.SignedBy)
	}
	return nil
}

func mirror(args []string) error {
	flags := flag.NewFlagSet("mirror", flag.ExitOnError)
	from := flags.String("release", "dist", "directory of the release: its zips and _SHA256SUMS (make release-snapshot writes dist)")
	platforms := flags.String("platforms", "", "comma-separated os_arch platforms to mirror (default: every zip of the release)")
	_ = flags.Parse(args)
	if flags.NArg() != 1 {
		return fmt.Errorf("usage: release mirror [-release dist] [-platforms linux_amd64,...] DIR")
	}
	dir, err := filepath.Abs(flags.Arg(0))
	if err != nil {
		return err
	}
	r, err := release.Open(*from)
	if err != nil {
		return err
	}
	addresses := []string{tfcli.ProviderAddress, tfcli.OpenTofuAddress}
	if err := r.WriteMirror(dir, addresses, list(*platforms)); err != nil {
		return err
	}
	fmt.Printf("Mirror of ghpkg %s in %s, for %s.\n", r.Version, dir, strings.Join(addresses, " and "))
	fmt.Printf("Use it with required_providers { ghpkg = { source = \"ghpkg/ghpkg\", version = %q } } and a CLI configuration\n", r.Version)
	fmt.Printf("holding provider_installation { filesystem_mirror { path = %q } } (see docs/guides/install-from-mirror.md).\n", dir)
	return nil
}

// list splits a comma-separated flag; "" is none.
func list(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
