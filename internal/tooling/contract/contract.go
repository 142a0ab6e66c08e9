// Package contract checks HTTP exchanges against GitHub's OpenAPI contract of
// the package endpoints (packages.contract.json, see SOURCE.md), so that the
// emulator, recordings and the provider's requests cannot drift from GitHub.
package contract

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

//go:embed packages.contract.json
var spec []byte

// Validator checks requests and responses against the contract.
type Validator struct {
	router routers.Router
}

var (
	loadOnce sync.Once
	loaded   *Validator
	loadErr  error
)

// Load parses the embedded contract once per process.
func Load() (*Validator, error) {
	loadOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(spec)
		if err != nil {
			loadErr = fmt.Errorf("contract: %w", err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			loadErr = fmt.Errorf("contract: invalid document: %w", err)
			return
		}
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			loadErr = fmt.Errorf("contract: %w", err)
			return
		}
		loaded = &Validator{router: router}
	})
	return loaded, loadErr
}

// Check validates one exchange; the error names the operation and the field.
func (v *Validator) Check(req *http.Request, status int, header http.Header, body []byte) error {
	reqInput, err := v.CheckRequest(req)
	if err != nil {
		return err
	}
	respInput := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqInput,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
	}
	if err := openapi3filter.ValidateResponse(context.Background(), respInput); err != nil {
		return fmt.Errorf("%s: %d response violates the contract: %w", reqInput.Route.Operation.OperationID, status, err)
	}
	return nil
}

// CheckRequest validates a request alone.
func (v *Validator) CheckRequest(req *http.Request) (*openapi3filter.RequestValidationInput, error) {
	canonical := toGitHubURL(req)
	route, params, err := v.router.FindRoute(canonical)
	if err != nil {
		return nil, fmt.Errorf("%s %s: no operation in the contract: %w", req.Method, req.URL.EscapedPath(), err)
	}
	reqInput := &openapi3filter.RequestValidationInput{
		Request: canonical, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	if err := openapi3filter.ValidateRequest(context.Background(), reqInput); err != nil {
		return nil, fmt.Errorf("%s: request violates the contract: %w", route.Operation.OperationID, err)
	}
	return reqInput, nil
}

// isAuthenticatedUser reports whether the request is GET /user (with or
// without the /api/v3 prefix), an endpoint outside the packages contract
// the provider calls: it learns the token's login from it. Any other path,
// or another method on /user, still needs an operation in the contract.
func isAuthenticatedUser(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.TrimPrefix(r.URL.EscapedPath(), "/api/v3") == "/user"
}

// isAccountByName reports whether the request is GET /users/{username}
// (with or without the /api/v3 prefix), the other exchange outside the
// packages contract: after a restore answered 404, the provider asks it
// whether an owner is a user or an organisation.
func isAccountByName(r *http.Request) bool {
	segs := strings.Split(strings.TrimPrefix(strings.TrimPrefix(r.URL.EscapedPath(), "/api/v3"), "/"), "/")
	return r.Method == http.MethodGet && len(segs) == 2 && segs[0] == "users" && segs[1] != ""
}

// checkAccountByName checks what the provider reads of GET /users/{username}:
// a 200 answer is a JSON object with a login and a type.
func checkAccountByName(status int, header http.Header, body []byte) error {
	if status != http.StatusOK || header.Get(ExemptHeader) != "" {
		return nil
	}
	var account struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	}
	if err := json.Unmarshal(body, &account); err != nil || account.Login == "" || account.Type == "" {
		return fmt.Errorf("GET /users/{username}: the 200 answer is not an account with a login and a type: %s", body)
	}
	return nil
}

// checkAuthenticatedUser checks what the provider reads of GET /user: a 200
// answer (unless a test marked it ExemptHeader) is a JSON object with a
// login.
func checkAuthenticatedUser(status int, header http.Header, body []byte) error {
	if status != http.StatusOK || header.Get(ExemptHeader) != "" {
		return nil
	}
	var user struct {
		Login string `json:"login"`
	}
	if err := json.Unmarshal(body, &user); err != nil || user.Login == "" {
		return fmt.Errorf("GET /user: the 200 answer is not a user with a login: %s", body)
	}
	return nil
}

// toGitHubURL moves the request onto the contract's server, dropping the
// GitHub Enterprise Server prefix.
func toGitHubURL(req *http.Request) *http.Request {
	c := req.Clone(context.Background())
	u := *req.URL
	u.Scheme, u.Host = "https", "api.github.com"
	u.Path = strings.TrimPrefix(u.Path, "/api/v3")
	u.RawPath = strings.TrimPrefix(u.RawPath, "/api/v3")
	c.URL, c.Host = &u, u.Host
	return c
}

// ExemptHeader marks an answer a test serves off-contract on purpose (an
// HTML error page, a truncated body); Handler checks only its request.
const ExemptHeader = "X-Ghfake-Fault"

// Handler serves next and checks every exchange, reporting violations to
// report (a test's t.Errorf, typically). The answer reaches the client as is.
// GET /user and GET /users/{username} are the exchanges outside the
// contract it accepts (see isAuthenticatedUser and isAccountByName).
func (v *Validator) Handler(next http.Handler, report func(error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var err error
		switch {
		case isAuthenticatedUser(r):
			err = checkAuthenticatedUser(rec.Code, rec.Header(), rec.Body.Bytes())
		case isAccountByName(r):
			err = checkAccountByName(rec.Code, rec.Header(), rec.Body.Bytes())
		case rec.Header().Get(ExemptHeader) != "":
			_, err = v.CheckRequest(r)
		default:
			err = v.Check(r, rec.Code, rec.Header(), rec.Body.Bytes())
		}
		if err != nil {
			report(err)
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}
