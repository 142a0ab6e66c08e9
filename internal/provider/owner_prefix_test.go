package provider

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCutPrefixFold(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		name, prefix, rest string
		ok                 bool
	}{
		"owner prefix":         {"octocat/octo-app", "octocat/", "octo-app", true},
		"owner prefix, case":   {"OctoCat/octo-app", "octocat/", "octo-app", true},
		"repository prefix":    {"octo-repo/octo-app", "octocat/", "", false},
		"owner alone":          {"octocat/", "octocat/", "", false},
		"owner as a substring": {"octocat-tools/app", "octocat/", "", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rest, ok := cutPrefixFold(tc.name, tc.prefix)
			if diff := cmp.Diff([]any{tc.rest, tc.ok}, []any{rest, ok}); diff != "" {
				t.Errorf("cutPrefixFold(%q, %q) (-want +got):\n%s", tc.name, tc.prefix, diff)
			}
		})
	}
}
