package ghfake

import (
	"net/http"
	"strings"
)

// serveAccount answers GET /users/{name}, which GitHub serves for users and
// organisations alike and tells apart by "type". The emulator knows an
// organisation by its packages, and a user by its packages or as the
// caller's login; any other name is 404, as an unknown account is.
func (s *Server) serveAccount(w http.ResponseWriter, name, callerLogin string) {
	login, org, known := s.store.account(name)
	if !known && strings.EqualFold(name, callerLogin) {
		login, known = callerLogin, true
	}
	if !known {
		writeError(w, http.StatusNotFound, "Not Found", "rest/users/users#get-a-user")
		return
	}
	writeJSON(w, http.StatusOK, renderOwner(login, org))
}

// account finds the owner name among the packages, active or deleted: its
// spelling there, and whether it is an organisation.
func (s *store) account(name string) (login string, org, known bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.packages {
		if strings.EqualFold(p.Owner, name) && (!known || p.Org) {
			login, org, known = p.Owner, p.Org, true
		}
	}
	return login, org, known
}
