package ghapi

import "testing"

func TestSecretReplacer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		secrets []string
		text    string
		want    string
	}{
		{"raw, after Bearer", []string{"tok3n"}, "Authorization: Bearer tok3n", "Authorization: Bearer REDACTED"},
		{"query-escaped", []string{"a+b/c d"}, "/restore?token=a%2Bb%2Fc+d&x=1", "/restore?token=REDACTED&x=1"},
		{"path-escaped", []string{"a+b/c d"}, "/restore/a+b%2Fc%20d", "/restore/REDACTED"},
		{"Go-quoted", []string{`a"b\c`}, `message "a\"b\\c" refused`, `message "REDACTED" refused`},
		{"both secrets", []string{"provider", "restore"}, "provider and restore", "REDACTED and REDACTED"},
		{"a secret inside a longer one", []string{"abc", "xabcdefx"}, "xabcdefx abc", "REDACTED REDACTED"},
		{"surrounding space trimmed", []string{" tok3n\n"}, "Bearer tok3n", "Bearer REDACTED"},
		{"empty and blank secrets skipped", []string{"", " \t"}, "nothing to hide", "nothing to hide"},
		{"no secrets", nil, "nothing to hide", "nothing to hide"},
		// A one-character token is redacted too, at the cost of the text.
		{"one character", []string{"o"}, "not found", "nREDACTEDt fREDACTEDund"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := secretReplacer(tc.secrets).Replace(tc.text); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
