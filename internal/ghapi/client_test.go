package ghapi

import (
	"testing"
)

func TestResolveBaseURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string // want "" means refused
	}{
		{"", "https://api.github.com/"},
		{"https://api.github.com", "https://api.github.com/"},
		{"https://api.github.com/", "https://api.github.com/"},
		{"https://ghe.example.com", "https://ghe.example.com/api/v3/"},
		{"https://ghe.example.com/", "https://ghe.example.com/api/v3/"},
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/"},
		{"https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v3/"},
		{"http://localhost:8080/", "http://localhost:8080/api/v3/"},
		{"http://[::1]:8080", "http://[::1]:8080/api/v3/"},
		{"http://ghe.example.com", ""},
		{"http://10.0.0.1", ""},
		{"ftp://ghe.example.com", ""},
		{"ghe.example.com", ""},
		{"https://user:pass@ghe.example.com", ""},
		{"https://ghe.example.com/?x=1", ""},
	}
	for _, tc := range cases {
		got, err := ResolveBaseURL(tc.in)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("ResolveBaseURL(%q) = %s, want a refusal", tc.in, got)
		case tc.want != "" && err != nil:
			t.Errorf("ResolveBaseURL(%q): %v", tc.in, err)
		case tc.want != "" && got.String() != tc.want:
			t.Errorf("ResolveBaseURL(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
