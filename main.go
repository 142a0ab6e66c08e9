// Command terraform-provider-ghpkg serves the ghpkg Terraform provider.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/provider"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	silenceUnreadLogs(os.Environ(), os.Setenv)
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/ghpkg/ghpkg",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// unreadLogLevels are the plugin SDK's log levels. Unset, they default to
// TRACE: every RPC then writes JSON log lines that Terraform parses and
// throws away, which costs more than the provider's own work in a large
// plan (see BENCHMARKS.md).
var unreadLogLevels = []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// silenceUnreadLogs turns the SDK's logging off when Terraform is not
// logging (no TF_LOG* variable set), so nobody could read the lines anyway.
// Any TF_LOG* setting, TF_LOG=TRACE included, leaves logging as it is.
func silenceUnreadLogs(environ []string, setenv func(key, value string) error) {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") && !strings.HasPrefix(kv, "TF_LOG_PATH") {
			return
		}
	}
	for _, key := range unreadLogLevels {
		_ = setenv(key, "off")
	}
}
