package ghfake

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PageMeter wraps a handler (the emulator) for tests of paging. It holds
// each listing page request (one with a page query parameter) for Delay
// and records how many were in flight at once; with NoLast it drops
// rel="last" from Link headers, as some proxies and GitHub Enterprise
// Server versions do; FailPage, when not 0, answers that page 422.
type PageMeter struct {
	Next     http.Handler
	Delay    time.Duration
	NoLast   bool
	FailPage int

	mu             sync.Mutex
	inFlight, peak int
}

func (m *PageMeter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	page := r.URL.Query().Get("page")
	if page == "" {
		m.Next.ServeHTTP(w, r)
		return
	}
	m.mu.Lock()
	m.inFlight++
	m.peak = max(m.peak, m.inFlight)
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.inFlight--
		m.mu.Unlock()
	}()
	time.Sleep(m.Delay)
	if m.FailPage != 0 && page == strconv.Itoa(m.FailPage) {
		writeError(w, http.StatusUnprocessableEntity, "page "+page+" refused by the test", "")
		return
	}
	if m.NoLast {
		w = noLastWriter{w}
	}
	m.Next.ServeHTTP(w, r)
}

// Peak is the most page requests that were in flight at once.
func (m *PageMeter) Peak() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.peak
}

// noLastWriter drops rel="last" links before the header goes out.
type noLastWriter struct{ http.ResponseWriter }

func (w noLastWriter) WriteHeader(status int) {
	var kept []string
	for _, link := range strings.Split(w.Header().Get("Link"), ", ") {
		if link != "" && !strings.Contains(link, `rel="last"`) {
			kept = append(kept, link)
		}
	}
	w.Header().Set("Link", strings.Join(kept, ", "))
	w.ResponseWriter.WriteHeader(status)
}
