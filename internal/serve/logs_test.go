package serve

import (
	"strings"
	"testing"
)

func TestSilenceUnreadLogs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		environ []string
		silence bool
	}{
		{"Terraform not logging", []string{"HOME=/root", "TF_CLI_CONFIG_FILE=x"}, true},
		{"only a log path", []string{"TF_LOG_PATH=/tmp/log"}, true},
		{"TF_LOG=TRACE", []string{"TF_LOG=TRACE"}, false},
		{"provider logs asked for", []string{"TF_LOG_PROVIDER=DEBUG"}, false},
		{"SDK logs asked for", []string{"TF_LOG_SDK_FRAMEWORK=TRACE"}, false},
	}
	for _, tc := range tests {
		set := map[string]string{}
		silenceUnreadLogs(tc.environ, func(k, v string) error { set[k] = v; return nil })
		if got := len(set) > 0; got != tc.silence {
			t.Errorf("%s: silenced = %v (%v), want %v", tc.name, got, set, tc.silence)
		}
		for k, v := range set {
			if v != "off" || !strings.HasPrefix(k, "TF_LOG_") {
				t.Errorf("%s: set %s=%s", tc.name, k, v)
			}
		}
	}
}
