package webchat

import "sync"

// hub maps tickets to this node's connections, so one Feed subscription
// per node can reach every customer it concerns.
type hub struct {
	mu       sync.RWMutex
	all      map[*conn]string // connection → the ticket it is filed under
	byTicket map[string]map[*conn]struct{}
}

func newHub() *hub {
	return &hub{all: map[*conn]string{}, byTicket: map[string]map[*conn]struct{}{}}
}

// add registers c under ticket ("" for none).
func (h *hub) add(c *conn, ticket string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.all[c] = ticket
	h.link(c, ticket)
}

// move files c under another ticket; a removed c stays removed.
func (h *hub) move(c *conn, to string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	from, ok := h.all[c]
	if !ok {
		return
	}
	h.unlink(c, from)
	h.all[c] = to
	h.link(c, to)
}

func (h *hub) remove(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ticket, ok := h.all[c]; ok {
		delete(h.all, c)
		h.unlink(c, ticket)
	}
}

func (h *hub) link(c *conn, ticket string) {
	if ticket == "" {
		return
	}
	m := h.byTicket[ticket]
	if m == nil {
		m = make(map[*conn]struct{}, 1)
		h.byTicket[ticket] = m
	}
	m[c] = struct{}{}
}

func (h *hub) unlink(c *conn, ticket string) {
	if m := h.byTicket[ticket]; m != nil {
		delete(m, c)
		if len(m) == 0 {
			delete(h.byTicket, ticket)
		}
	}
}

// ticket returns a snapshot of ticket's connections; callers act on it
// outside the lock so a slow connection never holds the hub.
func (h *hub) ticket(id string) []*conn {
	h.mu.RLock()
	defer h.mu.RUnlock()
	m := h.byTicket[id]
	if len(m) == 0 {
		return nil
	}
	out := make([]*conn, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	return out
}

func (h *hub) snapshot() []*conn {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]*conn, 0, len(h.all))
	for c := range h.all {
		out = append(out, c)
	}
	return out
}

func (h *hub) count() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.all)
}
