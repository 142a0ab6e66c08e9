// Package refresh serves a Terraform refresh's Reads from the pages of the
// listing that holds their objects (a namespace's packages, a package's
// versions) instead of a GET each.
//
// A refresh sends at most one request per Read plus one page. The first
// DirectReads Reads of a listing send a GET; later a page is fetched only
// while the Reads that arrived pay for it, each missing Read keeping one
// request for its GET. An object not in the complete listing gets a GET.
// Pages come in waves: page 1 alone, then, once its Link names the last
// page, up to ghapi.MaxPageFetches at a time; without it, one at a time.
// Seen: a create's place among its listing's creates, kept in private
// state. When the seen say the stack holds as many objects as the listing
// has pages (dense), the listing fetches its pages whatever the order of
// the Reads, up to ClaimGrowth per Read: a stack of N costs ceil(N/100)+3.
// The same Reads and pages, in the same order, send the same requests.
package refresh

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// DirectReads is how many Reads of a namespace use a direct GET before the
// listing is used.
const DirectReads = 3

// ClaimGrowth is how many pages of a dense listing each Read that arrived
// may fetch: a stack that shrank pays at most this many pages per Read.
const ClaimGrowth = ghapi.MaxPageFetches

// Seen is a lower bound of how many objects of its listing a stack holds:
// how many an apply had created, or a refresh had read, when it created or
// read one. 0 is unknown.
type Seen int

// SeenKey is the private-state key under which resources keep their Seen.
const SeenKey = "refresh_seen"

// TTL is how long a listing outlives its last Read: it serves one refresh
// walk, however long, and not a later walk after a pause.
const TTL = 2 * time.Minute

// Source is what a Batcher reads from: a direct GET of one object, and the
// pages of the listing that holds it.
type Source[R, V any] struct {
	// Get reads one object directly.
	Get func(ctx context.Context, ref R) (V, error)
	// ListPage fetches one page of the listing that holds ref and where it
	// sits among the others.
	ListPage func(ctx context.Context, ref R, page int) ([]V, ghapi.Page, error)
	// Listing names the listing that holds ref; Key names ref within it,
	// and KeyOf a listed object.
	Listing func(ref R) string
	Key     func(ref R) string
	KeyOf   func(v V) string
}

// Batcher serves Reads; it is safe for concurrent use.
type Batcher[R, V any] struct {
	src Source[R, V]
	now func() time.Time

	mu       sync.Mutex
	listings map[string]*listing[V]
}

// NewBatcher returns a Batcher over src.
func NewBatcher[R, V any](src Source[R, V]) *Batcher[R, V] {
	return &Batcher[R, V]{src: src, now: time.Now, listings: map[string]*listing[V]{}}
}

// Client is the part of ghapi.Client a refresh needs.
type Client interface {
	GetPackage(ctx context.Context, ref ghapi.PackageRef) (*ghapi.Package, error)
	ListPackagesPage(ctx context.Context, ns ghapi.Namespace, visibility string, page int) ([]*ghapi.Package, ghapi.Page, error)
	GetVersion(ctx context.Context, ref ghapi.VersionRef) (*ghapi.PackageVersion, error)
	ListVersionsPage(ctx context.Context, pkg ghapi.PackageRef, state string, page int) ([]*ghapi.PackageVersion, ghapi.Page, error)
}

// Packages batches package Reads by namespace: scope, owner (GitHub logins
// are case-insensitive, so lower-cased) and type.
func Packages(client Client) *Batcher[ghapi.PackageRef, *ghapi.Package] {
	return NewBatcher(Source[ghapi.PackageRef, *ghapi.Package]{
		Get: client.GetPackage,
		ListPage: func(ctx context.Context, ref ghapi.PackageRef, page int) ([]*ghapi.Package, ghapi.Page, error) {
			return client.ListPackagesPage(ctx, ref.Namespace(), "", page)
		},
		Listing: func(ref ghapi.PackageRef) string { return namespaceKey(ref) },
		Key:     func(ref ghapi.PackageRef) string { return ref.Name },
		KeyOf:   func(p *ghapi.Package) string { return p.Name },
	})
}

// Versions batches version Reads by package, through the listing of its
// active versions.
func Versions(client Client) *Batcher[ghapi.VersionRef, *ghapi.PackageVersion] {
	return NewBatcher(Source[ghapi.VersionRef, *ghapi.PackageVersion]{
		Get: client.GetVersion,
		ListPage: func(ctx context.Context, ref ghapi.VersionRef, page int) ([]*ghapi.PackageVersion, ghapi.Page, error) {
			return client.ListVersionsPage(ctx, ref.Package, ghapi.VersionsActive, page)
		},
		Listing: func(ref ghapi.VersionRef) string { return namespaceKey(ref.Package) + "/" + ref.Package.Name },
		Key:     func(ref ghapi.VersionRef) string { return strconv.FormatInt(ref.ID, 10) },
		KeyOf:   func(v *ghapi.PackageVersion) string { return strconv.FormatInt(v.ID, 10) },
	})
}

func namespaceKey(ref ghapi.PackageRef) string {
	return fmt.Sprintf("%d/%s/%s", ref.Scope, strings.ToLower(ref.Owner), ref.Type)
}

// listing is one listing, as far as fetched.
type listing[V any] struct {
	used time.Time // the last Read's arrival; guarded by Batcher.mu

	mu       sync.Mutex
	reads    int            // Reads that arrived
	seen     int            // the largest Seen the Reads that arrived brought
	created  int            // objects created
	tickets  int            // Reads that waited on the listing
	waiting  map[int]string // the keys of the Reads waiting on the listing, by ticket (their order of arrival)
	gets     int            // direct GETs sent
	pages    int            // pages sent or in flight
	next     int            // the page to fetch next
	last     int            // the last page, as page 1's Link named it or a page ended the listing; 0: unknown
	paged    bool           // page 1 has arrived
	waves    bool           // page 1's Link named the last page: pages may go several at a time
	inFlight int            // pages in flight
	ahead    bool           // a Read missed the pages fetched: fetch the next ones ahead of the Reads
	items    map[string]V
	arrived  chan struct{} // closed, and replaced, when a page arrives
	failed   bool          // a page failed: direct GETs from now on
}

// mayFetch reports whether the listing, with pages pages sent, may start
// one more: while the Reads that arrived pay for it, each missing Read
// keeping one request for its GET; or, when dense, up to ClaimGrowth pages
// per Read.
func (l *listing[V]) mayFetch(pages, missing int) bool {
	return l.gets+pages+missing <= l.reads || l.dense() && pages < l.reads*ClaimGrowth
}

// dense reports whether the seen say the stack holds at least as many
// objects of the listing as it has pages; before page 1, whether they fill
// more than a page.
func (l *listing[V]) dense() bool {
	if l.last == 0 {
		return !l.paged && l.seen > ghapi.ListPageSize
	}
	return l.seen >= l.last
}

// ended reports whether no page is left to fetch.
func (l *listing[V]) ended() bool { return l.last > 0 && l.next > l.last }

// Read returns the object, or an error for which ghapi.IsNotFound is true
// when it is not visible, and the Seen to keep. last is the Seen kept so
// far (0: none). A new Seen is returned when there is none yet, or when
// the listing is dense while no Read's seen says so; otherwise last stays,
// so private state settles and a Seen never goes down.
func (b *Batcher[R, V]) Read(ctx context.Context, ref R, last Seen) (V, Seen, error) {
	l := b.listing(ref)
	v, err := b.read(ctx, l, ref, last)
	l.mu.Lock()
	reads, seen, lastPage := l.reads, l.seen, l.last
	l.mu.Unlock()
	if last == 0 || lastPage > 0 && seen < lastPage && reads >= lastPage {
		return v, Seen(max(reads, seen)), err
	}
	return v, last, err
}

// Created counts an object created and returns its Seen.
func (b *Batcher[R, V]) Created(ref R) Seen {
	l := b.listing(ref)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.created++
	return Seen(l.created)
}

// read serves a Read: with a direct GET while it is one of the first
// DirectReads, else from the listing's pages, or with a direct GET when
// they cannot serve it.
func (b *Batcher[R, V]) read(ctx context.Context, l *listing[V], ref R, last Seen) (V, error) {
	key := b.src.Key(ref)
	ticket := l.arrive(key, last)
	if ticket == 0 {
		return b.src.Get(ctx, ref)
	}
	for {
		s := b.decide(l, ticket, key)
		b.fetchPages(ctx, l, ref, s.pages)
		switch {
		case s.found:
			return s.v, nil
		case s.get:
			if s.unlisted {
				tflog.Debug(ctx, "not in the listing; confirming with a direct GET", map[string]any{"key": key})
			}
			return b.src.Get(ctx, ref)
		case len(s.pages) > 0:
			continue
		}
		select {
		case <-s.arrived:
		case <-ctx.Done():
			l.mu.Lock()
			delete(l.waiting, ticket)
			l.wake() // this Read may have been the one to fetch the next wave
			l.mu.Unlock()
			var zero V
			return zero, ctx.Err()
		}
	}
}

// arrive counts a Read and returns its ticket among the Reads that wait on
// the listing, or 0 for one of the first DirectReads, which send a direct
// GET.
func (l *listing[V]) arrive(key string, last Seen) (ticket int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reads++
	l.seen = max(l.seen, int(last))
	if l.reads <= DirectReads {
		l.gets++
		return 0
	}
	l.tickets++
	l.waiting[l.tickets] = key
	return l.tickets
}

// step is what a waiting Read does next.
type step[V any] struct {
	v        V
	found    bool          // a page brought the object, v
	get      bool          // send a direct GET
	unlisted bool          // the complete listing does not hold the object
	pages    []int         // fetch these pages, then decide again
	arrived  chan struct{} // else wait for a page to arrive
}

// decide takes a waiting Read's next step, the same whichever Read the
// scheduler runs first: a Read a page has served keeps no GET, and the next
// wave is fetched by the missing Read that has waited longest, or, when
// none misses, by the Read that has.
func (b *Batcher[R, V]) decide(l *listing[V], ticket int, key string) step[V] {
	l.mu.Lock()
	defer l.mu.Unlock()
	first, firstMissing, missing := l.queue()
	if v, ok := l.items[key]; ok {
		delete(l.waiting, ticket)
		s := step[V]{v: v, found: true}
		if missing == 0 && ticket == first {
			s.pages = l.take(l.wave(0))
		}
		return s
	}
	if l.failed || l.ended() && l.inFlight == 0 {
		delete(l.waiting, ticket)
		l.gets++
		return step[V]{get: true, unlisted: !l.failed}
	}
	l.ahead = l.ahead || l.waves
	pages := l.wave(missing)
	switch {
	case len(pages) == 0 && l.inFlight == 0: // the budget is spent
		delete(l.waiting, ticket)
		l.gets++
		return step[V]{get: true}
	case len(pages) > 0 && ticket == firstMissing:
		return step[V]{pages: l.take(pages)}
	}
	return step[V]{arrived: l.arrived}
}

// queue returns the first ticket of the Reads waiting, and of those whose
// object no page has brought, 0 for none, and how many of those miss.
func (l *listing[V]) queue() (first, firstMissing, missing int) {
	for ticket, key := range l.waiting {
		if first == 0 || ticket < first {
			first = ticket
		}
		if _, ok := l.items[key]; !ok {
			missing++
			if firstMissing == 0 || ticket < firstMissing {
				firstMissing = ticket
			}
		}
	}
	return first, firstMissing, missing
}

// wave returns the pages to start now, with missing Reads that no page has
// served; it is called with l.mu held. A wave starts once the one before
// has arrived: one page until page 1 has named the last (as many as the
// seen fill when dense), then up to ghapi.MaxPageFetches. It starts while
// a Read misses or, once one has, ahead of the Reads up to the pages the
// Reads or the seen fill plus MaxPageFetches - 1.
func (l *listing[V]) wave(missing int) []int {
	if l.inFlight > 0 || l.failed {
		return nil
	}
	size := 1
	switch {
	case l.waves:
		size = ghapi.MaxPageFetches
	case !l.paged && l.dense():
		size = min(ghapi.MaxPageFetches, pagesOf(l.seen))
	}
	var pages []int
	for page := l.next; len(pages) < size && (l.last == 0 || page <= l.last); page++ {
		sent := l.pages + len(pages)
		ahead := l.ahead && sent < pagesOf(max(l.reads, l.seen))+ghapi.MaxPageFetches-1
		if !l.mayFetch(sent, missing) || missing == 0 && !ahead {
			break
		}
		pages = append(pages, page)
	}
	return pages
}

// take counts the pages of a wave as sent, for the caller to fetch; it is
// called with l.mu held.
func (l *listing[V]) take(pages []int) []int {
	l.next += len(pages)
	l.pages += len(pages)
	l.inFlight += len(pages)
	return pages
}

// wake wakes the Reads waiting on the listing to decide again; it is
// called with l.mu held.
func (l *listing[V]) wake() {
	close(l.arrived)
	l.arrived = make(chan struct{})
}

// fetchPages fetches the pages a Read took, at the same time, and returns
// when all have arrived: no page outlives the Read that asked for it.
func (b *Batcher[R, V]) fetchPages(ctx context.Context, l *listing[V], ref R, pages []int) {
	var wg sync.WaitGroup
	for _, page := range pages {
		wg.Go(func() { b.fetchPage(ctx, l, ref, page) })
	}
	wg.Wait()
}

// fetchPage fetches one page and wakes the Reads waiting on it.
func (b *Batcher[R, V]) fetchPage(ctx context.Context, l *listing[V], ref R, page int) {
	items, p, err := b.src.ListPage(ctx, ref, page)

	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight--
	l.wake()
	if err != nil {
		tflog.Warn(ctx, "listing failed; reading one by one", map[string]any{"page": page, "error": err.Error()})
		l.failed = true
		return
	}
	for _, v := range items {
		l.items[b.src.KeyOf(v)] = v
	}
	if page == 1 {
		l.paged, l.waves = true, p.Last > 0
		l.last = earlierPage(l.last, p.Last)
	}
	if p.Next == 0 { // a short or last page, or one past the end
		l.last = earlierPage(l.last, page)
	}
	tflog.Debug(ctx, "listing page fetched", map[string]any{
		"listing": b.src.Listing(ref), "page": page, "next_page": p.Next, "last_page": l.last, "reads": l.reads, "seen_last": l.seen, "requests": l.gets + l.pages,
	})
}

// pagesOf is how many listing pages n objects fill.
func pagesOf(n int) int { return (n + ghapi.ListPageSize - 1) / ghapi.ListPageSize }

// earlierPage returns the earlier of two pages, 0 being unknown.
func earlierPage(a, b int) int {
	if a == 0 || b > 0 && b < a {
		return b
	}
	return a
}

// listing returns the listing that holds ref, starting afresh after TTL
// without a Read.
func (b *Batcher[R, V]) listing(ref R) *listing[V] {
	b.mu.Lock()
	defer b.mu.Unlock()
	key := b.src.Listing(ref)
	now := b.now()
	l, ok := b.listings[key]
	if !ok || now.Sub(l.used) > TTL {
		l = &listing[V]{next: 1, items: map[string]V{}, waiting: map[int]string{}, arrived: make(chan struct{})}
		b.listings[key] = l
	}
	l.used = now
	return l
}
