package refresh

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// fakeNamespace is a namespace of packages as ghapi reads GitHub's listing
// of it, ghapi.ListPageSize a page (TestFakeNamespacePagesAsGitHub keeps
// the two alike). Its pages arrive only when walk lands them, so a test,
// not the scheduler, decides when each page arrives and which Reads have
// arrived by then. It implements Client for packages.
type fakeNamespace struct {
	names  []string // the packages, in listing order
	noLast bool     // pages name no last page, as behind some proxies and GitHub Enterprise Server versions

	mu      sync.Mutex
	events  int              // walk's events so far: a Read started or a page arrived
	sent    []request        // requests in the order sent
	pending map[int]chan any // pages asked for and not arrived, closed to let one arrive
	peak    int              // the most pages in flight at once
}

// request is a request sent, "GET name" or "page N", and the walk's event
// it followed. The requests that follow one event are sent concurrently (a
// wave of pages, the GETs of Reads that a page did not serve), in no order.
type request struct {
	event int
	what  string
}

// newFakeNamespace returns a namespace of size packages, name(0) first.
func newFakeNamespace(size int, noLast bool) *fakeNamespace {
	return &fakeNamespace{names: firstNames(size), noLast: noLast}
}

func (ns *fakeNamespace) GetPackage(_ context.Context, ref ghapi.PackageRef) (*ghapi.Package, error) {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	ns.sent = append(ns.sent, request{ns.events, "GET " + ref.Name})
	if !slices.Contains(ns.names, ref.Name) {
		return nil, &ghapi.Error{Kind: ghapi.KindNotFound, Op: ghapi.OpGet, Ref: ref, StatusCode: 404, Message: "Package not found."}
	}
	return &ghapi.Package{Name: ref.Name, Type: ref.Type}, nil
}

// ListPackagesPage answers once walk lands the page.
func (ns *fakeNamespace) ListPackagesPage(ctx context.Context, n ghapi.Namespace, _ string, page int) ([]*ghapi.Package, ghapi.Page, error) {
	arrive := make(chan any)
	ns.mu.Lock()
	ns.sent = append(ns.sent, request{ns.events, "page " + strconv.Itoa(page)})
	if ns.pending == nil {
		ns.pending = map[int]chan any{}
	}
	ns.pending[page] = arrive
	ns.peak = max(ns.peak, len(ns.pending))
	ns.mu.Unlock()
	select {
	case <-arrive:
	case <-ctx.Done():
		return nil, ghapi.Page{}, ctx.Err()
	}
	items, p := ns.page(n, page)
	return items, p, nil
}

// page is the answer to a page: a page short of ListPageSize, the last page
// and any past it end the listing; the others name the next page and,
// unless noLast, the last.
func (ns *fakeNamespace) page(n ghapi.Namespace, page int) ([]*ghapi.Package, ghapi.Page) {
	size := ghapi.ListPageSize
	var items []*ghapi.Package
	for i := (page - 1) * size; i < min(page*size, len(ns.names)); i++ {
		items = append(items, &ghapi.Package{Name: ns.names[i], Type: n.Type})
	}
	last := max(1, (len(ns.names)+size-1)/size)
	if len(items) < size || page >= last {
		return items, ghapi.Page{}
	}
	p := ghapi.Page{Next: page + 1, Last: last}
	if ns.noLast {
		p.Last = 0
	}
	return items, p
}

func (ns *fakeNamespace) GetVersion(context.Context, ghapi.VersionRef) (*ghapi.PackageVersion, error) {
	return nil, fmt.Errorf("fakeNamespace holds packages only")
}

func (ns *fakeNamespace) ListVersionsPage(context.Context, ghapi.PackageRef, string, int) ([]*ghapi.PackageVersion, ghapi.Page, error) {
	return nil, ghapi.Page{}, fmt.Errorf("fakeNamespace holds packages only")
}

// land lets the first of the pages in flight arrive; false when none is
// on its way.
func (ns *fakeNamespace) land() bool {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	if len(ns.pending) == 0 {
		return false
	}
	page := slices.Min(slices.Collect(maps.Keys(ns.pending)))
	close(ns.pending[page])
	delete(ns.pending, page)
	return true
}

// event counts an event of the walk.
func (ns *fakeNamespace) event() {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	ns.events++
}

func (ns *fakeNamespace) inFlight() int {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	return len(ns.pending)
}

// requests returns the requests sent so far, by event, and within an
// event by name.
func (ns *fakeNamespace) requests() []request {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	return slices.SortedStableFunc(slices.Values(ns.sent), func(a, b request) int {
		return cmp.Or(cmp.Compare(a.event, b.event), cmp.Compare(a.what, b.what))
	})
}

// count splits requests into direct GETs and listing pages.
func count(requests []request) (gets, pages int) {
	for _, r := range requests {
		if strings.HasPrefix(r.what, "GET ") {
			gets++
		} else {
			pages++
		}
	}
	return gets, pages
}

// waves returns the pages sent, those sent after one event of the walk
// (a wave) together.
func waves(requests []request) string {
	var out [][]int
	event := -1
	for _, r := range requests {
		page, err := strconv.Atoi(strings.TrimPrefix(r.what, "page "))
		switch {
		case err != nil:
		case r.event == event:
			out[len(out)-1] = append(out[len(out)-1], page)
		default:
			out, event = append(out, []int{page}), r.event
		}
	}
	for _, w := range out {
		slices.Sort(w)
	}
	return fmt.Sprint(out)
}

// walk reads names as Terraform's refresh walk does, parallelism Reads at
// a time, in the order given, and returns each Read's error. It runs in a
// synctest bubble and lets the Reads settle after each event, so that the
// same names and pace always send the same requests after the same events.
// Pages arrive one at a time, the first page in flight first. Reads are
// quicker than pages (a Read answered from pages returns in microseconds;
// a page is a round trip to GitHub): every free slot starts its next Read
// before the next page arrives. With slow, the pages asked for arrive
// before the next Read starts. seen, unless nil, holds each package's Seen
// from the refresh before, as the provider keeps it in private state, and
// takes this refresh's.
func (ns *fakeNamespace) walk(t *testing.T, b *Batcher[ghapi.PackageRef, *ghapi.Package], names []string, seen map[string]Seen, slow bool) map[string]error {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel() // a failed walk lets its Reads return
	type result struct {
		name string
		seen Seen
		err  error
	}
	results := make(chan result, len(names))
	errs := map[string]error{}
	running, next, done := 0, 0, 0
	settle := func() {
		synctest.Wait()
		for {
			select {
			case r := <-results:
				running--
				done++
				errs[r.name] = r.err
				if seen != nil {
					seen[r.name] = r.seen
				}
			default:
				return
			}
		}
	}
	for done < len(names) {
		if running < parallelism && next < len(names) && (!slow || ns.inFlight() == 0) {
			n := names[next]
			last := seen[n]
			next++
			running++
			ns.event()
			go func() {
				pkg, now, err := b.Read(ctx, ghapi.PackageRef{Owner: "octocat", Type: "npm", Name: n}, last)
				if err == nil && pkg.Name != n {
					err = fmt.Errorf("read %s, got %s", n, pkg.Name)
				}
				results <- result{n, now, err}
			}()
			settle()
			continue
		}
		ns.event()
		if !ns.land() {
			t.Fatalf("%d Reads wait and no page is on its way", running)
		}
		settle()
	}
	return errs
}

// shuffled returns names in the order a seeded shuffle gives: Terraform
// reads count and for_each instances in no fixed order, and a test reads
// in the same one at every run.
func shuffled(names []string, seed uint64) []string {
	names = slices.Clone(names)
	rand.New(rand.NewPCG(seed, seed)).Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	return names
}

// TestFakeNamespacePagesAsGitHub: fakeNamespace pages a namespace as ghapi
// pages ghfake's (names, order, next and last page), with and without
// rel="last", so the tests that walk it measure what a refresh sends.
func TestFakeNamespacePagesAsGitHub(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		size   int
		noLast bool
	}{{1, false}, {150, false}, {300, false}, {300, true}, {1000, false}, {1000, true}} {
		t.Run(fmt.Sprintf("%d packages, no rel=last %v", tc.size, tc.noLast), func(t *testing.T) {
			t.Parallel()
			fake := ghfake.New()
			fake.AddToken("t", "read:packages")
			for _, n := range firstNames(tc.size) {
				fake.AddPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: n})
			}
			ts := httptest.NewServer(&ghfake.PageMeter{Next: fake, NoLast: tc.noLast})
			t.Cleanup(ts.Close)
			client, err := ghapi.New(ghapi.Config{Token: "t", BaseURL: ts.URL})
			if err != nil {
				t.Fatal(err)
			}
			ns := newFakeNamespace(tc.size, tc.noLast)
			n := ghapi.Namespace{Owner: "octocat", Type: "npm"}
			for page := 1; page <= (tc.size+ghapi.ListPageSize-1)/ghapi.ListPageSize+1; page++ {
				want, wantPage, err := client.ListPackagesPage(t.Context(), n, "", page)
				if err != nil {
					t.Fatal(err)
				}
				got, gotPage := ns.page(n, page)
				if gotPage != wantPage || !slices.Equal(namesOf(got), namesOf(want)) {
					t.Errorf("page %d: fake %v %v, GitHub through ghapi %v %v", page, gotPage, namesOf(got), wantPage, namesOf(want))
				}
			}
		})
	}
}

func namesOf(pkgs []*ghapi.Package) []string {
	var out []string
	for _, p := range pkgs {
		out = append(out, p.Name)
	}
	return out
}
