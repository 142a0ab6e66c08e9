package ghapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
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
	got, err := allPages(t.Context(), namespaceListing(Namespace{Owner: "octocat", Type: "npm"}), fetch)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1, 2, 3, 4, 5}, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
}

// hostilePages serves a listing whose pages up to full (all when 0) are
// full and link to the next one, as a broken or hostile server might; the
// page after them has one package. last, when not empty, is the page
// number its rel="last" links name. It counts the requests.
func hostilePages(t *testing.T, last string, full int) (*Client, *atomic.Int64) {
	t.Helper()
	var requests atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		link := fmt.Sprintf(`<http://%s%s?package_type=npm&per_page=100&page=%d>; rel="next"`, r.Host, r.URL.Path, page+1)
		if last != "" {
			link += fmt.Sprintf(`, <http://%s%s?package_type=npm&per_page=100&page=%s>; rel="last"`, r.Host, r.URL.Path, last)
		}
		w.Header().Set("Link", link)
		size := ListPageSize
		if full > 0 && page > full {
			size = 1
		}
		writePackagesPage(w, page, size)
	}))
	t.Cleanup(ts.Close)
	client, err := New(Config{Token: "t", BaseURL: ts.URL, MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	return client, &requests
}

// writePackagesPage writes a page of size npm packages.
func writePackagesPage(w http.ResponseWriter, page, size int) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte("["))
	for i := range size {
		if i > 0 {
			_, _ = w.Write([]byte(","))
		}
		_, _ = fmt.Fprintf(w, `{"id":%d,"name":"p%d-%d","package_type":"npm","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}`, page*1000+i, page, i)
	}
	_, _ = w.Write([]byte("]"))
}

// TestListIsBoundedWhateverTheServerSays: a page count from rel="last"
// sizes nothing (MaxInt64 made a slice of that length panic, 2e9 asked for
// 80 GB), and a server that answers full pages and next links for ever
// costs exactly MaxListPages requests and ends in a KindListingTooLarge
// error naming the listing and the limit.
func TestListIsBoundedWhateverTheServerSays(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		last         string
		full         int
		wantRequests int64 // at most, when the listing ends; exactly, when it is too large
		wantTooLarge bool
	}{
		"rel=last of MaxInt64, then a short page": {"9223372036854775807", 1, 1 + MaxPageFetches, false},
		"rel=last of 2e9, then a short page":      {"2000000000", 1, 1 + MaxPageFetches, false},
		"rel=last of MaxInt64, full pages":        {"9223372036854775807", 0, MaxListPages, true},
		"no rel=last, full pages":                 {"", 0, MaxListPages, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			client, requests := hostilePages(t, tc.last, tc.full)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			pkgs, err := client.ListPackages(t.Context(), Namespace{Owner: "octocat", Type: "npm"}, "")
			runtime.ReadMemStats(&after)
			// Every parallel test of the package counts here too; a slice
			// sized by rel="last" would count 80 GB.
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 2<<30 {
				t.Errorf("the listing allocated %d MB", grown>>20)
			}
			n := requests.Load()
			if !tc.wantTooLarge {
				if err != nil || len(pkgs) != ListPageSize+1 || n > tc.wantRequests {
					t.Fatalf("%d packages in %d requests, err = %v; want %d in at most %d", len(pkgs), n, err, ListPageSize+1, tc.wantRequests)
				}
				return
			}
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Kind != KindListingTooLarge || apiErr.Op != OpList ||
				apiErr.Ref != (PackageRef{Owner: "octocat", Type: "npm"}) || !strings.Contains(apiErr.Message, "1000 pages") || pkgs != nil {
				t.Fatalf("got %d packages and err = %v, want a listing-too-large error of octocat/npm", len(pkgs), err)
			}
			if n != tc.wantRequests {
				t.Errorf("%d requests, want exactly MaxListPages (%d)", n, tc.wantRequests)
			}
		})
	}
}

// TestAllPagesBounds: a listing ends with KindListingTooLarge once it would
// pass its bounds in pages or objects, before it requests a page past them,
// and a listing of exactly its bounds is whole.
func TestAllPagesBounds(t *testing.T) {
	t.Parallel()
	const maxPages = 5
	full := func(page int) []int { return make([]int, ListPageSize) }
	tests := map[string]struct {
		items     func(page int) []int
		links     func(page int) Page
		wantCalls int64
		wantItems int // -1: a listing-too-large error
	}{
		"next for ever":          {full, func(p int) Page { return Page{Next: p + 1} }, maxPages, -1},
		"last past the bound":    {full, func(p int) Page { return Page{Next: p + 1, Last: 1 << 62} }, maxPages, -1},
		"next jumping ahead":     {full, func(p int) Page { return Page{Next: p * 1000} }, maxPages, -1},
		"pages over their size":  {func(int) []int { return make([]int, 3*ListPageSize) }, func(p int) Page { return Page{Next: p + 1} }, 2, -1},
		"exactly the bound":      {full, func(p int) Page { return Page{Next: (p + 1) % (maxPages + 1), Last: maxPages} }, maxPages, maxPages * ListPageSize},
		"next ends at the bound": {full, func(p int) Page { return Page{Next: (p + 1) % (maxPages + 1)} }, maxPages, maxPages * ListPageSize},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int64
			fetch := func(_ context.Context, page int) ([]int, Page, error) {
				calls.Add(1)
				return tc.items(page), tc.links(page), nil
			}
			ref := PackageRef{Scope: ScopeOrg, Owner: "octo-org", Type: "container", Name: "app"}
			got, err := allPages(t.Context(), listing{op: OpListVersions, ref: ref, maxPages: maxPages}, fetch)
			if n := calls.Load(); n != tc.wantCalls {
				t.Errorf("%d pages fetched, want %d", n, tc.wantCalls)
			}
			if tc.wantItems >= 0 {
				if err != nil || len(got) != tc.wantItems {
					t.Fatalf("%d items, err = %v; want %d items", len(got), err, tc.wantItems)
				}
				return
			}
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Kind != KindListingTooLarge || apiErr.Op != OpListVersions || apiErr.Ref != ref ||
				!strings.Contains(err.Error(), "past 5 pages or 500 objects") || got != nil {
				t.Fatalf("%d items, err = %v; want a listing-too-large error naming 5 pages", len(got), err)
			}
		})
	}
}
