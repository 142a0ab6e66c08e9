package refresh

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghfake"
)

// namespaceOf makes a ghfake namespace of size packages and a batcher on it.
func namespaceOf(t *testing.T, size int) (*ghfake.Server, *Batcher[ghapi.PackageRef, *ghapi.Package]) {
	t.Helper()
	return meteredNamespaceOf(t, size, nil)
}

// meteredNamespaceOf is namespaceOf with the emulator behind meter.
func meteredNamespaceOf(t *testing.T, size int, meter *ghfake.PageMeter) (*ghfake.Server, *Batcher[ghapi.PackageRef, *ghapi.Package]) {
	t.Helper()
	fake := ghfake.New()
	fake.AddToken("t", "read:packages")
	for i := range size {
		fake.AddPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: name(i)})
	}
	var handler http.Handler = fake
	if meter != nil {
		meter.Next, handler = fake, meter
	}
	ts := httptest.NewServer(handler)
	t.Cleanup(ts.Close)
	client, err := ghapi.New(ghapi.Config{Token: "t", BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	return fake, Packages(client)
}

func name(i int) string { return fmt.Sprintf("pkg-%04d", i) }

// refreshAll reads the given packages with Terraform's default parallelism
// (10), in a shuffled order, and returns the errors by name.
func refreshAll(t *testing.T, b *Batcher[ghapi.PackageRef, *ghapi.Package], names []string) map[string]error {
	t.Helper()
	rand.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	return readInOrder(t, b, names)
}

// readInOrder reads the packages as Terraform walks count instances: in
// order, 10 at a time.
func readInOrder(t *testing.T, b *Batcher[ghapi.PackageRef, *ghapi.Package], names []string) map[string]error {
	t.Helper()
	work := make(chan string)
	var mu sync.Mutex
	errs := map[string]error{}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			for n := range work {
				pkg, err := b.Read(t.Context(), ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: n})
				if err == nil && pkg.Name != n {
					err = fmt.Errorf("read %s, got %s", n, pkg.Name)
				}
				mu.Lock()
				errs[n] = err
				mu.Unlock()
			}
		})
	}
	for _, n := range names {
		work <- n
	}
	close(work)
	wg.Wait()
	return errs
}

// firstNames names the first n packages of a namespace.
func firstNames(n int) []string {
	var out []string
	for i := range n {
		out = append(out, name(i))
	}
	return out
}

func TestRefreshCosts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		namespace     int // packages in the namespace
		resources     int // packages read
		maxRequests   int
		maxDirectGets int
		spread        bool // the packages read are spread over the namespace, not its first ones
	}{
		{"3 of 5000: direct GETs only", 5000, 3, 3, 3, false},
		{"300 of 300: the listing", 300, 300, 6, 3, false},            // ceil(300/100) + 3
		{"1000 of 1000: the listing", 1000, 1000, 13, 3, false},       // ceil(1000/100) + 3
		{"250 of 300", 300, 250, 6, 250, false},                       // never worse than the listing
		{"4 of 5000: one page at most in vain", 5000, 4, 5, 4, false}, // resources + 1
		{"40 of 5000", 5000, 40, 41, 40, false},
		// Pages fetched ahead: at most MaxPageFetches-1 past the last one needed.
		{"150 of 5000", 5000, 150, 5 + ghapi.MaxPageFetches - 1, 150, false},
		// Spread over a large namespace: never more than two requests per Read.
		{"10 spread over 10000", 10000, 10, 20, 10, true},
		{"50 spread over 10000", 10000, 50, 100, 50, true},
		{"200 spread over 10000", 10000, 200, 400, 200, true},
		// Read in no order, early Reads miss the pages fetched so far: the 100
		// pages, and about 35 direct GETs (331 requests before pages were
		// budgeted apart from GETs).
		{"10000 of 10000", 10000, 10000, 103 + 50, 53, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, b := namespaceOf(t, tc.namespace)
			names := firstNames(tc.resources)
			if tc.spread {
				names = names[:0]
				for i := range tc.resources {
					names = append(names, name(i*tc.namespace/tc.resources))
				}
			}
			for n, err := range refreshAll(t, b, names) {
				if err != nil {
					t.Fatalf("%s: %v", n, err)
				}
			}
			gets, lists := countRequests(fake)
			if gets+lists > tc.maxRequests || gets > tc.maxDirectGets {
				t.Errorf("%d direct GETs and %d listing pages for %d resources; want at most %d requests (%d GETs)",
					gets, lists, tc.resources, tc.maxRequests, tc.maxDirectGets)
			}
		})
	}
}

func countRequests(fake *ghfake.Server) (gets, lists int) {
	for _, r := range fake.Requests() {
		if r.Query.Has("page") {
			lists++
		} else {
			gets++
		}
	}
	return gets, lists
}

// TestDeletedPackageIsConfirmedBeforeReportedGone: a package missing from
// the complete listing gets a direct GET, and its 404 is what Read returns.
func TestDeletedPackageIsConfirmedBeforeReportedGone(t *testing.T) {
	t.Parallel()
	fake, b := namespaceOf(t, 150)
	if err := fake.DeletePackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: name(149)}); err != nil {
		t.Fatal(err)
	}
	errs := refreshAll(t, b, firstNames(150))
	for n, err := range errs {
		if (n == name(149)) != ghapi.IsNotFound(err) {
			t.Errorf("%s: err = %v", n, err)
		}
	}
	confirmed := 0
	for _, r := range fake.Requests() {
		if r.Path == "/users/octocat/packages/npm/"+name(149) {
			confirmed++
		}
	}
	if confirmed != 1 {
		t.Errorf("%d direct GETs of the deleted package, want 1 confirmation", confirmed)
	}
}

func TestListingFailureFallsBackToDirectGets(t *testing.T) {
	t.Parallel()
	fake, b := namespaceOf(t, 50)
	fake.Script("GET", "/users/octocat/packages", ghfake.ServerError(502))
	for n, err := range refreshAll(t, b, firstNames(50)) {
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	if gets, lists := countRequests(fake); lists != 1 || gets != 50 {
		t.Errorf("%d GETs and %d listing requests; want the failed page and 50 GETs", gets, lists)
	}
}

func TestListingServesOneRefreshOnly(t *testing.T) {
	t.Parallel()
	fake, b := namespaceOf(t, 20)
	now := time.Now()
	b.now = func() time.Time { return now }
	refreshAll(t, b, firstNames(20))
	if err := fake.DeletePackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: name(10)}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(TTL + time.Second)
	if _, err := b.Read(context.Background(), ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: name(10)}); !ghapi.IsNotFound(err) {
		t.Fatalf("after the TTL a Read still sees the old listing: err = %v", err)
	}
}

// TestListingServesALongRefresh: a refresh that reads for longer than TTL
// (10000 resources read for minutes) keeps its listing while Reads keep
// coming; before, the listing started afresh TTL after its first page, and
// a plan of 10000 sent 284 requests instead of 103.
func TestListingServesALongRefresh(t *testing.T) {
	t.Parallel()
	fake, b := namespaceOf(t, 300)
	var mu sync.Mutex
	now := time.Now()
	b.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(TTL / 100) // each Read comes a little later: 300 Reads span 3 TTLs
		return now
	}
	for n, err := range readInOrder(t, b, firstNames(300)) {
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	if gets, lists := countRequests(fake); gets != DirectReads || lists != 3 {
		t.Errorf("%d direct GETs and %d pages, want %d and 3", gets, lists, DirectReads)
	}
}

// TestVersionReadsShareTheVersionListing: 100 version Reads of one package
// cost at most ceil(100/100) + 3 requests.
func TestVersionReadsShareTheVersionListing(t *testing.T) {
	t.Parallel()
	fake := ghfake.New()
	fake.AddToken("t", "read:packages")
	pkg := ghfake.Package{Org: true, Owner: "octo-org", Type: "npm", Name: "lib"}
	fake.AddPackage(pkg)
	var ids []int64
	for i := range 100 {
		ids = append(ids, fake.AddVersion(pkg, ghfake.Version{Name: fmt.Sprintf("1.0.%d", i)}).ID)
	}
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	client, err := ghapi.New(ghapi.Config{Token: "t", BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	b := Versions(client)
	ref := ghapi.PackageRef{Scope: ghapi.ScopeOrg, Owner: "octo-org", Type: "npm", Name: "lib"}
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		wg.Go(func() {
			v, err := b.Read(t.Context(), ghapi.VersionRef{Package: ref, ID: id})
			if err == nil && v.ID != id {
				err = fmt.Errorf("read %d, got %d", id, v.ID)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(fake.Requests()); n > 4 {
		t.Fatalf("%d requests for 100 version Reads, want at most 4", n)
	}
}

// TestListingPagesInFlight: a refresh of 1000 packages, read in order or
// shuffled (Terraform walks count instances in no fixed order), fetches the
// listing's pages ghapi.MaxPageFetches at a time once page 1 names the last
// page (one at a time without rel="last"), and sends the same
// ceil(N/100)+3 requests.
func TestListingPagesInFlight(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		noLast, shuffled  bool
		minPeak, wantPeak int
	}{
		"rel=last, in order": {false, false, ghapi.MaxPageFetches, ghapi.MaxPageFetches},
		// The per-Read budget may hold it under 4 when Reads arrive slowly.
		"rel=last, shuffled":    {false, true, 2, ghapi.MaxPageFetches},
		"no rel=last, shuffled": {true, true, 1, 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// Long enough for a wave's pages to overlap on a loaded machine (CI
			// runs this beside the acceptance tests).
			meter := &ghfake.PageMeter{NoLast: tc.noLast, Delay: 100 * time.Millisecond}
			fake, b := meteredNamespaceOf(t, 1000, meter)
			read := readInOrder
			if tc.shuffled {
				read = refreshAll
			}
			for n, err := range read(t, b, firstNames(1000)) {
				if err != nil {
					t.Fatalf("%s: %v", n, err)
				}
			}
			if got := meter.Peak(); got < tc.minPeak || got > tc.wantPeak {
				t.Errorf("%d pages in flight at once, want %d to %d", got, tc.minPeak, tc.wantPeak)
			}
			if gets, lists := countRequests(fake); gets != DirectReads || lists != 10 {
				t.Errorf("%d direct GETs and %d pages, want %d and 10", gets, lists, DirectReads)
			}
		})
	}
}

// TestSlowReadsKeepToTheBound: Terraform sends a burst of 10 Reads, then,
// under for_each, new ones slower than pages arrive. The burst's 10 Reads
// pay for pages 1 to 10 whatever the direct GETs before them, so the two
// Reads waiting for pages 9 and 10 get them instead of sending GETs: the
// refresh stays at ceil(N/100)+3 requests. Before, a plan of 1000 for_each
// instances sent 19.
func TestSlowReadsKeepToTheBound(t *testing.T) {
	t.Parallel()
	// Long enough for the burst to arrive before page 1 answers.
	meter := &ghfake.PageMeter{Delay: 100 * time.Millisecond}
	fake, b := meteredNamespaceOf(t, 1000, meter)
	read := func(n string) error {
		_, err := b.Read(t.Context(), ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: n})
		return err
	}
	// Three direct GETs, then 7 Reads at once, two of them on pages 9 and
	// 10 (when GETs counted against the pages, the budget stopped at page 7).
	var burst []string
	for _, i := range []int{0, 1, 2, 150, 250, 350, 450, 550, 850, 950} {
		burst = append(burst, name(i))
	}
	for _, n := range burst[:DirectReads] {
		if err := read(n); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for _, n := range burst[DirectReads:] {
		wg.Go(func() {
			if err := read(n); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if gets, lists := countRequests(fake); gets != DirectReads || lists != 10 {
		t.Fatalf("after the burst: %d direct GETs and %d pages, want %d and 10", gets, lists, DirectReads)
	}
	for n, err := range refreshAll(t, b, firstNames(1000)) {
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	if n := len(fake.Requests()); n != DirectReads+10 {
		t.Errorf("%d requests for 1000 Reads, want %d", n, DirectReads+10)
	}
}
