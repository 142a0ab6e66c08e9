// Package acctest is the acceptance-test harness: a GitHub stand-in that the
// provider reaches only through base_url, and shared configuration helpers.
package acctest

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/contract"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghfake"
)

// Token is the classic token the harness's GitHub accepts. It is not a
// secret and deliberately looks like none.
const Token = "acctest-classic-token"

// Server is the GitHub an acceptance test talks to.
type Server struct {
	URL  string
	Fake *ghfake.Server
}

// NewServer starts an emulator that accepts Token with the scopes restoring
// needs, checks every exchange against GitHub's contract, and stops when the
// test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	fake := ghfake.New()
	fake.AddToken(Token, "read:packages", "write:packages")
	v, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(v.Handler(fake, func(err error) { t.Errorf("contract violation: %v", err) }))
	t.Cleanup(ts.Close)
	return &Server{URL: ts.URL, Fake: fake}
}

// ProviderConfig is a provider block pointing at the server with a token.
func (s *Server) ProviderConfig(token string) string {
	return fmt.Sprintf(`
provider "ghpkg" {
  base_url = %[1]q
  token    = %[2]q
}
`, s.URL, token)
}
