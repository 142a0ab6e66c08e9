package ghapi

import (
	"context"
	"net/http"
	"sync"

	"golang.org/x/sync/singleflight"
)

// login caches the token's own login: it cannot change while the provider
// runs, and learning it costs a request.
type login struct {
	mu    sync.Mutex
	value string
	// once shares one GET /user among concurrent callers.
	once singleflight.Group
}

// AuthenticatedLogin is the login of the token's user, from GET /user, asked
// at most once per client (a failure is not cached). Callers asking at the
// same time share one request, and each stops waiting when its own context
// ends.
func (c *Client) AuthenticatedLogin(ctx context.Context) (string, error) {
	if value := c.login.cached(); value != "" {
		return value, nil
	}
	// The request outlives a caller that gives up: the others still wait
	// for it. It is bounded by the attempts' time bound and max_retries.
	answer := c.login.once.DoChan("login", func() (any, error) {
		return c.fetchLogin(context.WithoutCancel(ctx))
	})
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r := <-answer:
		value, _ := r.Val.(string)
		return value, r.Err
	}
}

func (l *login) cached() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.value
}

// fetchLogin asks GitHub for the token's login and caches it.
func (c *Client) fetchLogin(ctx context.Context) (string, error) {
	var user struct {
		Login string `json:"login"`
	}
	if _, err := c.do(ctx, call{op: OpGetUser, method: http.MethodGet, path: "user", out: &user}); err != nil {
		return "", err
	}
	if user.Login == "" {
		return "", &Error{Kind: KindMalformed, Op: OpGetUser, StatusCode: http.StatusOK, Attempts: 1, Message: "the answer has no login"}
	}
	c.login.mu.Lock()
	defer c.login.mu.Unlock()
	c.login.value = user.Login
	return user.Login, nil
}
