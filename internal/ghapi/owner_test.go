package ghapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

func TestOwnerScope(t *testing.T) {
	t.Parallel()
	fake, client := newFakeClient(t)
	fake.AddDeletedPackage(ghfake.Package{Org: true, Owner: "octo-org", Type: "npm", Name: "lib"}, time.Hour)
	fake.AddPackage(ghfake.Package{Owner: "monalisa", Type: "npm", Name: "app"})
	for name, want := range map[string]Scope{"octo-org": ScopeOrg, "monalisa": ScopeUser} {
		got, err := client.OwnerScope(context.Background(), name)
		if err != nil || got != want {
			t.Errorf("OwnerScope(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	if _, err := client.OwnerScope(context.Background(), "nobody"); !IsNotFound(err) {
		t.Errorf("OwnerScope(nobody): %v, want a 404", err)
	}
	if got := fake.CountRequests("GET"); got != 3 {
		t.Errorf("%d requests, want one per lookup (3)", got)
	}
}

// A Bot (or any other type) is neither owner kind.
func TestOwnerScope_otherTypeIsMalformed(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"login":"dependabot","type":"Bot"}`))
	}))
	t.Cleanup(ts.Close)
	client, err := New(Config{Token: "t", BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.OwnerScope(context.Background(), "dependabot")
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Kind != KindMalformed || apiErr.Op != OpGetOwner {
		t.Fatalf("err = %v, want a malformed answer of %s", err, OpGetOwner)
	}
}
