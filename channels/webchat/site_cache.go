package webchat

import (
	"bytes"
	"slices"
)

// sharedSite returns a Site equal to site that connections share: each
// lookup reads fresh strings from the record, and a copy per connection
// is a few hundred bytes on every idle one. A changed site replaces the
// shared one; connections keep the version they were accepted with, as
// they did with a copy each.
func (s *Server) sharedSite(site Site) *Site {
	s.sitesMu.Lock()
	defer s.sitesMu.Unlock()
	if cur, ok := s.sites[site.Key]; ok && sameSite(*cur, site) {
		return cur
	}
	p := &site
	if s.sites == nil {
		s.sites = map[string]*Site{}
	}
	s.sites[site.Key] = p
	return p
}

func sameSite(a, b Site) bool {
	return a.ID == b.ID && a.Key == b.Key && a.Name == b.Name && bytes.Equal(a.Secret, b.Secret) &&
		bytes.Equal(a.PreviousSecret, b.PreviousSecret) && a.PreviousUntil.Equal(b.PreviousUntil) &&
		slices.Equal(a.Origins, b.Origins) && a.Greeting == b.Greeting && a.HoursNote == b.HoursNote
}
