// Command terraform-provider-ghpkg serves the ghpkg Terraform provider.
package main

import (
	"flag"
	"log"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/serve"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if err := serve.Run(provider.New(version), "registry.terraform.io/ghpkg/ghpkg", debug); err != nil {
		log.Fatal(err.Error())
	}
}
