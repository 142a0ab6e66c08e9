package ghapi

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghfake"
)

// pagedNamespace serves a namespace of size npm packages of octocat behind
// a PageMeter that holds every page for 20 ms.
func pagedNamespace(t *testing.T, size int, meter *ghfake.PageMeter) (*Client, *ghfake.Server) {
	t.Helper()
	fake := ghfake.New()
	fake.AddToken("t", "read:packages")
	for i := range size {
		fake.AddPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: fmt.Sprintf("pkg-%04d", i)})
	}
	meter.Next, meter.Delay = fake, 20*time.Millisecond
	ts := httptest.NewServer(meter)
	t.Cleanup(ts.Close)
	client, err := New(Config{Token: "t", BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	return client, fake
}

func names(pkgs []*Package) []string {
	var out []string
	for _, p := range pkgs {
		out = append(out, p.Name)
	}
	return out
}

// TestListPagesConcurrently: once page 1 names the last page, the others
// come MaxPageFetches at a time, in GitHub's order, one request each.
func TestListPagesConcurrently(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		noLast   bool
		wantPeak int
	}{
		"rel=last: 4 at a time":            {false, MaxPageFetches},
		"no rel=last: one after the other": {true, 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			meter := &ghfake.PageMeter{NoLast: tc.noLast}
			client, fake := pagedNamespace(t, 950, meter)
			pkgs, err := client.ListPackages(t.Context(), Namespace{Owner: "octocat", Type: "npm"}, "")
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for i := range 950 {
				want = append(want, fmt.Sprintf("pkg-%04d", i))
			}
			if diff := cmp.Diff(want, names(pkgs)); diff != "" {
				t.Errorf("listing (-want +got):\n%s", diff)
			}
			if got := meter.Peak(); got != tc.wantPeak {
				t.Errorf("%d pages in flight at once, want %d", got, tc.wantPeak)
			}
			if n := fake.CountRequests(""); n != 10 {
				t.Errorf("%d requests for 10 pages", n)
			}
		})
	}
}

// TestListPageErrorFailsTheListing: an error on one page fails the whole
// listing (no partial result) and names the page.
func TestListPageErrorFailsTheListing(t *testing.T) {
	t.Parallel()
	client, _ := pagedNamespace(t, 950, &ghfake.PageMeter{FailPage: 7})
	pkgs, err := client.ListPackages(t.Context(), Namespace{Owner: "octocat", Type: "npm"}, "")
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Page != 7 || !strings.Contains(err.Error(), "page 7") || pkgs != nil {
		t.Fatalf("got %d packages and err = %v, want no packages and an error naming page 7", len(pkgs), err)
	}
}

// TestListEndsAtAnEarlyShortPage: a listing that shrank after page 1 (rel=
// "last" said 10, page 5 is short) ends at page 5, whatever order the pages
// in flight arrive in; later pages are empty, as GitHub answers them.
func TestListEndsAtAnEarlyShortPage(t *testing.T) {
	t.Parallel()
	fetch := func(_ context.Context, page int) ([]int, Page, error) {
		switch {
		case page == 1:
			return []int{1}, Page{Next: 2, Last: 10}, nil
		case page < 5:
			return []int{page}, Page{Next: page + 1}, nil
		case page == 5:
			return []int{5}, Page{}, nil
		}
		time.Sleep(time.Duration(page%3) * time.Millisecond)
		return []int{page}, Page{}, nil // a page past the end, as a test of what is kept
	}
	got, err := allPages(t.Context(), fetch)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1, 2, 3, 4, 5}, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
}
