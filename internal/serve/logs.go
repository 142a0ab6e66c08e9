package serve

import (
	"os"
	"strings"
)

var (
	environ   = os.Environ
	setenv    = os.Setenv
	lookupEnv = os.LookupEnv
)

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
