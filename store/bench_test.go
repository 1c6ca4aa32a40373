package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"huiliu/desk"
)

// BenchmarkIngest is the transaction behind every inbound message: find the
// sender's identity and open ticket, store the message, move the ticket.
func BenchmarkIngest(b *testing.B) {
	db, ctx := open(b)
	const contacts = 100
	type conv struct {
		value string
		tk    desk.Ticket
	}
	convs := make([]conv, contacts)
	mustTx(b, db, func(tx desk.Tx) error {
		for i := range convs {
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
			convs[i] = conv{id.Value, tk}
		}
		return nil
	})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		cv := convs[i%contacts]
		err := db.Tx(ctx, func(tx desk.Tx) error {
			ident, err := tx.IdentityByValue(ctx, desk.IdentityTelegram, cv.value)
			if err != nil {
				return err
			}
			tk, err := tx.ActiveTicket(ctx, ident.ContactID, "webchat", cv.value)
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
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
	_ = context.Background()
}
