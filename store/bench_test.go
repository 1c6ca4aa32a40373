package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/store"
)

// BenchmarkIngest is the transaction behind every inbound message: find the
// sender's identity and open ticket, store the message, move the ticket.
func BenchmarkIngest(b *testing.B) {
	db, ctx := open(b)
	const contacts = 100
	values := seedConversations(b, db, contacts)
	convs := make([]struct{ value string }, contacts)
	for i, v := range values {
		convs[i].value = v
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := ingestOne(ctx, db, convs[i%contacts].value, i); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

// BenchmarkIngestParallel is the same transaction from 32 concurrent
// callers, as a busy desk sends them; SQLite groups them into shared commits.
func BenchmarkIngestParallel(b *testing.B) {
	db, ctx := open(b)
	values := seedConversations(b, db, 100)
	var n atomic.Int64
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			if err := ingestOne(ctx, db, values[i%len(values)], i); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
}

func ingestOne(ctx context.Context, db desk.Store, value string, i int) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		ident, err := tx.IdentityByValue(ctx, desk.IdentityTelegram, value)
		if err != nil {
			return err
		}
		tk, err := tx.ActiveTicket(ctx, ident.ContactID, "webchat", value)
		if err != nil {
			return err
		}
		now := time.Now()
		m := desk.Message{ID: desk.NewID(), TicketID: tk.ID, Direction: desk.DirIn, AuthorKind: desk.AuthorContact,
			AuthorID: ident.ContactID, Channel: desk.IdentityTelegram, ExternalID: fmt.Sprint("u", i),
			Text: "我想问一下这个月的还款日期", CreatedAt: now}
		if err := tx.InsertMessage(ctx, m); err != nil {
			return err
		}
		tk.Preview, tk.LastMessageAt, tk.UpdatedAt = m.Text, now, now
		return tx.UpdateTicket(ctx, tk)
	})
}

// seedConversations makes n contacts, each with a Telegram identity and an
// open ticket, and returns the identity values.
func seedConversations(b *testing.B, db *store.DB, n int) []string {
	ctx := context.Background()
	values := make([]string, n)
	mustTx(b, db, func(tx desk.Tx) error {
		for i := range values {
			c := desk.Contact{ID: desk.NewID(), Name: "c", CreatedAt: t0}
			id := desk.Identity{ID: desk.NewID(), ContactID: c.ID, Kind: desk.IdentityTelegram, Value: fmt.Sprint(1000 + i), CreatedAt: t0}
			tk := ticketFor(c, id.Value)
			tk.IdentityID = id.ID
			if err := tx.InsertContact(ctx, c); err != nil {
				return err
			}
			if err := tx.InsertIdentity(ctx, id); err != nil {
				return err
			}
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				return err
			}
			values[i] = id.Value
		}
		return nil
	})
	return values
}
