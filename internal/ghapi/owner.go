package ghapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// OpGetOwner looks up what kind of account an owner is.
const OpGetOwner Op = "get owner"

// OwnerScope says whether the account name is an organisation (ScopeOrg)
// or a user (ScopeUser), from GET /users/{name}, which GitHub answers for
// both with their "type". The provider asks only after a restore answered
// 404, to tell a package under the wrong kind of owner from a lost one.
func (c *Client) OwnerScope(ctx context.Context, name string) (Scope, error) {
	ref := PackageRef{Owner: name}
	if err := checkSegment("owner", name); err != nil {
		return 0, invalidRef(OpGetOwner, ref, err)
	}
	var account struct {
		Type string `json:"type"`
	}
	cl := call{op: OpGetOwner, ref: ref, method: http.MethodGet, path: "users/" + url.PathEscape(name), out: &account}
	if _, err := c.do(ctx, cl); err != nil {
		return 0, err
	}
	switch account.Type {
	case "Organization":
		return ScopeOrg, nil
	case "User":
		return ScopeUser, nil
	}
	return 0, &Error{Kind: KindMalformed, Op: OpGetOwner, Ref: ref, StatusCode: http.StatusOK, Attempts: 1,
		Message: fmt.Sprintf("the account type %q is neither User nor Organization", account.Type)}
}
