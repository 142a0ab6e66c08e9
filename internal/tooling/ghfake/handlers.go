package ghfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// docs holds the documentation_url anchors of each scope's operations.
var docs = map[scope]struct{ get, restore, delete, list string }{
	scopeUsers: {
		"rest/packages/packages#get-a-package-for-a-user",
		"rest/packages/packages#restore-a-package-for-a-user",
		"rest/packages/packages#delete-a-package-for-a-user",
		"rest/packages/packages#list-packages-for-a-user",
	},
	scopeOrgs: {
		"rest/packages/packages#get-a-package-for-an-organization",
		"rest/packages/packages#restore-a-package-for-an-organization",
		"rest/packages/packages#delete-a-package-for-an-organization",
		"rest/packages/packages#list-packages-for-an-organization",
	},
	scopeUser: {
		"rest/packages/packages#get-a-package-for-the-authenticated-user",
		"rest/packages/packages#restore-a-package-for-the-authenticated-user",
		"rest/packages/packages#delete-a-package-for-the-authenticated-user",
		"rest/packages/packages#list-packages-for-the-authenticated-users-namespace",
	},
}

func (s *Server) get(w http.ResponseWriter, rt route) {
	s.store.mu.Lock()
	p := s.store.visible(rt.key())
	var out Package
	if p != nil {
		out = s.store.view(p)
	}
	s.store.mu.Unlock()
	if p == nil {
		writeError(w, http.StatusNotFound, "Package not found.", docs[rt.scope].get)
		return
	}
	writeJSON(w, http.StatusOK, render(out))
}

func (s *Server) restore(w http.ResponseWriter, rt route) {
	k := rt.key()
	s.mu.Lock()
	lag := s.lag
	s.mu.Unlock()
	s.store.mu.Lock()
	restored := s.store.restore(k)
	if restored && lag > 0 {
		s.store.hiddenFor[k] = lag
	}
	s.store.mu.Unlock()
	if !restored {
		writeError(w, http.StatusNotFound, "Package not found.", docs[rt.scope].restore)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) delete(w http.ResponseWriter, rt route) {
	s.store.mu.Lock()
	deleted := s.store.delete(rt.key())
	s.store.mu.Unlock()
	if !deleted {
		writeError(w, http.StatusNotFound, "Package not found.", docs[rt.scope].delete)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// maxListWindow is GitHub's limit on per_page × page for package listings.
const maxListWindow = 10000

func (s *Server) list(w http.ResponseWriter, r *http.Request, rt route) {
	q := r.URL.Query()
	packageType := q.Get("package_type")
	if packageType == "" {
		writeError(w, http.StatusBadRequest, "package_type is required", docs[rt.scope].list)
		return
	}
	page, perPage := intParam(q, "page", 1), min(intParam(q, "per_page", 30), 100)
	if page < 1 || perPage < 1 || page*perPage > maxListWindow {
		writeError(w, http.StatusBadRequest, "per_page * page must not exceed 10000", docs[rt.scope].list)
		return
	}
	s.store.mu.Lock()
	all := s.store.list(rt.scope == scopeOrgs, rt.owner, packageType, q.Get("visibility"))
	s.store.mu.Unlock()

	last := max(1, (len(all)+perPage-1)/perPage)
	if link := linkHeader(r, page, last); link != "" {
		w.Header().Set("Link", link)
	}
	body := []map[string]any{}
	for i := (page - 1) * perPage; i < min(page*perPage, len(all)); i++ {
		body = append(body, render(all[i]))
	}
	writeJSON(w, http.StatusOK, body)
}

func intParam(q url.Values, name string, def int) int {
	v, err := strconv.Atoi(q.Get(name))
	if err != nil {
		return def
	}
	return v
}

// linkHeader builds GitHub's pagination header; absent when one page holds all.
func linkHeader(r *http.Request, page, last int) string {
	if last <= 1 {
		return ""
	}
	pageURL := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: q.Encode()}
		if r.TLS != nil {
			u.Scheme = "https"
		}
		return u.String()
	}
	var links []string
	if page > 1 {
		links = append(links, fmt.Sprintf(`<%s>; rel="prev"`, pageURL(page-1)))
	}
	if page < last {
		links = append(links, fmt.Sprintf(`<%s>; rel="next"`, pageURL(page+1)))
		links = append(links, fmt.Sprintf(`<%s>; rel="last"`, pageURL(last)))
	}
	if page > 1 {
		links = append(links, fmt.Sprintf(`<%s>; rel="first"`, pageURL(1)))
	}
	return strings.Join(links, ", ")
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// writeError answers with GitHub's basic-error body.
func writeError(w http.ResponseWriter, status int, message, docPath string) {
	writeJSON(w, status, map[string]string{
		"message":           message,
		"documentation_url": "https://docs.github.com/" + docPath,
		"status":            strconv.Itoa(status),
	})
}
