package acctest

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghfake"
)

func TestTmpServeFakeGitHub(t *testing.T) {
	if os.Getenv("TMP_SERVE") == "" {
		t.Skip()
	}
	g := ghfake.New()
	g.AddToken(liveToken, "read:packages", "write:packages", "delete:packages")
	g.AddPackage(ghfake.Package{Owner: "Real-Owner", Type: "container", Name: "octo-app"})
	g.AddPackage(ghfake.Package{Owner: "Real-Owner", Type: "container", Name: "octo-repo/octo-app", Repository: "octo-repo"})
	g.AddPackage(ghfake.Package{Org: true, Owner: "Real-Org", Type: "container", Name: "octo-app"})
	g.AddPackage(ghfake.Package{Org: true, Owner: "Real-Org", Type: "container", Name: "octo-repo/octo-app", Repository: "octo-repo", VersionCount: 2})
	srv := &http.Server{Addr: "127.0.0.1:18777", Handler: g}
	go func() { _ = srv.ListenAndServe() }()
	time.Sleep(8 * time.Minute)
	_ = srv.Close()
}
