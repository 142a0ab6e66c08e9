// Package refresh serves the Reads of a Terraform refresh. Reads of many
// packages in one namespace (a user or organisation, and a package type) share one paginated
// listing instead of sending one GET each, so a plan of 500 packages costs
// a handful of requests instead of 500 of the token's 5,000 an hour.
//
// The first DirectReads Reads of a namespace use a direct GET, so small
// stacks never pay for a listing of a large namespace. Later Reads are
// served from listing pages, fetched one at a time (single-flight) and only
// while the Reads that arrived have not all been paid for: a refresh never
// costs more than one request per Read, plus at most one listing page that
// turned out not to hold the package. A package missing from the complete
// listing is confirmed with a direct GET before it is reported gone.
package refresh

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghapi"
)

// DirectReads is how many Reads of a namespace use a direct GET before the
// listing is used.
const DirectReads = 3

// TTL bounds how long a listing serves Reads: one refresh walk, not the
// apply that may follow much later in the same process.
const TTL = 2 * time.Minute

// Client is the part of ghapi.Client a refresh needs.
type Client interface {
	GetPackage(ctx context.Context, ref ghapi.PackageRef) (*ghapi.Package, error)
	ListPackagesPage(ctx context.Context, ns ghapi.Namespace, visibility string, page int) ([]*ghapi.Package, int, error)
}

// Batcher serves Reads; it is safe for concurrent use.
type Batcher struct {
	client Client
	now    func() time.Time

	mu         sync.Mutex
	namespaces map[namespaceKey]*namespace
}

// New returns a Batcher over client.
func New(client Client) *Batcher {
	return &Batcher{client: client, now: time.Now, namespaces: map[namespaceKey]*namespace{}}
}

// namespaceKey is a namespace with its owner lower-cased: GitHub logins and
// organisation names are case-insensitive.
type namespaceKey ghapi.Namespace

// namespace is the listing of one owner and package type, as far as fetched.
type namespace struct {
	started time.Time

	mu       sync.Mutex
	reads    int  // Reads that arrived
	spent    int  // requests sent for them: GETs and pages
	next     int  // the page to fetch next
	done     bool // the last page is fetched
	packages map[string]*ghapi.Package
	fetching chan struct{} // closed when the page in flight arrives
	failed   bool          // a page failed: direct GETs from now on
}

func (ns *namespace) complete() bool { return ns.done }

// Read returns the package, or an error for which ghapi.IsNotFound is true
// when it is not visible.
func (b *Batcher) Read(ctx context.Context, ref ghapi.PackageRef) (*ghapi.Package, error) {
	ns := b.namespace(ref)
	ns.mu.Lock()
	ns.reads++
	if ns.reads <= DirectReads {
		return b.get(ctx, ns, ref)
	}
	for {
		if pkg, ok := ns.packages[ref.Name]; ok {
			ns.mu.Unlock()
			return pkg, nil
		}
		switch {
		case ns.complete() || ns.failed:
			if ns.complete() {
				tflog.Debug(ctx, "package not in the namespace listing; confirming with a direct GET", map[string]any{"package": ref.String()})
			}
			return b.get(ctx, ns, ref)
		case ns.fetching != nil:
			wait := ns.fetching
			ns.mu.Unlock()
			select {
			case <-wait:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			ns.mu.Lock()
		case ns.spent < ns.reads:
			b.fetchNextPage(ctx, ns, ref)
		default:
			return b.get(ctx, ns, ref)
		}
	}
}

// get sends a direct GET; it is called with ns.mu held and releases it.
func (b *Batcher) get(ctx context.Context, ns *namespace, ref ghapi.PackageRef) (*ghapi.Package, error) {
	ns.spent++
	ns.mu.Unlock()
	return b.client.GetPackage(ctx, ref)
}

// fetchNextPage fetches one page while the others wait; it is called and
// returns with ns.mu held.
func (b *Batcher) fetchNextPage(ctx context.Context, ns *namespace, ref ghapi.PackageRef) {
	done := make(chan struct{})
	ns.fetching = done
	ns.spent++
	page := ns.next
	ns.mu.Unlock()

	pkgs, next, err := b.client.ListPackagesPage(ctx, ref.Namespace(), "", page)

	ns.mu.Lock()
	ns.fetching = nil
	close(done)
	if err != nil {
		tflog.Warn(ctx, "namespace listing failed; reading packages one by one", map[string]any{"page": page, "error": err.Error()})
		ns.failed = true
		return
	}
	for _, p := range pkgs {
		ns.packages[p.Name] = p
	}
	ns.next, ns.done = next, next == 0
	tflog.Debug(ctx, "namespace listing page fetched", map[string]any{
		"namespace": ref.Namespace().String(), "page": page, "next_page": next, "reads": ns.reads, "requests": ns.spent,
	})
}

// namespace returns the namespace of ref, starting afresh after TTL.
func (b *Batcher) namespace(ref ghapi.PackageRef) *namespace {
	b.mu.Lock()
	defer b.mu.Unlock()
	key := namespaceKey{Scope: ref.Scope, Owner: strings.ToLower(ref.Owner), Type: ref.Type}
	ns, ok := b.namespaces[key]
	if !ok || b.now().Sub(ns.started) > TTL {
		ns = &namespace{started: b.now(), next: 1, packages: map[string]*ghapi.Package{}}
		b.namespaces[key] = ns
	}
	return ns
}
