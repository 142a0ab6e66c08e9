package ghapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// nextPage is the page after current in a listing, or 0 when current is the
// last. It follows Link rel="next" only (proxies and some GitHub Enterprise
// Server versions send no rel="last"); a short page, a missing or unreadable
// link, or a link that does not move forward ends the listing, so a
// misbehaving server cannot loop it.
func nextPage(h http.Header, current, items, pageSize int) int {
	if items < pageSize {
		return 0
	}
	for _, value := range h.Values("Link") {
		for _, link := range strings.Split(value, ",") {
			target, params, ok := strings.Cut(strings.TrimSpace(link), ";")
			if !ok || !hasRel(params, "next") {
				continue
			}
			u, err := url.Parse(strings.Trim(strings.TrimSpace(target), "<>"))
			if err != nil {
				return 0
			}
			next, err := strconv.Atoi(u.Query().Get("page"))
			if err != nil || next <= current {
				return 0
			}
			return next
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
