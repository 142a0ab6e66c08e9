package refresh

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
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
// (10), in a shuffled order, and returns the errors by name. seen, unless
// nil, holds each package's Seen from the refresh before (the provider
// keeps it in private state) and takes this refresh's.
func refreshAll(t *testing.T, b *Batcher[ghapi.PackageRef, *ghapi.Package], names []string, seen map[string]Seen) map[string]error {
	t.Helper()
	names = slices.Clone(names)
	rand.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	return readInOrder(t, b, names, seen)
}

// readInOrder reads the packages as Terraform walks count instances: in
// order, 10 at a time.
func readInOrder(t *testing.T, b *Batcher[ghapi.PackageRef, *ghapi.Package], names []string, seen map[string]Seen) map[string]error {
	t.Helper()
	work := make(chan string)
	var mu sync.Mutex
	errs := map[string]error{}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			for n := range work {
				mu.Lock()
				last := seen[n]
				mu.Unlock()
				pkg, now, err := b.Read(t.Context(), ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: n}, last)
				if err == nil && pkg.Name != n {
					err = fmt.Errorf("read %s, got %s", n, pkg.Name)
				}
				mu.Lock()
				errs[n] = err
				if seen != nil {
					seen[n] = now
				}
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

// TestRefreshCosts: a refresh costs at most one request per Read, plus one
// page in vain; the next refresh of the same stack, which brings the Seen of
// the first back from private state, costs ceil(N/100)+3 requests in any
// order.
func TestRefreshCosts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		namespace int  // packages in the namespace
		resources int  // packages read
		spread    bool // the packages read are spread over the namespace, not its first ones
		first     int  // requests at most, first refresh (no Seen)
		again     int  // requests at most, next refresh (Seen from the first)
		gets      int  // direct GETs at most, next refresh
	}{
		{"3 of 5000: direct GETs only", 5000, 3, false, 3, 3, 3},
		{"300 of 300: the listing", 300, 300, false, 301, 6, 3}, // ceil(300/100) + 3
		{"1000 of 1000: the listing", 1000, 1000, false, 1001, 13, 3},
		{"250 of 300", 300, 250, false, 251, 6, 3},
		{"4 of 5000: one page at most in vain", 5000, 4, false, 5, 5, 4},
		{"40 of 5000", 5000, 40, false, 41, 41, 40},
		// The Seen says dense (150 Reads, 50 pages), but the stack fills
		// the first pages: pages come only as Reads miss, and ahead of them
		// at most MaxPageFetches-1 past the last one needed.
		{"150 of 5000", 5000, 150, false, 151, 5 + ghapi.MaxPageFetches - 1, 3},
		// Fewer than the listing's pages: the Seen changes nothing.
		{"10 spread over 10000", 10000, 10, true, 11, 11, 10},
		{"50 spread over 10000", 10000, 50, true, 51, 51, 50},
		// More than its pages: all of them, fewer than a GET each.
		{"200 spread over 10000", 10000, 200, true, 201, 103, 3},
		{"10000 of 10000", 10000, 10000, false, 10001, 103, 3},
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
			seen := map[string]Seen{}
			for n, err := range refreshAll(t, b, names, seen) {
				if err != nil {
					t.Fatalf("%s: %v", n, err)
				}
			}
			gets, lists := countRequests(fake.Requests())
			t.Logf("first refresh: %d direct GETs and %d listing pages", gets, lists)
			if gets+lists > tc.first {
				t.Errorf("first refresh: %d direct GETs and %d listing pages for %d resources; want at most %d requests",
					gets, lists, tc.resources, tc.first)
			}
			before := len(fake.Requests())
			restart(b)
			for n, err := range refreshAll(t, b, names, seen) {
				if err != nil {
					t.Fatalf("%s: %v", n, err)
				}
			}
			gets, lists = countRequests(fake.Requests()[before:])
			t.Logf("next refresh: %d direct GETs and %d listing pages", gets, lists)
			if gets+lists > tc.again || gets > tc.gets {
				t.Errorf("next refresh: %d direct GETs and %d listing pages for %d resources; want at most %d requests (%d GETs)",
					gets, lists, tc.resources, tc.again, tc.gets)
			}
		})
	}
}

// restart forgets the listings, as a new provider process does.
func restart[R, V any](b *Batcher[R, V]) {
	b.mu.Lock()
	defer b.mu.Unlock()
	clear(b.listings)
}

func countRequests(requests []ghfake.Request) (gets, lists int) {
	for _, r := range requests {
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
	errs := refreshAll(t, b, firstNames(150), nil)
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
	for n, err := range refreshAll(t, b, firstNames(50), nil) {
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	if gets, lists := countRequests(fake.Requests()); lists != 1 || gets != 50 {
		t.Errorf("%d GETs and %d listing requests; want the failed page and 50 GETs", gets, lists)
	}
}

func TestListingServesOneRefreshOnly(t *testing.T) {
	t.Parallel()
	fake, b := namespaceOf(t, 20)
	now := time.Now()
	b.now = func() time.Time { return now }
	refreshAll(t, b, firstNames(20), nil)
	if err := fake.DeletePackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: name(10)}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(TTL + time.Second)
	if _, _, err := b.Read(context.Background(), ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: name(10)}, 0); !ghapi.IsNotFound(err) {
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
	for n, err := range readInOrder(t, b, firstNames(300), nil) {
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	if gets, lists := countRequests(fake.Requests()); gets != DirectReads || lists != 3 {
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
			v, _, err := b.Read(t.Context(), ghapi.VersionRef{Package: ref, ID: id}, 0)
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

// createdTogether creates the packages in one apply, in no order, and
// returns their Seen; the refresh that follows runs in a new process.
func createdTogether(b *Batcher[ghapi.PackageRef, *ghapi.Package], names []string) map[string]Seen {
	seen := map[string]Seen{}
	for _, i := range rand.Perm(len(names)) {
		seen[names[i]] = b.Created(ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: names[i]})
	}
	restart(b)
	return seen
}

// TestListingPagesInFlight: a refresh of 1000 packages, read in order or
// shuffled (Terraform walks count instances in no fixed order), fetches the
// listing's pages ghapi.MaxPageFetches at a time once page 1 names the last
// page (one at a time without rel="last"), and sends the same
// ceil(N/100)+3 requests.
func TestListingPagesInFlight(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		noLast, shuffled, seen bool
		minPeak, wantPeak      int
		maxGets                int
	}{
		"rel=last, in order": {false, false, true, ghapi.MaxPageFetches, ghapi.MaxPageFetches, DirectReads},
		// The per-Read budget may hold it under 4 when Reads arrive slowly.
		"rel=last, shuffled": {false, true, true, 2, ghapi.MaxPageFetches, DirectReads},
		// Without the page count, pages come one at a time, only as Reads
		// pay for them (a first refresh: with a Seen, the first wave does
		// not wait for page 1).
		"no rel=last, shuffled": {true, true, false, 1, 1, 1000 - 10 + 1},
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
			var seen map[string]Seen
			if tc.seen {
				seen = createdTogether(b, firstNames(1000))
			}
			for n, err := range read(t, b, firstNames(1000), seen) {
				if err != nil {
					t.Fatalf("%s: %v", n, err)
				}
			}
			if got := meter.Peak(); got < tc.minPeak || got > tc.wantPeak {
				t.Errorf("%d pages in flight at once, want %d to %d", got, tc.minPeak, tc.wantPeak)
			}
			if gets, lists := countRequests(fake.Requests()); gets > tc.maxGets || lists != 10 {
				t.Errorf("%d direct GETs and %d pages, want at most %d and 10", gets, lists, tc.maxGets)
			}
		})
	}
}

// TestSlowReadsKeepToTheBound: Terraform sends a burst of 10 Reads, then,
// under for_each, new ones slower than pages arrive. The packages were
// created in one apply, so their Seen marks the listing dense: the burst
// fetches pages 1 to 10, and the two Reads waiting for pages 9 and 10 get
// them instead of sending GETs. The refresh stays at ceil(N/100)+3
// requests; a plan of 1000 for_each instances once sent 19.
func TestSlowReadsKeepToTheBound(t *testing.T) {
	t.Parallel()
	// Long enough for the burst to arrive before page 1 answers.
	meter := &ghfake.PageMeter{Delay: 100 * time.Millisecond}
	fake, b := meteredNamespaceOf(t, 1000, meter)
	seen := createdTogether(b, firstNames(1000))
	read := func(n string) error {
		_, _, err := b.Read(t.Context(), ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: n}, seen[n])
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
	if gets, lists := countRequests(fake.Requests()); gets != DirectReads || lists != 10 {
		t.Fatalf("after the burst: %d direct GETs and %d pages, want %d and 10", gets, lists, DirectReads)
	}
	for n, err := range refreshAll(t, b, firstNames(1000), seen) {
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	if n := len(fake.Requests()); n != DirectReads+10 {
		t.Errorf("%d requests for 1000 Reads, want %d", n, DirectReads+10)
	}
}

// TestSeenCostsATargetedPlanNothing: a plan with -target reads one
// resource of a large stack, whose Seen says the last refresh read
// thousands: one direct GET, as without it.
func TestSeenCostsATargetedPlanNothing(t *testing.T) {
	t.Parallel()
	fake, b := namespaceOf(t, 10000)
	if _, _, err := b.Read(t.Context(), ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: name(6789)}, 9000); err != nil {
		t.Fatal(err)
	}
	if gets, lists := countRequests(fake.Requests()); gets != 1 || lists != 0 {
		t.Errorf("%d direct GETs and %d pages, want 1 GET", gets, lists)
	}
}

// TestShrunkStackKeepsToClaimGrowth: an apply removed most of a stack, and
// the 10 resources left keep the Seen of a stack of 10000 (it only grows).
// Their refreshes pay for pages that serve nobody, at most ClaimGrowth per
// Read beyond the GET each, never the whole listing.
func TestShrunkStackKeepsToClaimGrowth(t *testing.T) {
	t.Parallel()
	fake, b := namespaceOf(t, 10000)
	seen := map[string]Seen{}
	var names []string
	for i := range 10 {
		n := name(i * 1000)
		names = append(names, n)
		seen[n] = Seen(rand.IntN(10000) + 1)
	}
	for n, err := range refreshAll(t, b, names, seen) {
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	gets, lists := countRequests(fake.Requests())
	t.Logf("%d direct GETs and %d listing pages", gets, lists)
	if bound := 10 * (ClaimGrowth + 1); gets+lists > bound {
		t.Errorf("%d direct GETs and %d listing pages for 10 resources, want at most %d requests", gets, lists, bound)
	}
}

// TestSeenSettles: a stack created in one apply keeps the Seen its creates
// gave, refresh after refresh: Terraform counts a change of private state
// in a refresh-only plan, and -detailed-exitcode would report drift on
// every run. A stack that grew a few resources per apply, whose Seen do
// not say it is dense, gets one that does at its next refresh, and then
// keeps it.
func TestSeenSettles(t *testing.T) {
	t.Parallel()
	fake, b := namespaceOf(t, 1000)
	refresh := func(names []string, seen map[string]Seen) (changed, requests int) {
		before, sent := maps.Clone(seen), len(fake.Requests())
		for n, err := range refreshAll(t, b, names, seen) {
			if err != nil {
				t.Fatalf("%s: %v", n, err)
			}
		}
		restart(b)
		for k, v := range seen {
			if v < before[k] {
				t.Errorf("%s: Seen went down from %d to %d", k, before[k], v)
			}
			if v != before[k] {
				changed++
			}
		}
		return changed, len(fake.Requests()) - sent
	}

	created := createdTogether(b, firstNames(500))
	for i := range 3 {
		if n, _ := refresh(firstNames(500), created); n != 0 {
			t.Errorf("refresh %d of a stack created together changed %d Seen, want none", i+1, n)
		}
	}

	grown := map[string]Seen{}
	for _, n := range firstNames(1000) { // 1000 resources created one per apply
		grown[n] = 1
	}
	n, requests := refresh(firstNames(1000), grown)
	t.Logf("first refresh of the grown stack: %d requests, %d Seen changed", requests, n)
	if n == 0 {
		t.Error("the grown stack's refresh kept every Seen: its next refresh will not know it is dense")
	}
	if _, requests = refresh(firstNames(1000), grown); requests > 13 {
		t.Errorf("next refresh of the grown stack sent %d requests, want at most ceil(1000/100)+3", requests)
	}
	for i := range 2 {
		if n, _ = refresh(firstNames(1000), grown); n != 0 {
			t.Errorf("refresh %d of the grown stack after it settled changed %d Seen, want none", i+3, n)
		}
	}
}
