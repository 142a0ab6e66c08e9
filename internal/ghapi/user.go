package ghapi

import (
	"context"
	"net/http"
	"sync"
)

// login caches the token's own login: it cannot change while the provider
// runs, and learning it costs a request.
type login struct {
	mu    sync.Mutex
	value string
}

// AuthenticatedLogin is the login of the token's user, from GET /user, asked
// at most once per client (a failure is not cached).
func (c *Client) AuthenticatedLogin(ctx context.Context) (string, error) {
	c.login.mu.Lock()
	defer c.login.mu.Unlock()
	if c.login.value != "" {
		return c.login.value, nil
	}
	var user struct {
		Login string `json:"login"`
	}
	if _, err := c.do(ctx, call{op: OpGetUser, method: http.MethodGet, path: "user", out: &user}); err != nil {
		return "", err
	}
	if user.Login == "" {
		return "", &Error{Kind: KindMalformed, Op: OpGetUser, StatusCode: http.StatusOK, Attempts: 1, Message: "the answer has no login"}
	}
	c.login.value = user.Login
	return user.Login, nil
}
