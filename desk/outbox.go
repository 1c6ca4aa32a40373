package desk

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"huiliu/channels"
)

// Sender limits.
const (
	outboxLease      = 60 * time.Second // longer than sendTimeout, so a lease never runs out mid-send
	sendTimeout      = 30 * time.Second
	outboxPoll       = time.Second
	outboxBatch      = 64
	MaxSendAttempts  = 10
	maxBackoff       = 10 * time.Minute
	senderWorkers    = 8
	senderQueueDepth = 64
)

// Sender hands outbox rows to channel adapters: at least once, in order per
// ticket, with retries and backoff, and records the outcome on the message.
type Sender struct {
	svc      *Service
	outbox   OutboxStore
	adapters map[string]channels.Adapter
}

// NewSender builds the sender for the adapters registered by channel name.
func (s *Service) NewSender(outbox OutboxStore, adapters ...channels.Adapter) *Sender {
	m := make(map[string]channels.Adapter, len(adapters))
	for _, a := range adapters {
		m[a.Name()] = a
	}
	return &Sender{svc: s, outbox: outbox, adapters: m}
}

// Run claims and sends until ctx ends. Sends in flight when ctx ends are
// finished (each within sendTimeout) before Run returns, so a graceful
// shutdown loses no send and a hard stop at worst re-sends with the same
// idempotency key.
func (snd *Sender) Run(ctx context.Context) {
	queues := make([]chan OutboxItem, senderWorkers)
	var wg sync.WaitGroup
	for i := range queues {
		queues[i] = make(chan OutboxItem, senderQueueDepth)
		wg.Add(1)
		go func(q <-chan OutboxItem) {
			defer wg.Done()
			for item := range q {
				snd.deliver(context.WithoutCancel(ctx), item)
			}
		}(queues[i])
	}
	defer func() {
		for _, q := range queues {
			close(q)
		}
		wg.Wait()
	}()
	tick := time.NewTicker(outboxPoll)
	defer tick.Stop()
	for {
		items, err := snd.outbox.ClaimOutbox(ctx, snd.svc.now(), outboxLease, outboxBatch)
		if err != nil && ctx.Err() == nil {
			snd.svc.log.Error("desk: claim outbox", "err", err)
		}
		for _, it := range items {
			// One worker per ticket keeps a conversation's replies in order.
			h := fnv.New32a()
			h.Write([]byte(it.TicketID))
			select {
			case queues[h.Sum32()%senderWorkers] <- it:
			case <-ctx.Done():
				return
			}
		}
		if len(items) == outboxBatch {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-snd.svc.wake:
		}
	}
}

func (snd *Sender) deliver(ctx context.Context, it OutboxItem) {
	log := snd.svc.log.With("outbox", it.ID, "message", it.MessageID, "channel", it.Channel)
	out, err := snd.outbound(ctx, it)
	if err == nil {
		adapter, ok := snd.adapters[it.Channel]
		if !ok {
			err = channels.Permanent(fmt.Errorf("no adapter is configured for channel %q", it.Channel))
		} else {
			sctx, cancel := context.WithTimeout(ctx, sendTimeout)
			_, err = adapter.Send(sctx, out)
			cancel()
		}
	}
	now := snd.svc.now()
	var state Delivery
	var reason string
	switch {
	case err == nil:
		state = DeliverySent
	case errors.Is(err, channels.ErrPermanent) || errors.Is(err, ErrNotFound) || it.Attempts >= MaxSendAttempts:
		state, reason = DeliveryFailed, err.Error()
	default:
		next := now.Add(backoff(it.Attempts))
		var ra *channels.RetryAfterError
		if errors.As(err, &ra) {
			next = now.Add(ra.After)
		}
		log.Warn("desk: send failed, will retry", "attempt", it.Attempts, "next", next, "err", err)
		if rerr := snd.outbox.RetryOutbox(ctx, it.ID, next, err.Error()); rerr != nil {
			log.Error("desk: schedule retry", "err", rerr)
		}
		return
	}
	if ferr := snd.outbox.FinishOutbox(ctx, it.ID, it.MessageID, state, reason); ferr != nil {
		log.Error("desk: finish outbox", "err", ferr)
		return
	}
	if state == DeliveryFailed {
		log.Warn("desk: message not delivered", "reason", reason)
	}
	if t, terr := snd.svc.store.Ticket(ctx, it.TicketID); terr == nil {
		ev := ticketEvent(EventMessageUpdated, t, map[string]string{"delivery": string(state), "delivery_error": reason})
		ev.MessageID = it.MessageID
		snd.svc.publish(ctx, ev)
	}
}

// outbound assembles the envelope: the message, and the identity the
// ticket's conversation is with.
func (snd *Sender) outbound(ctx context.Context, it OutboxItem) (channels.Outbound, error) {
	st := snd.svc.store
	m, err := st.Message(ctx, it.MessageID)
	if err != nil {
		return channels.Outbound{}, fmt.Errorf("message %s: %w", it.MessageID, err)
	}
	t, err := st.Ticket(ctx, it.TicketID)
	if err != nil {
		return channels.Outbound{}, fmt.Errorf("ticket %s: %w", it.TicketID, err)
	}
	ident, err := st.Identity(ctx, t.IdentityID)
	if err != nil {
		return channels.Outbound{}, fmt.Errorf("identity %s: %w", t.IdentityID, err)
	}
	files, err := messageFiles(ctx, st, t.ID, m.ID)
	if err != nil {
		return channels.Outbound{}, err
	}
	var signer Agent
	if m.AuthorKind == AuthorAgent && m.AuthorID != "" {
		if signer, err = st.Agent(ctx, m.AuthorID); err != nil {
			return channels.Outbound{}, fmt.Errorf("author %s of message %s: %w", m.AuthorID, m.ID, err)
		}
	}
	out := channels.Outbound{
		MessageID:       m.ID,
		TicketID:        t.ID,
		Channel:         it.Channel,
		ThreadKey:       t.ThreadKey,
		To:              channels.Party{Kind: ident.Kind, Value: ident.Value},
		Text:            m.Text,
		IdempotencyKey:  it.IdempotencyKey,
		Attempt:         it.Attempts,
		RequestContact:  m.Kind == MessageKindVerifyRequest,
		Attachments:     files,
		Subject:         t.Subject,
		AgentName:       signer.Name,
		AgentEmployeeNo: signer.EmployeeNo,
		HTML:            m.HTML,
		Automatic:       m.AuthorKind == AuthorBot || m.AuthorKind == AuthorSystem,
	}
	if m.AuthorKind == AuthorBot {
		out.BotName = m.AuthorName
	}
	if m.Kind == MessageKindSurvey && snd.svc.csat != nil {
		token, url, err := snd.svc.csat.SurveyLink(ctx, m.ID)
		if err != nil {
			return channels.Outbound{}, err
		}
		out.Survey = &channels.SurveyRequest{Token: token, URL: url}
		out.Text += "\n" + url
	}
	if ident.Kind == IdentityEmail {
		if err := snd.threadMail(ctx, t, m, &out); err != nil {
			return channels.Outbound{}, err
		}
	}
	return out, nil
}

// messageFiles loads the files of one message with their bytes.
func messageFiles(ctx context.Context, st Store, ticketID, messageID string) ([]channels.Attachment, error) {
	all, err := st.Attachments(ctx, ticketID)
	if err != nil {
		return nil, fmt.Errorf("attachments of ticket %s: %w", ticketID, err)
	}
	var out []channels.Attachment
	for _, a := range all {
		if a.MessageID != messageID {
			continue
		}
		full, err := st.Attachment(ctx, a.ID)
		if err != nil {
			return nil, fmt.Errorf("attachment %s: %w", a.ID, err)
		}
		out = append(out, channels.Attachment{Name: full.Name, MIME: full.MIME, Data: full.Data})
	}
	return out, nil
}

// backoff doubles from 2 s up to maxBackoff.
func backoff(attempt int) time.Duration {
	d := 2 * time.Second
	for i := 1; i < attempt && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}
