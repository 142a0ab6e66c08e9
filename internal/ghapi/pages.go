package ghapi

import (
	"context"
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

// pageFetch fetches one page of a listing.
type pageFetch[T any] func(ctx context.Context, page int) ([]T, Page, error)

// allPages fetches a listing, every item in GitHub's order. Page 1 comes
// first; when its Link names the last page, pages 2 to last are fetched
// MaxPageFetches at a time and the listing ends at the first short page.
// Without rel="last" it follows rel="next" one page at a time. An error on
// any page fails the whole listing (the *Error names the page).
func allPages[T any](ctx context.Context, fetch pageFetch[T]) ([]T, error) {
	all, p, err := fetch(ctx, 1)
	if err != nil {
		return nil, err
	}
	page := p.Next
	if p.Next == 2 && p.Last > 2 {
		var rest []T
		if rest, page, err = concurrentPages(ctx, fetch, p.Last); err != nil {
			return nil, err
		}
		all = append(all, rest...)
	}
	for page != 0 { // sequential: no rel="last", or the listing grew past it
		items, p, err := fetch(ctx, page)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		page = p.Next
	}
	return all, nil
}

// concurrentPages fetches pages 2 to last, MaxPageFetches at a time, and
// returns their items in page order up to the first page that ends the
// listing, and the page to continue from (0 when the listing ended there).
// The first error cancels the pages in flight and is returned.
func concurrentPages[T any](ctx context.Context, fetch pageFetch[T], last int) ([]T, int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		items []T
		page  Page
	}
	var (
		results  = make([]result, last+1)
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
