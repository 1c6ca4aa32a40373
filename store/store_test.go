package store_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"huiliu/desk"
)

func TestOpenDialect(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	if d := db.Dialect(); d != "sqlite" && d != "postgres" {
		t.Fatalf("dialect %q", d)
	}
	t.Logf("dialect %s", db.Dialect())
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	// Migrating an up-to-date schema is a no-op.
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	var err error
	cases := map[string]func() error{
		"Ticket":              func() error { _, err = db.Ticket(ctx, "x"); return err },
		"ActiveTicket":        func() error { _, err = db.ActiveTicket(ctx, "c", "webchat", "t"); return err },
		"Message":             func() error { _, err = db.Message(ctx, "x"); return err },
		"MessageByExternalID": func() error { _, err = db.MessageByExternalID(ctx, "telegram", "1"); return err },
		"MessageByEmptyExtID": func() error { _, err = db.MessageByExternalID(ctx, "telegram", ""); return err },
		"Contact":             func() error { _, err = db.Contact(ctx, "x"); return err },
		"Identity":            func() error { _, err = db.Identity(ctx, "x"); return err },
		"IdentityByValue":     func() error { _, err = db.IdentityByValue(ctx, "email", "a@b"); return err },
		"Agent":               func() error { _, err = db.Agent(ctx, "x"); return err },
		"AgentByEmail":        func() error { _, err = db.AgentByEmail(ctx, "a@b"); return err },
		"Team":                func() error { _, err = db.Team(ctx, "x"); return err },
		"TeamByName":          func() error { _, err = db.TeamByName(ctx, "x"); return err },
		"TokenByHash":         func() error { _, err = db.TokenByHash(ctx, []byte{1}); return err },
		"SessionByHash":       func() error { _, err = db.SessionByHash(ctx, []byte{1}); return err },
		"Idempotency":         func() error { _, err = db.Idempotency(ctx, "s", "k"); return err },
		"UpdateTicket": func() error {
			return db.Tx(ctx, func(tx desk.Tx) error { return tx.UpdateTicket(ctx, desk.Ticket{ID: "x"}) })
		},
		"SetDelivery": func() error {
			return db.Tx(ctx, func(tx desk.Tx) error { return tx.SetDelivery(ctx, "x", desk.DeliverySent, "") })
		},
		"UpdateAgent": func() error {
			return db.Tx(ctx, func(tx desk.Tx) error { return tx.UpdateAgent(ctx, desk.Agent{ID: "x"}) })
		},
		"TouchToken": func() error {
			return db.Tx(ctx, func(tx desk.Tx) error { return tx.TouchToken(ctx, "x", t0) })
		},
		"DeleteSession": func() error {
			return db.Tx(ctx, func(tx desk.Tx) error { return tx.DeleteSession(ctx, "x") })
		},
		"FinishOutbox": func() error { return db.FinishOutbox(ctx, "x", "m", desk.DeliverySent, "") },
		"RetryOutbox":  func() error { return db.RetryOutbox(ctx, "x", t0, "boom") },
		"MissingReference": func() error {
			return db.Tx(ctx, func(tx desk.Tx) error {
				return tx.InsertMessage(ctx, desk.Message{ID: desk.NewID(), TicketID: "nope", Channel: "webchat"})
			})
		},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			err := f()
			wantErr(t, err, desk.ErrNotFound)
			if desk.CodeOf(err) != desk.CodeNotFound {
				t.Fatalf("code %s", desk.CodeOf(err))
			}
		})
	}
}

func TestContactsAndIdentities(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	c := newContact(t, db)
	verified := t0.Add(time.Hour)
	ids := []desk.Identity{
		{ID: desk.NewID(), ContactID: c.ID, Kind: desk.IdentityTelegram, Value: "42", CreatedAt: t0},
		{ID: desk.NewID(), ContactID: c.ID, Kind: desk.IdentityPhone, Value: "+8613800000000", CreatedAt: t0.Add(time.Second),
			VerifiedAt: &verified, Method: "sms", Verifier: "bot"},
	}
	mustTx(t, db, func(tx desk.Tx) error {
		for _, id := range ids {
			if err := tx.InsertIdentity(ctx, id); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := db.Contact(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.Identities = ids
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("contact\n got %+v\nwant %+v", got, c)
	}
	one, err := db.IdentityByValue(ctx, desk.IdentityPhone, "+8613800000000")
	if err != nil || !reflect.DeepEqual(one, ids[1]) {
		t.Fatalf("by value: %+v %v", one, err)
	}
	one, err = db.Identity(ctx, ids[0].ID)
	if err != nil || !reflect.DeepEqual(one, ids[0]) {
		t.Fatalf("by id: %+v %v", one, err)
	}
	// The same (kind, value) for another contact is a conflict.
	other := newContact(t, db)
	err = db.Tx(ctx, func(tx desk.Tx) error {
		return tx.InsertIdentity(ctx, desk.Identity{ID: desk.NewID(), ContactID: other.ID, Kind: desk.IdentityTelegram, Value: "42", CreatedAt: t0})
	})
	wantErr(t, err, desk.ErrConflict)
	if desk.CodeOf(err) != desk.CodeConflict {
		t.Fatalf("code %s", desk.CodeOf(err))
	}
	// A duplicate primary key is one too.
	err = db.Tx(ctx, func(tx desk.Tx) error { return tx.InsertContact(ctx, c) })
	wantErr(t, err, desk.ErrConflict)
}

// Two first messages from one new Telegram user race to create the
// identity: one wins, the other learns it lost.
func TestIdentityRace(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Tx(ctx, func(tx desk.Tx) error {
				if _, err := tx.IdentityByValue(ctx, desk.IdentityTelegram, "777"); err == nil {
					return errors.New("already there")
				}
				c := desk.Contact{ID: desk.NewID(), Name: "x", CreatedAt: t0}
				if err := tx.InsertContact(ctx, c); err != nil {
					return err
				}
				return tx.InsertIdentity(ctx, desk.Identity{ID: desk.NewID(), ContactID: c.ID, Kind: desk.IdentityTelegram, Value: "777", CreatedAt: t0})
			})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, desk.ErrConflict), err.Error() == "already there":
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d winners, want 1", won)
	}
}

func TestMessages(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	c := newContact(t, db)
	tk := newTicket(t, db, ticketFor(c, "m"))
	var want []desk.Message
	for i := range 5 {
		m := desk.Message{
			ID: desk.NewID(), TicketID: tk.ID, Direction: desk.DirOut, AuthorKind: desk.AuthorAgent, AuthorID: "a1",
			Channel: "telegram", ExternalID: "", Text: "你好 " + string(rune('a'+i)), HTML: "<p>hi</p>",
			Delivery: desk.DeliveryPending, CreatedAt: t0.Add(time.Duration(i) * time.Second),
		}
		if i == 2 {
			m.ExternalID = "ext-2"
		}
		if i == 4 {
			m.Direction, m.AuthorKind, m.Delivery = desk.DirSystem, desk.AuthorSystem, desk.DeliveryNone
			m.Event = &desk.SystemEvent{Action: "assign", Args: map[string]string{"to": "王芳"}}
		}
		mustTx(t, db, func(tx desk.Tx) error { return tx.InsertMessage(ctx, m) })
		m.Seq = int64(i + 1) // taken from the ticket on insert
		want = append(want, m)
	}
	after, err := db.MessagesAfterSeq(ctx, tk.ID, 3, 10)
	if err != nil || !reflect.DeepEqual(after, want[3:]) {
		t.Fatalf("after seq 3: %v\n got %+v\nwant %+v", err, after, want[3:])
	}
	if tk2, err := db.Ticket(ctx, tk.ID); err != nil || tk2.LastSeq != 5 {
		t.Fatalf("last seq %d, %v; want 5", tk2.LastSeq, err)
	}
	got, err := db.Messages(ctx, tk.ID, "", 0)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("messages %v\n got %+v\nwant %+v", err, got, want)
	}
	got, err = db.Messages(ctx, tk.ID, want[1].ID, 2)
	if err != nil || !reflect.DeepEqual(got, want[2:4]) {
		t.Fatalf("page: %v %+v", err, got)
	}
	if got, _ := db.Messages(ctx, "none", "", 10); got == nil || len(got) != 0 {
		t.Fatalf("empty timeline %#v", got)
	}
	m, err := db.MessageByExternalID(ctx, "telegram", "ext-2")
	if err != nil || m.ID != want[2].ID {
		t.Fatalf("by external id: %v %+v", err, m)
	}
	// A replayed external id is a conflict; empty ones never collide.
	dup := want[2]
	dup.ID = desk.NewID()
	err = db.Tx(ctx, func(tx desk.Tx) error { return tx.InsertMessage(ctx, dup) })
	wantErr(t, err, desk.ErrConflict)

	mustTx(t, db, func(tx desk.Tx) error { return tx.SetDelivery(ctx, want[0].ID, desk.DeliveryFailed, "blocked by user") })
	m, err = db.Message(ctx, want[0].ID)
	if err != nil || m.Delivery != desk.DeliveryFailed || m.DeliveryError != "blocked by user" {
		t.Fatalf("delivery: %v %+v", err, m)
	}
}

func TestAgentsAndTeams(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	teams := []desk.Team{
		{ID: desk.NewID(), Name: "催收一组", CreatedAt: t0},
		{ID: desk.NewID(), Name: "Legal", CreatedAt: t0},
	}
	a := desk.Agent{ID: desk.NewID(), Email: " Li.Na@Example.COM ", Name: "李娜", Role: desk.RoleAgent,
		EmployeeNo: "E1001", Active: true, TeamIDs: []string{teams[0].ID}, Permissions: []string{}, PasswordHash: "argon2id$x", CreatedAt: t0}
	mustTx(t, db, func(tx desk.Tx) error {
		for _, tm := range teams {
			if err := tx.InsertTeam(ctx, tm); err != nil {
				return err
			}
		}
		return tx.InsertAgent(ctx, a)
	})
	a.Email = "li.na@example.com"
	got, err := db.AgentByEmail(ctx, "LI.NA@example.com")
	if err != nil || !reflect.DeepEqual(got, a) {
		t.Fatalf("by email: %v\n got %+v\nwant %+v", err, got, a)
	}
	a.Name, a.Role, a.Active, a.PasswordHash = "李娜娜", desk.RoleSupervisor, false, "new"
	a.Permissions = []string{desk.PermPIIReveal}
	a.TeamIDs = []string{teams[0].ID, teams[1].ID}
	a.TeamIDs = sortedCopy(a.TeamIDs)
	mustTx(t, db, func(tx desk.Tx) error { return tx.UpdateAgent(ctx, a) })
	got, err = db.Agent(ctx, a.ID)
	if err != nil || !reflect.DeepEqual(got, a) {
		t.Fatalf("updated: %v\n got %+v\nwant %+v", err, got, a)
	}
	b := desk.Agent{ID: desk.NewID(), Email: "zhao@example.com", Name: "Zhao", Role: desk.RoleAdmin, EmployeeNo: "E1002", Active: true, CreatedAt: t0}
	mustTx(t, db, func(tx desk.Tx) error { return tx.InsertAgent(ctx, b) })
	b.TeamIDs, b.Permissions = []string{}, []string{}
	all, err := db.Agents(ctx)
	if err != nil || !reflect.DeepEqual(all, []desk.Agent{b, a}) { // by name: "Zhao" < "李娜娜"
		t.Fatalf("agents: %v\n%+v", err, all)
	}
	// Same email in other case, same employee number: conflicts.
	for _, dup := range []desk.Agent{
		{ID: desk.NewID(), Email: "ZHAO@example.com", Name: "x", Role: desk.RoleAgent, EmployeeNo: "E9", CreatedAt: t0},
		{ID: desk.NewID(), Email: "other@example.com", Name: "x", Role: desk.RoleAgent, EmployeeNo: "E1002", CreatedAt: t0},
	} {
		wantErr(t, db.Tx(ctx, func(tx desk.Tx) error { return tx.InsertAgent(ctx, dup) }), desk.ErrConflict)
	}
	// A team that does not exist.
	b.TeamIDs = []string{"no-such-team"}
	wantErr(t, db.Tx(ctx, func(tx desk.Tx) error { return tx.UpdateAgent(ctx, b) }), desk.ErrNotFound)

	tm, err := db.TeamByName(ctx, "催收一组")
	if err != nil || tm != teams[0] {
		t.Fatalf("team by name: %v %+v", err, tm)
	}
	tm, err = db.Team(ctx, teams[1].ID)
	if err != nil || tm != teams[1] {
		t.Fatalf("team: %v %+v", err, tm)
	}
	ts, err := db.Teams(ctx)
	if err != nil || !reflect.DeepEqual(ts, []desk.Team{teams[1], teams[0]}) {
		t.Fatalf("teams: %v %+v", err, ts)
	}
	wantErr(t, db.Tx(ctx, func(tx desk.Tx) error {
		return tx.InsertTeam(ctx, desk.Team{ID: desk.NewID(), Name: "Legal", CreatedAt: t0})
	}), desk.ErrConflict)
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestTokensAndSessions(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	a := desk.Agent{ID: desk.NewID(), Email: "a@example.com", Name: "A", Role: desk.RoleAdmin, EmployeeNo: "E1", Active: true, CreatedAt: t0}
	tok := desk.Token{ID: desk.NewID(), AgentID: a.ID, Name: "crm", Hash: []byte{0xde, 0xad, 0xbe, 0xef}, CreatedAt: t0}
	sess := desk.Session{ID: desk.NewID(), Hash: []byte("0123456789abcdef"), AgentID: a.ID, CSRF: "csrf", CreatedAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}
	mustTx(t, db, func(tx desk.Tx) error {
		if err := tx.InsertAgent(ctx, a); err != nil {
			return err
		}
		if err := tx.InsertToken(ctx, tok); err != nil {
			return err
		}
		return tx.InsertSession(ctx, sess)
	})
	got, err := db.TokenByHash(ctx, tok.Hash)
	if err != nil || !reflect.DeepEqual(got, tok) {
		t.Fatalf("token: %v\n got %+v\nwant %+v", err, got, tok)
	}
	used := t0.Add(time.Minute)
	mustTx(t, db, func(tx desk.Tx) error { return tx.TouchToken(ctx, tok.ID, used) })
	got, _ = db.TokenByHash(ctx, tok.Hash)
	if got.LastUsedAt == nil || !got.LastUsedAt.Equal(used) {
		t.Fatalf("last used %v", got.LastUsedAt)
	}
	s, err := db.SessionByHash(ctx, sess.Hash)
	if err != nil || !reflect.DeepEqual(s, sess) {
		t.Fatalf("session: %v\n got %+v\nwant %+v", err, s, sess)
	}
	dup := sess
	dup.ID = desk.NewID()
	wantErr(t, db.Tx(ctx, func(tx desk.Tx) error { return tx.InsertSession(ctx, dup) }), desk.ErrConflict)
	mustTx(t, db, func(tx desk.Tx) error { return tx.DeleteSession(ctx, sess.ID) })
	_, err = db.SessionByHash(ctx, sess.Hash)
	wantErr(t, err, desk.ErrNotFound)
}

func TestIdempotency(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	mustTx(t, db, func(tx desk.Tx) error { return tx.PutIdempotency(ctx, "telegram", "update:1", "msg-1", t0) })
	ref, err := db.Idempotency(ctx, "telegram", "update:1")
	if err != nil || ref != "msg-1" {
		t.Fatalf("ref %q %v", ref, err)
	}
	err = db.Tx(ctx, func(tx desk.Tx) error { return tx.PutIdempotency(ctx, "telegram", "update:1", "msg-2", t0) })
	wantErr(t, err, desk.ErrConflict)
	// The same key in another scope is a different key.
	mustTx(t, db, func(tx desk.Tx) error { return tx.PutIdempotency(ctx, "email", "update:1", "msg-3", t0) })
}

func TestAuditPaging(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	var ids []string
	mustTx(t, db, func(tx desk.Tx) error {
		for i := range 25 {
			e := desk.AuditEntry{ID: desk.NewID(), At: t0.Add(time.Duration(i) * time.Second), ActorKind: "agent",
				ActorID: "a1", Action: "login.ok", Target: "a1", Detail: "{}", IP: "10.0.0.1"}
			ids = append(ids, e.ID)
			if err := tx.InsertAudit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	var seen []string
	before := ""
	for {
		page, err := db.AuditLog(ctx, before, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			seen = append(seen, e.ID)
		}
		before = page[len(page)-1].ID
	}
	if len(seen) != len(ids) {
		t.Fatalf("saw %d entries, want %d", len(seen), len(ids))
	}
	for i := range seen {
		if seen[i] != ids[len(ids)-1-i] {
			t.Fatalf("entry %d out of order", i)
		}
	}
	first, _ := db.AuditLog(ctx, "", 0)
	if len(first) != 25 || first[0].Action != "login.ok" || !first[0].At.Equal(t0.Add(24*time.Second)) || first[0].IP != "10.0.0.1" {
		t.Fatalf("default page: %d %+v", len(first), first[0])
	}
}

func TestTxRollback(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	c := desk.Contact{ID: desk.NewID(), Name: "x", CreatedAt: t0}
	boom := errors.New("boom")
	err := db.Tx(ctx, func(tx desk.Tx) error {
		if err := tx.InsertContact(ctx, c); err != nil {
			return err
		}
		tk := ticketFor(c, "r")
		if err := tx.InsertTicket(ctx, &tk); err != nil {
			return err
		}
		// Reads inside the transaction see its writes.
		if _, err := tx.Contact(ctx, c.ID); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("err = %v, want the callback's own error", err)
	}
	_, err = db.Contact(ctx, c.ID)
	wantErr(t, err, desk.ErrNotFound)
	// A failed statement aborts the whole transaction too.
	c2 := desk.Contact{ID: desk.NewID(), Name: "y", CreatedAt: t0}
	err = db.Tx(ctx, func(tx desk.Tx) error {
		if err := tx.InsertContact(ctx, c2); err != nil {
			return err
		}
		return tx.InsertContact(ctx, c2)
	})
	wantErr(t, err, desk.ErrConflict)
	_, err = db.Contact(ctx, c2.ID)
	wantErr(t, err, desk.ErrNotFound)
	// A panic rolls back and goes on.
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("panic swallowed")
			}
		}()
		_ = db.Tx(ctx, func(tx desk.Tx) error {
			_ = tx.InsertContact(ctx, desk.Contact{ID: "panicked", CreatedAt: t0})
			panic("boom")
		})
	}()
	_, err = db.Contact(ctx, "panicked")
	wantErr(t, err, desk.ErrNotFound)
	// The store still works after all that.
	newContact(t, db)
	_ = context.Background()
}
