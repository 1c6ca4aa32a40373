package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"huiliu/channels/phone"
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
		History:           chatHistory{svc: a.svc, csat: a.csat},
		Surveys:           chatSurveys{a},
		Files:             chatFiles{svc: a.svc},
		Conversations:     chatConversations{svc: a.svc},
		CheckAgent:        a.chatCheckAgent,
		Verifier:          chatVerifier{otp: a.otp},
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
		Greeting: site.Greeting, HoursNote: site.HoursNote, PreviousSecret: []byte(site.PreviousSecret), PreviousUntil: site.PreviousUntil}, nil
}

// chatHistory gives the widget the customer's view of a ticket
// (desk.Service.CustomerTimeline holds the rule) in the widget's terms.
type chatHistory struct {
	svc *desk.Service
	// csat gives a survey message its token for the rating card; nil: none.
	csat *desk.CSAT
}

func (h chatHistory) ActiveTicket(ctx context.Context, siteKey, visitorID string) (string, error) {
	return h.svc.ConversationTicket(ctx, desk.IdentityWebchat, visitorID, webchat.ChannelName, siteKey)
}

func (h chatHistory) Messages(ctx context.Context, ticketID string, after int64, limit int) ([]webchat.Message, error) {
	list, err := h.svc.CustomerTimeline(ctx, ticketID, after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]webchat.Message, len(list))
	for i, m := range list {
		v := webchat.Message{ID: m.ID, TicketID: m.TicketID, Seq: m.Seq, Text: m.Text, At: m.At, Kind: m.Kind}
		switch m.From {
		case desk.AuthorContact:
			v.From, v.ClientMsgID = "customer", webchat.ClientMsgID(m.ExternalID)
		case desk.AuthorAgent:
			v.From, v.AgentName, v.EmployeeNo = "agent", m.AuthorName, m.EmployeeNo
		default:
			// The bot and the system's automated messages: the widget
			// labels both as automated, under their recorded name.
			v.From, v.AgentName = "bot", m.AuthorName
		}
		for _, f := range m.Files {
			v.Files = append(v.Files, chatFile(f))
		}
		if m.Kind == desk.MessageKindSurvey && h.csat != nil {
			if v.Survey, _, err = h.csat.SurveyLink(ctx, m.ID); err != nil {
				return nil, err
			}
		}
		out[i] = v
	}
	return out, nil
}

func chatFile(a desk.Attachment) webchat.File {
	return webchat.File{ID: a.ID, Name: a.Name, MIME: a.MIME, Size: a.Size}
}

// chatConversations gives the widget a ticket's state and takes callback
// requests, reading the number as the phone channel does.
type chatConversations struct{ svc *desk.Service }

func (c chatConversations) State(ctx context.Context, ticketID string) (webchat.State, error) {
	st, err := c.svc.ChatState(ctx, ticketID)
	if err != nil {
		return webchat.State{}, err
	}
	return webchat.State{Status: string(st.Status), Queue: st.Queue, Open: st.Open, NextOpen: st.NextOpen}, nil
}

func (c chatConversations) Callback(ctx context.Context, ticketID, name, number string) error {
	e164, err := phone.Normalize(number, phone.DefaultRegion)
	if err != nil {
		return fmt.Errorf("callback number: %w", webchat.ErrBadCallback)
	}
	err = c.svc.ChatCallback(ctx, ticketID, name, e164)
	if de := (*desk.Error)(nil); errors.As(err, &de) && de.Code == desk.CodeInvalid {
		return fmt.Errorf("%w: %w", webchat.ErrBadCallback, err)
	}
	return err
}

// chatFiles gives the widget the bytes of a file its visitor may download
// (desk.Service.CustomerFile holds the rule).
type chatFiles struct{ svc *desk.Service }

func (f chatFiles) File(ctx context.Context, ticketID, fileID string) (webchat.File, []byte, error) {
	a, err := f.svc.CustomerFile(ctx, ticketID, fileID)
	if errors.Is(err, desk.ErrNotFound) {
		return webchat.File{}, nil, fmt.Errorf("%w: %w", webchat.ErrNoFile, err)
	}
	if err != nil {
		return webchat.File{}, nil, err
	}
	return chatFile(a), a.Data, nil
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

// eventNotice turns a desk event into a notice. The event's data (the
// whole ticket and message) stays undecoded: connections read what they
// show through the customer's view.
func eventNotice(data []byte) (webchat.Notice, bool) {
	var ev desk.Event
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

// chatCheckAgent is the desk's employee number check for the widget,
// counted per client address with the public page's checks; a number too
// long to be one answers "not current" like any unknown number.
func (a *app) chatCheckAgent(ctx context.Context, no, addr, ticketID string) (webchat.AgentAnswer, error) {
	ans, err := a.svc.CheckEmployeeNoIn(ctx, no, addr, ticketID)
	var de *desk.Error
	switch {
	case errors.As(err, &de) && de.Code == desk.CodeRateLimited:
		return webchat.AgentAnswer{Wait: max(de.RetryAfter, time.Second)}, nil
	case errors.As(err, &de) && de.Code == desk.CodeInvalid:
		return webchat.AgentAnswer{}, nil
	case err != nil:
		return webchat.AgentAnswer{}, err
	}
	return webchat.AgentAnswer{Current: ans.Current, Handling: ans.Handling}, nil
}
