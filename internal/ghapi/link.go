package ghapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Page is where a listing page sits among the others.
type Page struct {
	// Next is the page after this one, 0 after the last.
	Next int
	// Last is the listing's last page as the Link header's rel="last"
	// names it, at most MaxListPages, 0 when it names none (the last page
	// itself, and proxies and GitHub Enterprise Server versions that send
	// only rel="next").
	Last int
}

// pageLinks reads a page's Link header. Next follows rel="next" only; a
// short page, a missing or unreadable link, or a link that does not move
// forward ends the listing, so a misbehaving server cannot loop it. Last is
// a server's number: it is cut to MaxListPages, which no listing may pass,
// so that no caller sizes anything by it, and kept only when it lies beyond
// Next.
func pageLinks(h http.Header, current, items, pageSize int) Page {
	if items < pageSize {
		return Page{}
	}
	next, last := linkPage(h, "next"), min(linkPage(h, "last"), MaxListPages)
	if next <= current {
		return Page{}
	}
	if last < next {
		last = 0
	}
	return Page{Next: next, Last: last}
}

// linkPage is the page number of the link with rel, 0 when there is none or
// it cannot be read.
func linkPage(h http.Header, rel string) int {
	for _, value := range h.Values("Link") {
		for _, link := range strings.Split(value, ",") {
			target, params, ok := strings.Cut(strings.TrimSpace(link), ";")
			if !ok || !hasRel(params, rel) {
				continue
			}
			u, err := url.Parse(strings.Trim(strings.TrimSpace(target), "<>"))
			if err != nil {
				return 0
			}
			page, err := strconv.Atoi(u.Query().Get("page"))
			if err != nil || page < 1 {
				return 0
			}
			return page
		}
	}
	return 0
}

func hasRel(params, rel string) bool {
	for _, p := range strings.Split(params, ";") {
		key, value, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(key, "rel") {
			for _, r := range strings.Fields(strings.Trim(value, `"`)) {
				if r == rel {
					return true
				}
			}
		}
	}
	return false
}
