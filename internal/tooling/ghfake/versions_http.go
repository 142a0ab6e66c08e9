package ghfake

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// versionDocs holds the documentation_url anchors of each scope's version
// operations.
var versionDocs = map[scope]struct{ get, restore, delete, list string }{
	scopeUsers: {
		"rest/packages/packages#get-a-package-version-for-a-user",
		"rest/packages/packages#restore-package-version-for-a-user",
		"rest/packages/packages#delete-package-version-for-a-user",
		"rest/packages/packages#list-package-versions-for-a-package-owned-by-a-user",
	},
	scopeOrgs: {
		"rest/packages/packages#get-a-package-version-for-an-organization",
		"rest/packages/packages#restore-package-version-for-an-organization",
		"rest/packages/packages#delete-package-version-for-an-organization",
		"rest/packages/packages#list-package-versions-for-a-package-owned-by-an-organization",
	},
	scopeUser: {
		"rest/packages/packages#get-a-package-version-for-the-authenticated-user",
		"rest/packages/packages#restore-a-package-version-for-the-authenticated-user",
		"rest/packages/packages#delete-a-package-version-for-the-authenticated-user",
		"rest/packages/packages#list-package-versions-for-a-package-owned-by-the-authenticated-user",
	},
}

// serveVersions answers the routes under {package}/versions, once the
// caller is authenticated. Every one answers 404 when the package is
// deleted or unknown. The post-restore lag of a package does not apply to
// them.
func (s *Server) serveVersions(w http.ResponseWriter, r *http.Request, rt route, scopes []string) {
	switch {
	case rt.versionID == 0 && r.Method == http.MethodGet:
		s.requireScope(w, scopes, "read:packages", "list packages", func() { s.listVersions(w, r, rt) })
	case rt.versionID != 0 && rt.restore && r.Method == http.MethodPost:
		s.requireScope(w, scopes, "write:packages", "restore packages", func() { s.restoreVersion(w, rt) })
	case rt.versionID != 0 && !rt.restore && r.Method == http.MethodGet:
		s.requireScope(w, scopes, "read:packages", "read packages", func() { s.getVersion(w, rt) })
	case rt.versionID != 0 && !rt.restore && r.Method == http.MethodDelete:
		s.requireScope(w, scopes, "delete:packages", "delete packages", func() { s.deleteVersion(w, rt) })
	default:
		writeError(w, http.StatusNotFound, "Not Found", "rest")
	}
}

func (s *Server) getVersion(w http.ResponseWriter, rt route) {
	s.store.mu.Lock()
	var pkg Package
	var found *Version
	if p := s.store.findActive(rt.key()); p != nil {
		pkg = *p
		if v := s.store.version(p, rt.versionID); v != nil && v.active() {
			found = v
			if s.store.hiddenVersions[v.ID] > 0 {
				s.store.hiddenVersions[v.ID]--
				found = nil
			}
		}
	}
	var out Version
	if found != nil {
		out = found.clone()
	}
	s.store.mu.Unlock()
	if found == nil {
		writeError(w, http.StatusNotFound, "Package not found.", versionDocs[rt.scope].get)
		return
	}
	writeJSON(w, http.StatusOK, renderVersion(pkg, out))
}

func (s *Server) deleteVersion(w http.ResponseWriter, rt route) {
	s.store.mu.Lock()
	deleted := false
	if p := s.store.findActive(rt.key()); p != nil {
		if v := s.store.version(p, rt.versionID); v != nil && v.active() {
			v.DeletedAt, deleted = s.store.now(), true
		}
	}
	s.store.mu.Unlock()
	if !deleted {
		writeError(w, http.StatusNotFound, "Package not found.", versionDocs[rt.scope].delete)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// restoreVersion restores a version of an active package deleted at most
// RestoreWindow ago whose name no active version has taken since; any other
// case answers 404, as GitHub's restore documents no other error.
func (s *Server) restoreVersion(w http.ResponseWriter, rt route) {
	s.mu.Lock()
	lag := s.lag
	s.mu.Unlock()
	s.store.mu.Lock()
	restored := false
	if p := s.store.findActive(rt.key()); p != nil {
		if v := s.store.version(p, rt.versionID); v != nil && s.store.restorable(p, v) {
			v.DeletedAt, restored = time.Time{}, true
			if lag > 0 {
				s.store.hiddenVersions[v.ID] = lag
			} else {
				delete(s.store.hiddenVersions, v.ID)
			}
		}
	}
	s.store.mu.Unlock()
	if !restored {
		writeError(w, http.StatusNotFound, "Package not found.", versionDocs[rt.scope].restore)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listVersions lists a package's versions. Under /orgs and /user it reads
// state (active by default, or deleted), per_page (default 30, at most
// 100; below 1, 30) and page (below 1, 1), and links the pages as the
// package listing does. Under /users/{username} GitHub documents no
// parameters: it lists every active version, on one page, without Link.
func (s *Server) listVersions(w http.ResponseWriter, r *http.Request, rt route) {
	doc := versionDocs[rt.scope].list
	q := r.URL.Query()
	paged := rt.scope != scopeUsers
	deleted := false
	if paged {
		switch q.Get("state") {
		case "", "active":
		case "deleted":
			deleted = true
		default:
			writeError(w, http.StatusBadRequest, `state must be "active" or "deleted"`, doc)
			return
		}
	}
	s.store.mu.Lock()
	var pkg Package
	var all []Version
	p := s.store.findActive(rt.key())
	if p != nil {
		pkg, all = *p, s.store.listVersions(p, deleted)
	}
	s.store.mu.Unlock()
	if p == nil {
		writeError(w, http.StatusNotFound, "Package not found.", doc)
		return
	}
	page, perPage := 1, len(all)
	if paged {
		page, perPage = max(intParam(q, "page", 1), 1), min(intParam(q, "per_page", 30), 100)
		if perPage < 1 {
			perPage = 30
		}
		last := max(1, (len(all)+perPage-1)/perPage)
		if link := linkHeader(r, page, last); link != "" {
			w.Header().Set("Link", link)
		}
	}
	body := []map[string]any{}
	for i := (page - 1) * perPage; i < min(page*perPage, len(all)); i++ {
		body = append(body, renderVersion(pkg, all[i]))
	}
	writeJSON(w, http.StatusOK, body)
}

// renderVersion is the package-version schema of a version of p, with the
// URLs of p's scope (an organisation's or a user's; /user shows a user's).
// GitHub's schema names the docker tags "tag" but requires "tags" (a bug of
// the description), so a docker version carries both, to satisfy the
// contract and the clients that read "tag".
func renderVersion(p Package, v Version) map[string]any {
	pkgAPI, pkgHTML := packageURLs(p)
	namespace := "users"
	if p.Org {
		namespace = "orgs"
	}
	tags := slices.Clone(v.Tags)
	if tags == nil {
		tags = []string{}
	}
	metadata := map[string]any{"package_type": p.Type}
	switch p.Type {
	case "container":
		metadata["container"] = map[string]any{"tags": tags}
	case "docker":
		metadata["docker"] = map[string]any{"tag": tags, "tags": tags}
	}
	out := map[string]any{
		"id":               v.ID,
		"name":             v.Name,
		"url":              fmt.Sprintf("%s/versions/%d", pkgAPI, v.ID),
		"package_html_url": pkgHTML,
		"html_url": fmt.Sprintf("%s/%s/%s/packages/%s/%s/%d", webHost, namespace, p.Owner, p.Type,
			url.PathEscape(p.Name), v.ID),
		"created_at": v.CreatedAt.UTC().Format(time.RFC3339),
		"updated_at": v.UpdatedAt.UTC().Format(time.RFC3339),
		"metadata":   metadata,
	}
	if !v.active() {
		out["deleted_at"] = v.DeletedAt.UTC().Format(time.RFC3339)
	}
	return out
}
