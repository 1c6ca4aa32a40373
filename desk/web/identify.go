package web

import (
	"context"
	"net/http"

	"huiliu/desk"
)

type identifyKey struct{}

// identifying lets a mounted handler ask who is calling (Identify) with the
// desk's own credentials, without every mount knowing the session cookie.
func (s *Server) identifying(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), identifyKey{}, s)))
	})
}

// Identify returns the agent behind a request to a mounted handler (session
// cookie or bearer token), and false for anonymous callers, bad
// credentials or a request the desk did not route.
func Identify(r *http.Request) (desk.Principal, bool) {
	s, ok := r.Context().Value(identifyKey{}).(*Server)
	if !ok {
		return desk.Principal{}, false
	}
	secret, _ := s.credentials(r)
	if secret == "" {
		return desk.Principal{}, false
	}
	p, err := s.svc.Authenticate(r.Context(), secret)
	return p, err == nil
}
