package ghfake

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// The emulator answers with GitHub.com's hosts whatever address it listens
// on, so recordings do not depend on a test server's port.
const (
	apiHost = "https://api.github.com"
	webHost = "https://github.com"
)

// render is the package schema of the REST API, every required field set.
// An organisation's package lives under /orgs/{org}, a user's under
// /users/{username}.
func render(p Package) map[string]any {
	api, html := packageURLs(p)
	var repository any
	if p.Repository != "" {
		repository = renderRepository(p.Owner, p.Org, p.Repository)
	}
	return map[string]any{
		"id":            p.ID,
		"name":          p.Name,
		"package_type":  p.Type,
		"url":           api,
		"html_url":      html,
		"version_count": p.VersionCount,
		"visibility":    p.Visibility,
		"owner":         renderOwner(p.Owner, p.Org),
		"repository":    repository,
		"created_at":    p.CreatedAt.UTC().Format(time.RFC3339),
		"updated_at":    p.UpdatedAt.UTC().Format(time.RFC3339),
	}
}

// packageURLs are the API URL of the package and its page on GitHub.
func packageURLs(p Package) (api, html string) {
	escaped := url.PathEscape(p.Name)
	namespace := "users"
	if p.Org {
		namespace = "orgs"
	}
	return fmt.Sprintf("%s/%s/%s/packages/%s/%s", apiHost, namespace, p.Owner, p.Type, escaped),
		fmt.Sprintf("%s/%s/%s/packages/%s/package/%s", webHost, namespace, p.Owner, p.Type, escaped)
}

// userID derives a stable id from the login.
func userID(login string) int64 {
	var id int64 = 583231
	for _, c := range strings.ToLower(login) {
		id = id*31 + int64(c)
	}
	if id < 0 {
		id = -id
	}
	return id % 100000000
}

// renderOwner is the simple-user schema of a user, or of an organisation
// when org: GitHub describes both with /users/{login} URLs and tells them
// apart by type (and by node ID). An organisation's id is derived apart from
// a user's of the same name.
func renderOwner(login string, org bool) map[string]any {
	api := apiHost + "/users/" + login
	id, nodeID, ownerType := userID(login), fmt.Sprintf("U_%d", userID(login)), "User"
	if org {
		id = userID("orgs/" + login)
		nodeID, ownerType = fmt.Sprintf("O_%d", id), "Organization"
	}
	return map[string]any{
		"login":               login,
		"id":                  id,
		"node_id":             nodeID,
		"avatar_url":          fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", id),
		"gravatar_id":         "",
		"url":                 api,
		"html_url":            webHost + "/" + login,
		"followers_url":       api + "/followers",
		"following_url":       api + "/following{/other_user}",
		"gists_url":           api + "/gists{/gist_id}",
		"starred_url":         api + "/starred{/owner}{/repo}",
		"subscriptions_url":   api + "/subscriptions",
		"organizations_url":   api + "/orgs",
		"repos_url":           api + "/repos",
		"events_url":          api + "/events{/privacy}",
		"received_events_url": api + "/received_events",
		"type":                ownerType,
		"site_admin":          false,
	}
}

// repositoryTemplates are the URL fields of a minimal repository, relative to
// the repository's API URL.
var repositoryTemplates = map[string]string{
	"archive_url": "/{archive_format}{/ref}", "assignees_url": "/assignees{/user}",
	"blobs_url": "/git/blobs{/sha}", "branches_url": "/branches{/branch}",
	"collaborators_url": "/collaborators{/collaborator}", "comments_url": "/comments{/number}",
	"commits_url": "/commits{/sha}", "compare_url": "/compare/{base}...{head}",
	"contents_url": "/contents/{+path}", "contributors_url": "/contributors",
	"deployments_url": "/deployments", "downloads_url": "/downloads", "events_url": "/events",
	"forks_url": "/forks", "git_commits_url": "/git/commits{/sha}", "git_refs_url": "/git/refs{/sha}",
	"git_tags_url": "/git/tags{/sha}", "hooks_url": "/hooks", "issue_comment_url": "/issues/comments{/number}",
	"issue_events_url": "/issues/events{/number}", "issues_url": "/issues{/number}", "keys_url": "/keys{/key_id}",
	"labels_url": "/labels{/name}", "languages_url": "/languages", "merges_url": "/merges",
	"milestones_url": "/milestones{/number}", "notifications_url": "/notifications{?since,all,participating}",
	"pulls_url": "/pulls{/number}", "releases_url": "/releases{/id}", "stargazers_url": "/stargazers",
	"statuses_url": "/statuses/{sha}", "subscribers_url": "/subscribers", "subscription_url": "/subscription",
	"tags_url": "/tags", "teams_url": "/teams", "trees_url": "/git/trees{/sha}",
}

// renderRepository is the minimal-repository schema of the repository name
// of owner (an organisation when org).
func renderRepository(owner string, org bool, name string) map[string]any {
	fullName := owner + "/" + name
	api := apiHost + "/repos/" + fullName
	repo := map[string]any{
		"id":          userID(fullName),
		"node_id":     fmt.Sprintf("R_%d", userID(fullName)),
		"name":        name,
		"full_name":   fullName,
		"owner":       renderOwner(owner, org),
		"private":     true,
		"html_url":    webHost + "/" + fullName,
		"description": nil,
		"fork":        false,
		"url":         api,
	}
	for field, suffix := range repositoryTemplates {
		repo[field] = api + suffix
	}
	return repo
}
