package ghapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNextPage(t *testing.T) {
	t.Parallel()
	const base = "https://api.github.com/users/octocat/packages?package_type=npm&per_page=100"
	link := func(rels ...string) http.Header {
		h := http.Header{}
		for _, r := range rels {
			h.Add("Link", r)
		}
		return h
	}
	tests := map[string]struct {
		header  http.Header
		current int
		items   int
		want    Page
	}{
		"next and last":        {link(`<` + base + `&page=3>; rel="next", <` + base + `&page=9>; rel="last"`), 2, 100, Page{3, 9}},
		"next without last":    {link(`<` + base + `&page=2>; rel="next"`), 1, 100, Page{2, 0}},
		"next in its own line": {link(`<`+base+`&page=1>; rel="prev"`, `<`+base+`&page=3>; rel="next"`, `<`+base+`&page=5>; rel="last"`), 2, 100, Page{3, 5}},
		"last page":            {link(`<` + base + `&page=1>; rel="first", <` + base + `&page=2>; rel="prev"`), 3, 100, Page{}},
		"no link header":       {http.Header{}, 1, 100, Page{}},
		"short page ends it":   {link(`<` + base + `&page=2>; rel="next", <` + base + `&page=9>; rel="last"`), 1, 40, Page{}},
		"repeated page":        {link(`<` + base + `&page=4>; rel="next"`), 4, 100, Page{}},
		"backwards":            {link(`<` + base + `&page=2>; rel="next"`), 4, 100, Page{}},
		"no page number":       {link(`<` + base + `>; rel="next"`), 1, 100, Page{}},
		"unquoted rel":         {link(`<` + base + `&page=2>; rel=next`), 1, 100, Page{2, 0}},
		"last before next":     {link(`<` + base + `&page=3>; rel="next", <` + base + `&page=2>; rel="last"`), 2, 100, Page{3, 0}},
		"unreadable last":      {link(`<` + base + `&page=3>; rel="next", <` + base + `&page=x>; rel="last"`), 2, 100, Page{3, 0}},
		// A server's page count is cut to the most any listing may hold.
		"last past the bound": {link(`<` + base + `&page=2>; rel="next", <` + base + `&page=2000000000>; rel="last"`), 1, 100, Page{2, MaxListPages}},
		"last of MaxInt64":    {link(`<` + base + `&page=2>; rel="next", <` + base + `&page=9223372036854775807>; rel="last"`), 1, 100, Page{2, MaxListPages}},
		"last past int64":     {link(`<` + base + `&page=2>; rel="next", <` + base + `&page=9223372036854775808>; rel="last"`), 1, 100, Page{2, 0}},
		"next past the bound": {link(`<` + base + `&page=1001>; rel="next", <` + base + `&page=5000>; rel="last"`), 1000, 100, Page{1001, 0}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, pageLinks(tc.header, tc.current, tc.items, 100)); diff != "" {
				t.Errorf("next page (-want +got):\n%s", diff)
			}
		})
	}
}

// TestListFollowsNextWithoutLast pages through a server that sends only
// rel="next" links, as some proxies and GitHub Enterprise Server versions do.
func TestListFollowsNextWithoutLast(t *testing.T) {
	t.Parallel()
	const pages = 3
	var requests atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page < pages {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?package_type=npm&per_page=100&page=%d>; rel="next"`, r.Host, r.URL.Path, page+1))
		}
		writePackagesPage(w, page, ListPageSize)
	}))
	t.Cleanup(ts.Close)
	client, err := New(Config{Token: "t", BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := client.ListPackages(t.Context(), Namespace{Owner: "octocat", Type: "npm"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != pages*100 || requests.Load() != pages {
		t.Fatalf("%d packages in %d requests, want %d in %d", len(pkgs), requests.Load(), pages*100, pages)
	}
}
