package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"huiliu/channels/webchat"
	"huiliu/desk"
	"huiliu/queue"
)

// webchatPaths are the widget's routes on the desk's listener.
var webchatPaths = []string{"/widget.js", "/webchat/ws", "/webchat/config", "/webchat/try", "/webchat/file"}

// newWebchat builds the website chat over the desk: sites and history from
// SQL, notices from the event bus, messages into desk.Ingest.
func (a *app) newWebchat() *webchat.Server {
	return webchat.New(webchat.Options{
		Sites:             chatSites{db: a.db},
		Sink:              a.svc,
		History:           &chatHistory{db: a.db},
		Files:             chatFiles{db: a.db},
		Feed:              chatFeed{bus: a.queue.Bus(), svc: a.svc},
		Limiter:           a.queue.Limiter(),
		LocalLimiter:      a.local.Limiter(),
		Logger:            a.log.With("channel", "webchat"),
		MessagesPerMinute: a.cfg.WebchatMessagesPerMinute,

		NewVisitorsPerAddress: a.cfg.WebchatNewVisitorsPerAddress,
		NewTicketsPerAddress:  a.cfg.WebchatNewTicketsPerAddress,
		NewTicketsPerSite:     a.cfg.WebchatNewTicketsPerSite,
		MaxIngests:            a.cfg.WebchatMaxIngests,
		TrustProxy:            a.cfg.TrustProxy,
	})
}

// chatSites reads the sites admins configured.
type chatSites struct{ db desk.Reader }

func (s chatSites) SiteByKey(ctx context.Context, key string) (webchat.Site, error) {
	site, err := s.db.SiteByKey(ctx, key)
	if errors.Is(err, desk.ErrNotFound) {
		return webchat.Site{}, fmt.Errorf("site %q: %w", key, webchat.ErrUnknownSite)
	}
	if err != nil {
		return webchat.Site{}, err
	}
	return webchat.Site{ID: site.ID, Key: site.Key, Name: site.Name, Secret: []byte(site.Secret), Origins: site.Origins,
		Greeting: site.Greeting, HoursNote: site.HoursNote}, nil
}

// chatHistory gives the widget what the customer may see of a ticket:
// their messages and the replies, never notes or system entries.
type chatHistory struct {
	db desk.Reader
	// agents caches names and employee numbers for reply bylines; an
	// unknown author reloads it.
	mu     sync.Mutex
	agents map[string]desk.Agent
}

func (h *chatHistory) ActiveTicket(ctx context.Context, siteKey, visitorID string) (string, error) {
	ident, err := h.db.IdentityByValue(ctx, desk.IdentityWebchat, visitorID)
	if errors.Is(err, desk.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	t, err := h.db.ActiveTicket(ctx, ident.ContactID, "webchat", siteKey)
	if errors.Is(err, desk.ErrNotFound) {
		return "", nil
	}
	return t.ID, err
}

func (h *chatHistory) Messages(ctx context.Context, ticketID string, after int64, limit int) ([]webchat.Message, error) {
	var out []webchat.Message
	// Notes and system entries take seqs too: read on until a page holds
	// enough visible messages or the timeline ends, so a short answer
	// always means "caught up".
	for {
		raw, err := h.db.MessagesAfterSeq(ctx, ticketID, after, limit)
		if err != nil {
			return nil, err
		}
		var files map[string][]webchat.File
		for _, m := range raw {
			after = m.Seq
			v, ok := h.visible(ctx, m)
			if !ok {
				continue
			}
			if v.From != "customer" {
				// Only replies can carry files; read the ticket's list once
				// per page that has one.
				if files == nil {
					if files, err = h.files(ctx, ticketID); err != nil {
						return nil, err
					}
				}
				v.Files = files[m.ID]
			}
			out = append(out, v)
		}
		if len(raw) < limit || len(out) >= limit {
			return out, nil
		}
	}
}

// files lists a ticket's attachments by message.
func (h *chatHistory) files(ctx context.Context, ticketID string) (map[string][]webchat.File, error) {
	list, err := h.db.Attachments(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	out := map[string][]webchat.File{}
	for _, a := range list {
		out[a.MessageID] = append(out[a.MessageID], webchat.File{ID: a.ID, Name: a.Name, MIME: a.MIME, Size: a.Size})
	}
	return out, nil
}

// chatFiles gives the widget the bytes of a file of the visitor's ticket;
// a file of any other ticket is ErrNoFile, whatever link was forged.
type chatFiles struct{ db desk.Reader }

func (f chatFiles) File(ctx context.Context, ticketID, fileID string) (webchat.File, []byte, error) {
	a, err := f.db.Attachment(ctx, fileID)
	if errors.Is(err, desk.ErrNotFound) {
		return webchat.File{}, nil, webchat.ErrNoFile
	}
	if err != nil {
		return webchat.File{}, nil, err
	}
	m, err := f.db.Message(ctx, a.MessageID)
	if err != nil {
		return webchat.File{}, nil, err
	}
	if m.TicketID != ticketID || m.Direction != desk.DirOut {
		// Notes' files and the customer's own uploads stay on the desk.
		return webchat.File{}, nil, webchat.ErrNoFile
	}
	return webchat.File{ID: a.ID, Name: a.Name, MIME: a.MIME, Size: a.Size}, a.Data, nil
}

func (h *chatHistory) visible(ctx context.Context, m desk.Message) (webchat.Message, bool) {
	v := webchat.Message{ID: m.ID, TicketID: m.TicketID, Seq: m.Seq, Text: m.Text, At: m.CreatedAt}
	switch {
	case m.Direction == desk.DirIn:
		v.From = "customer"
		// The widget's external ids are "<visitor>:<client_msg_id>".
		if _, id, ok := strings.Cut(m.ExternalID, ":"); ok {
			v.ClientMsgID = id
		}
	case m.Direction == desk.DirOut && m.AuthorKind == desk.AuthorBot:
		v.From = "bot"
	case m.Direction == desk.DirOut:
		v.From = "agent"
		if a, ok := h.agent(ctx, m.AuthorID); ok {
			v.AgentName, v.EmployeeNo = a.Name, a.EmployeeNo
		}
	default:
		return webchat.Message{}, false
	}
	return v, true
}

func (h *chatHistory) agent(ctx context.Context, id string) (desk.Agent, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if a, ok := h.agents[id]; ok {
		return a, true
	}
	list, err := h.db.Agents(ctx)
	if err != nil {
		return desk.Agent{}, false
	}
	h.agents = make(map[string]desk.Agent, len(list))
	for _, a := range list {
		h.agents[a.ID] = a
	}
	a, ok := h.agents[id]
	return a, ok
}

// chatFeed turns the desk's events and agents' typing into notices for the
// chat server of this node.
type chatFeed struct {
	bus queue.Bus
	svc *desk.Service
}

func (f chatFeed) Notices(ctx context.Context) (<-chan webchat.Notice, error) {
	ctx, cancel := context.WithCancel(ctx)
	events, err := f.bus.Subscribe(ctx, desk.StreamDesk, queue.Live)
	if err != nil {
		cancel()
		return nil, err
	}
	typing, err := f.bus.Subscribe(ctx, desk.StreamTyping, queue.Live)
	if err != nil {
		cancel()
		return nil, err
	}
	out := make(chan webchat.Notice, 256)
	go func() {
		defer cancel()
		defer close(out)
		for {
			var n webchat.Notice
			select {
			case <-ctx.Done():
				return
			case e, ok := <-events:
				if !ok || e.Reset {
					return // lost events: closing makes the server re-pull everyone
				}
				var keep bool
				if n, keep = eventNotice(e.Data); !keep {
					continue
				}
			case e, ok := <-typing:
				if !ok {
					return
				}
				var t desk.Typing
				if json.Unmarshal(e.Data, &t) != nil || t.Who != desk.TypingAgent {
					continue
				}
				n = webchat.Notice{TicketID: t.TicketID, Typing: true, AgentName: t.Name}
			}
			select {
			case out <- n:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// eventNotice turns a desk event into a notice. Only top-level fields are
// decoded; the event's data (the whole ticket and message) is scanned past,
// never decoded: connections read what they show from SQL.
func eventNotice(data []byte) (webchat.Notice, bool) {
	var ev struct {
		Type       string `json:"type"`
		TicketID   string `json:"ticket_id"`
		MessageID  string `json:"message_id"`
		MessageSeq int64  `json:"message_seq"`
	}
	if json.Unmarshal(data, &ev) != nil || ev.TicketID == "" {
		return webchat.Notice{}, false
	}
	if ev.Type == desk.EventMessageUpdated {
		// A delivery state changed; the customer sees nothing new.
		return webchat.Notice{}, false
	}
	n := webchat.Notice{TicketID: ev.TicketID}
	if ev.MessageID != "" && ev.MessageSeq > 0 {
		n.MessageID, n.Seq = ev.MessageID, ev.MessageSeq
	}
	return n, true
}

func (f chatFeed) CustomerTyping(ctx context.Context, ticketID string) error {
	f.svc.PublishTyping(ctx, desk.Typing{TicketID: ticketID, Who: desk.TypingCustomer})
	return nil
}
