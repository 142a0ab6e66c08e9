package provider

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestSettingOrEnv(t *testing.T) {
	t.Setenv("GHPKG_TEST_SETTING", "from-env")
	tests := map[string]struct {
		value types.String
		want  string
	}{
		"attribute wins":        {types.StringValue("from-config"), "from-config"},
		"null falls back":       {types.StringNull(), "from-env"},
		"empty counts as unset": {types.StringValue(""), "from-env"},
		"blank counts as unset": {types.StringValue("  \n"), "from-env"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, settingOrEnv(tc.value, "GHPKG_TEST_SETTING")); diff != "" {
				t.Errorf("settingOrEnv (-want +got):\n%s", diff)
			}
		})
	}
}
