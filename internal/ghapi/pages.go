package ghapi

import (
	"context"
	"fmt"
	"sync"
)

// ListPageSize is the page size of every listing: GitHub's maximum.
const ListPageSize = 100

// MaxPageFetches bounds the pages of one listing fetched at the same time.
// GitHub's REST API best practices ask integrators to avoid concurrent
// bursts ("make requests serially instead of concurrently"), and secondary
// rate limits punish them; 4 pages at a time cuts the wait of a 10-page
// listing from 10 round trips to about 4 while staying far from those
// limits (and under the client's own in-flight bound, MaxInFlight).
const MaxPageFetches = 4

// MaxListPages bounds one listing in pages, and MaxListObjects in objects:
// a listing that goes on past them fails with KindListingTooLarge instead of
// following a server's next links for ever. GitHub's package listings stop
// at 10,000 results (100 pages, per_page × page ≤ 10,000), but version
// listings have no documented end, and a container package built at every
// commit can hold tens of thousands of versions. 1,000 pages (100,000
// objects) is ten times the package listing's end and several times the
// largest version listing seen, while it keeps a hostile listing to 1,000
// requests (a fifth of a token's 5,000 an hour) and 100,000 objects (tens
// of MB as GitHub answers them).
const (
	MaxListPages   = 1000
	MaxListObjects = MaxListPages * ListPageSize
)

// KindListingTooLarge is a listing that goes on past MaxListPages pages or
// MaxListObjects objects. Its Message names the limit.
const KindListingTooLarge Kind = "listing too large"

// pageFetch fetches one page of a listing.
type pageFetch[T any] func(ctx context.Context, page int) ([]T, Page, error)

// listing names a listing for its errors, and bounds it.
type listing struct {
	op  Op
	ref PackageRef
	// maxPages is MaxListPages, or less in tests.
	maxPages int
}

func namespaceListing(ns Namespace) listing {
	return listing{op: OpList, ref: PackageRef{Scope: ns.Scope, Owner: ns.Owner, Type: ns.Type}, maxPages: MaxListPages}
}

func versionsListing(pkg PackageRef) listing {
	return listing{op: OpListVersions, ref: pkg, maxPages: MaxListPages}
}

// maxObjects is MaxListObjects for a listing of MaxListPages.
func (l listing) maxObjects() int { return l.maxPages * ListPageSize }

// tooLarge is the error of a listing that goes on past its bounds.
func (l listing) tooLarge() *Error {
	return &Error{Kind: KindListingTooLarge, Op: l.op, Ref: l.ref, Message: fmt.Sprintf("the listing goes on past "+
		"%d pages or %d objects, the most ghpkg reads of one listing", l.maxPages, l.maxObjects())}
}

// allPages fetches a listing, every item in GitHub's order, within l's
// bounds. Page 1 comes first; when its Link names the last page, pages 2 to
// last (at most l.maxPages) are fetched MaxPageFetches at a time and the
// listing ends at the first short page. Without rel="last" it follows
// rel="next" one page at a time. An error on any page fails the whole
// listing (the *Error names the page), and so does a page past the bounds,
// which is never requested.
func allPages[T any](ctx context.Context, l listing, fetch pageFetch[T]) ([]T, error) {
	all, p, err := fetch(ctx, 1)
	if err != nil {
		return nil, err
	}
	pages, page := 1, p.Next
	if last := min(p.Last, l.maxPages); p.Next == 2 && last > 2 {
		var rest []T
		if rest, page, err = concurrentPages(ctx, fetch, last); err != nil {
			return nil, err
		}
		all, pages = append(all, rest...), last // no page past last was requested
	}
	for ; page != 0; pages++ { // sequential: no rel="last", or the listing grew past it
		if pages >= l.maxPages || len(all) > l.maxObjects() {
			return nil, l.tooLarge()
		}
		var items []T
		if items, p, err = fetch(ctx, page); err != nil {
			return nil, err
		}
		all, page = append(all, items...), p.Next
	}
	if len(all) > l.maxObjects() {
		return nil, l.tooLarge()
	}
	return all, nil
}

// concurrentPages fetches pages 2 to last, MaxPageFetches at a time, and
// returns their items in page order up to the first page that ends the
// listing, and the page to continue from (0 when the listing ended there).
// The first error cancels the pages in flight and is returned. The caller
// bounds last; the pages are kept as they arrive, never in a slice sized
// by it.
func concurrentPages[T any](ctx context.Context, fetch pageFetch[T], last int) ([]T, int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		items []T
		page  Page
	}
	var (
		results  = map[int]result{}
		mu       sync.Mutex
		firstErr error
		end      = last // lowered when a page ends the listing early
		slots    = make(chan struct{}, MaxPageFetches)
		wg       sync.WaitGroup
	)
	for page := 2; ; page++ {
		slots <- struct{}{} // a free slot first, so an early end is seen before the next start
		mu.Lock()
		stop := page > end || firstErr != nil
		mu.Unlock()
		if stop {
			break
		}
		wg.Go(func() {
			defer func() { <-slots }()
			items, p, err := fetch(ctx, page)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case page > end: // past an early end: not needed
			case err != nil:
				if firstErr == nil {
					firstErr = err
					cancel()
				}
			default:
				results[page] = result{items, p}
				if p.Next == 0 && page < end {
					end = page
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, 0, firstErr
	}
	var all []T
	for page := 2; page <= end; page++ {
		all = append(all, results[page].items...)
	}
	return all, results[end].page.Next, nil
}
