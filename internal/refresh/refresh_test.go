package refresh

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// parallelism is how many Reads Terraform runs at once by default.
const parallelism = 10

// namespaceOf makes a ghfake namespace of size packages and a batcher that
// reads it through ghapi, for the tests of what a refresh makes of
// GitHub's answers; the tests of what a refresh costs walk a
// fakeNamespace.
func namespaceOf(t *testing.T, size int) (*ghfake.Server, *Batcher[ghapi.PackageRef, *ghapi.Package]) {
	t.Helper()
	fake := ghfake.New()
	fake.AddToken("t", "read:packages")
	for i := range size {
		fake.AddPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: name(i)})
	}
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	client, err := ghapi.New(ghapi.Config{Token: "t", BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	return fake, Packages(client)
}

func name(i int) string { return fmt.Sprintf("pkg-%04d", i) }

// firstNames names the first n packages of a namespace.
func firstNames(n int) []string {
	var out []string
	for i := range n {
		out = append(out, name(i))
	}
	return out
}

// readInOrder reads the packages as Terraform walks count instances: in
// order, parallelism at a time. It returns the errors by name.
func readInOrder(t *testing.T, b *Batcher[ghapi.PackageRef, *ghapi.Package], names []string) map[string]error {
	t.Helper()
	work := make(chan string)
	var mu sync.Mutex
	errs := map[string]error{}
	var wg sync.WaitGroup
	for range parallelism {
		wg.Go(func() {
			for n := range work {
				pkg, _, err := b.Read(t.Context(), ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: n}, 0)
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

// restart forgets the listings, as a new provider process does.
func restart[R, V any](b *Batcher[R, V]) {
	b.mu.Lock()
	defer b.mu.Unlock()
	clear(b.listings)
}

// createdTogether creates the packages in one apply, in the order a seeded
// shuffle gives, and returns their Seen; the refresh that follows runs in a
// new process.
func createdTogether(b *Batcher[ghapi.PackageRef, *ghapi.Package], names []string, seed uint64) map[string]Seen {
	seen := map[string]Seen{}
	for _, n := range shuffled(names, seed) {
		seen[n] = b.Created(ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: n})
	}
	restart(b)
	return seen
}

// mustRead fails the test on the first error of a walk.
func mustRead(t *testing.T, errs map[string]error) {
	t.Helper()
	for _, n := range slices.Sorted(maps.Keys(errs)) {
		if errs[n] != nil {
			t.Fatalf("%s: %v", n, errs[n])
		}
	}
}

// TestRefreshCosts: the exact requests of a refresh, within one request per
// Read plus one page, and of the next refresh of the same stack, which
// brings the Seen of the first back from private state: within
// ceil(N/100)+3 once dense. Both walk in a shuffled order, with
// Terraform's parallelism, Reads quicker than pages.
func TestRefreshCosts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		namespace    int    // packages in the namespace
		resources    int    // packages read
		spread       bool   // the packages read are spread over the namespace, not its first ones
		first, again [2]int // direct GETs and pages: first refresh (no Seen), next refresh
	}{
		// The benchmark's count rows of 1, 50, 100, 1000 and 10000.
		{"1 of 1", 1, 1, false, [2]int{1, 0}, [2]int{1, 0}},
		{"50 of 50", 50, 50, false, [2]int{3, 1}, [2]int{3, 1}},
		{"100 of 100", 100, 100, false, [2]int{3, 1}, [2]int{3, 1}},
		{"1000 of 1000", 1000, 1000, false, [2]int{42, 10}, [2]int{3, 10}},
		{"10000 of 10000", 10000, 10000, false, [2]int{409, 100}, [2]int{3, 100}},
		{"3 of 5000: direct GETs only", 5000, 3, false, [2]int{3, 0}, [2]int{3, 0}},
		{"4 of 5000: one page in vain", 5000, 4, false, [2]int{3, 1}, [2]int{3, 1}},
		{"40 of 5000", 5000, 40, false, [2]int{3, 1}, [2]int{3, 1}},
		// The seen say dense (150 Reads, 50 pages), but the stack fills the
		// first pages: pages come as Reads miss, and ahead of them up to
		// MaxPageFetches-1 past the last one needed.
		{"150 of 5000", 5000, 150, false, [2]int{3, 5}, [2]int{3, 5}},
		{"250 of 300", 300, 250, false, [2]int{3, 3}, [2]int{3, 3}},
		{"300 of 300", 300, 300, false, [2]int{3, 3}, [2]int{3, 3}},
		// Fewer than the listing's pages: not dense, GETs.
		{"10 spread over 10000", 10000, 10, true, [2]int{9, 2}, [2]int{9, 2}},
		{"50 spread over 10000", 10000, 50, true, [2]int{49, 2}, [2]int{50, 1}},
		// More than its pages: all of them, fewer than a GET each.
		{"200 spread over 10000", 10000, 200, true, [2]int{197, 4}, [2]int{3, 100}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				ns := newFakeNamespace(tc.namespace, false)
				b := Packages(ns)
				names := firstNames(tc.resources)
				if tc.spread {
					names = names[:0]
					for i := range tc.resources {
						names = append(names, name(i*tc.namespace/tc.resources))
					}
				}
				seen := map[string]Seen{}
				refresh := func(seed uint64) [2]int {
					sent := len(ns.requests())
					mustRead(t, ns.walk(t, b, shuffled(names, seed), seen, false))
					restart(b)
					gets, pages := count(ns.requests()[sent:])
					return [2]int{gets, pages}
				}
				if got := refresh(1); got != tc.first {
					t.Errorf("first refresh: %v direct GETs and pages, want %v", got, tc.first)
				}
				if got := refresh(2); got != tc.again {
					t.Errorf("next refresh: %v direct GETs and pages, want %v", got, tc.again)
				}
			})
		})
	}
}

// TestSameWalkSameRequests: given the order of the Reads and when each
// arrives against the pages, a refresh sends the same requests after the
// same events, whichever Read the scheduler runs first once a page
// arrives: which Reads keep a GET and which Read fetches the next wave
// follow from the listing's state alone.
func TestSameWalkSameRequests(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		created, slow bool
	}{
		"first refresh":             {false, false},
		"first refresh, slow Reads": {false, true},
		"next refresh":              {true, false},
		"next refresh, slow Reads":  {true, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var first []request
			for run := range 10 {
				synctest.Test(t, func(t *testing.T) {
					ns := newFakeNamespace(1000, false)
					b := Packages(ns)
					var seen map[string]Seen
					if tc.created {
						seen = createdTogether(b, firstNames(1000), 3)
					}
					mustRead(t, ns.walk(t, b, shuffled(firstNames(1000), 4), seen, tc.slow))
					sent := ns.requests()
					if run == 0 {
						first = sent
						return
					}
					if !slices.Equal(sent, first) {
						gets, pages := count(sent)
						wantGets, wantPages := count(first)
						i := firstDifference(sent, first)
						t.Errorf("run %d sent %d GETs and %d pages, run 0 %d and %d; first difference at request %d: %v, run 0 %v",
							run, gets, pages, wantGets, wantPages, i, sent[max(0, i-3):min(len(sent), i+3)], first[max(0, i-3):min(len(first), i+3)])
					}
				})
			}
		})
	}
}

// firstDifference is the index of the first request where a and b differ.
func firstDifference(a, b []request) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestDeletedPackageIsConfirmedBeforeReportedGone: a package missing from
// the complete listing gets a direct GET, and its 404 is what Read returns.
func TestDeletedPackageIsConfirmedBeforeReportedGone(t *testing.T) {
	t.Parallel()
	fake, b := namespaceOf(t, 150)
	if err := fake.DeletePackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: name(149)}); err != nil {
		t.Fatal(err)
	}
	errs := readInOrder(t, b, firstNames(150))
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
	mustRead(t, readInOrder(t, b, firstNames(50)))
	if gets, lists := countRequests(fake.Requests()); lists != 1 || gets != 50 {
		t.Errorf("%d GETs and %d listing requests; want the failed page and 50 GETs", gets, lists)
	}
}

func TestListingServesOneRefreshOnly(t *testing.T) {
	t.Parallel()
	fake, b := namespaceOf(t, 20)
	now := time.Now()
	b.now = func() time.Time { return now }
	readInOrder(t, b, firstNames(20))
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
// coming, as TTL counts from the last Read.
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
	mustRead(t, readInOrder(t, b, firstNames(300)))
	if gets, lists := countRequests(fake.Requests()); gets != DirectReads || lists != 3 {
		t.Errorf("%d direct GETs and %d pages, want %d and 3", gets, lists, DirectReads)
	}
}

// TestVersionReadsShareTheVersionListing: 100 version Reads of one package
// cost the direct GETs and one page.
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
	if n := len(fake.Requests()); n != DirectReads+1 {
		t.Fatalf("%d requests for 100 version Reads, want %d", n, DirectReads+1)
	}
}

// TestListingPagesInFlight: a refresh of 1000 packages, read in order or
// shuffled, fetches the listing's pages in waves of ghapi.MaxPageFetches
// once page 1 names the last page (at once when the seen say dense),
// whether Reads arrive quicker or slower than pages, and one at a time
// without rel="last".
func TestListingPagesInFlight(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		noLast, shuffled, slow, created bool
		peak, gets                      int
		waves                           string
	}{
		"rel=last, in order":                          {false, false, false, true, 4, 3, "[[1 2 3 4] [5 6 7 8] [9 10]]"},
		"rel=last, shuffled":                          {false, true, false, true, 4, 3, "[[1 2 3 4] [5 6 7 8] [9 10]]"},
		"rel=last, shuffled, Reads slower than pages": {false, true, true, true, 4, 3, "[[1 2 3 4] [5 6 7 8] [9 10]]"},
		// A first refresh without the page count: pages only as Reads pay.
		"no rel=last, shuffled": {true, true, false, false, 1, 72, "[[1] [2] [3] [4] [5] [6] [7] [8] [9] [10]]"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				ns := newFakeNamespace(1000, tc.noLast)
				b := Packages(ns)
				names := firstNames(1000)
				if tc.shuffled {
					names = shuffled(names, 5)
				}
				var seen map[string]Seen
				if tc.created {
					seen = createdTogether(b, firstNames(1000), 6)
				}
				mustRead(t, ns.walk(t, b, names, seen, tc.slow))
				if ns.peak != tc.peak {
					t.Errorf("%d pages in flight at once, want %d", ns.peak, tc.peak)
				}
				if got := waves(ns.requests()); got != tc.waves {
					t.Errorf("pages sent %s, want %s", got, tc.waves)
				}
				if gets, _ := count(ns.requests()); gets != tc.gets {
					t.Errorf("%d direct GETs, want %d", gets, tc.gets)
				}
			})
		})
	}
}

// TestSlowReadsKeepToTheBound: Terraform sends a burst of 10 Reads, then
// new ones slower than pages arrive. The packages were created in one
// apply, so their seen say dense: the burst fetches pages 1 to 10, and the
// Reads waiting for pages 9 and 10 get them instead of sending GETs. The
// refresh sends exactly ceil(N/100)+3 requests.
func TestSlowReadsKeepToTheBound(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ns := newFakeNamespace(1000, false)
		b := Packages(ns)
		seen := createdTogether(b, firstNames(1000), 7)
		// Three direct GETs, then 7 Reads before page 1 arrives, two of them
		// on pages 9 and 10.
		var burst []string
		for _, i := range []int{0, 1, 2, 150, 250, 350, 450, 550, 850, 950} {
			burst = append(burst, name(i))
		}
		mustRead(t, ns.walk(t, b, burst, seen, false))
		if gets, pages := count(ns.requests()); gets != DirectReads || pages != 10 {
			t.Fatalf("after the burst: %d direct GETs and %d pages, want %d and 10", gets, pages, DirectReads)
		}
		mustRead(t, ns.walk(t, b, shuffled(firstNames(1000), 8), seen, true))
		if n := len(ns.requests()); n != DirectReads+10 {
			t.Errorf("%d requests for 1000 Reads, want %d", n, DirectReads+10)
		}
	})
}

// TestCanceledReadLeavesTheListing: a Read whose context ends while it
// waits for a page returns the context's error at once, and the Reads
// that waited with it are still served.
func TestCanceledReadLeavesTheListing(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ns := newFakeNamespace(1000, false)
		b := Packages(ns)
		mustRead(t, ns.walk(t, b, firstNames(DirectReads), nil, false))
		type result struct {
			name string
			err  error
		}
		results := make(chan result, 3)
		read := func(ctx context.Context, n string) {
			go func() {
				_, _, err := b.Read(ctx, ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: n}, 0)
				results <- result{n, err}
			}()
			synctest.Wait()
		}
		ctx, cancel := context.WithCancel(t.Context())
		read(t.Context(), name(50)) // fetches page 1
		read(ctx, name(950))
		read(t.Context(), name(960))
		cancel()
		synctest.Wait()
		if r := <-results; r.name != name(950) || !errors.Is(r.err, context.Canceled) {
			t.Fatalf("first Read to return: %s, %v; want %s, context canceled", r.name, r.err, name(950))
		}
		for ns.land() {
			synctest.Wait()
		}
		for range 2 {
			if r := <-results; r.err != nil {
				t.Errorf("%s: %v", r.name, r.err)
			}
		}
	})
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
	for seed := range uint64(5) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				ns := newFakeNamespace(10000, false)
				b := Packages(ns)
				rng := rand.New(rand.NewPCG(seed, seed))
				seen := map[string]Seen{}
				var names []string
				for i := range 10 {
					n := name(i * 1000)
					names = append(names, n)
					seen[n] = Seen(rng.IntN(10000) + 1)
				}
				mustRead(t, ns.walk(t, b, shuffled(names, seed), seen, false))
				gets, pages := count(ns.requests())
				t.Logf("%d direct GETs and %d listing pages", gets, pages)
				if bound := 10 * (ClaimGrowth + 1); gets+pages > bound {
					t.Errorf("%d direct GETs and %d listing pages for 10 resources, want at most %d requests", gets, pages, bound)
				}
			})
		})
	}
}

// TestSeenSettles: a stack created in one apply keeps the Seen its creates
// gave, refresh after refresh: a change of private state rewrites the
// state file. A stack that grew a few resources per apply, whose Seen do
// not say it is dense, gets one that does at its next refresh, and then
// keeps it.
func TestSeenSettles(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ns := newFakeNamespace(1000, false)
		b := Packages(ns)
		seed := uint64(9)
		refresh := func(names []string, seen map[string]Seen) (changed, requests int) {
			before, sent := maps.Clone(seen), len(ns.requests())
			seed++
			mustRead(t, ns.walk(t, b, shuffled(names, seed), seen, false))
			restart(b)
			for k, v := range seen {
				if v < before[k] {
					t.Errorf("%s: Seen went down from %d to %d", k, before[k], v)
				}
				if v != before[k] {
					changed++
				}
			}
			return changed, len(ns.requests()) - sent
		}

		created := createdTogether(b, firstNames(500), 9)
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
		if _, requests = refresh(firstNames(1000), grown); requests != 13 {
			t.Errorf("next refresh of the grown stack sent %d requests, want ceil(1000/100)+3", requests)
		}
		for i := range 2 {
			if n, _ = refresh(firstNames(1000), grown); n != 0 {
				t.Errorf("refresh %d of the grown stack after it settled changed %d Seen, want none", i+3, n)
			}
		}
	})
}
