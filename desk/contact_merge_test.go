package desk_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
)

// mergeDesk is two customers who are one person (王芳 on Telegram with her
// phone verified, and on email with her customer number verified), one who
// proved nothing, and the agents who handle them.
type mergeDesk struct {
	svc                    *desk.Service
	db                     desk.Store
	li, han, super         desk.Agent
	tg, mail, anon         string // contact ids
	tgTicket, mailTicket   string
	tgShared, mailShared   string // both customers' tickets on one conversation
	anonTicket, collectTkt string
}

func writes(t *testing.T, svc *desk.Service, ch, ext, thread string, from channels.Party, text string, links ...channels.Party) string {
	t.Helper()
	return ingest(t, svc, channels.Inbound{Channel: ch, ExternalID: ext, ThreadKey: thread, From: from, Text: text, Links: links}).TicketID
}

func newMergeDesk(t *testing.T) mergeDesk {
	t.Helper()
	svc, db := newService(t)
	ctx := context.Background()
	d := mergeDesk{svc: svc, db: db}
	d.li = mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	d.han = mkAgent(t, svc, "han@example.com", "韩梅梅", desk.RoleAgent, "Collections")
	d.super = mkAgent(t, svc, "wang@example.com", "王强", desk.RoleSupervisor)
	tgFrom := channels.Party{Kind: desk.IdentityTelegram, Value: "4242", Name: "王芳"}
	mailFrom := channels.Party{Kind: desk.IdentityEmail, Value: "wang.fang@example.com", Name: "Wang Fang"}
	d.tgTicket = writes(t, svc, "telegram", "tg-1", "chat-4242", tgFrom, "押金什么时候退？",
		channels.Party{Kind: desk.IdentityPhone, Value: "+8613800138000", Verified: true, Method: "telegram_contact"})
	d.mailTicket = writes(t, svc, "email", "mail-1", "thread-1", mailFrom, "请问账单", channels.Party{Kind: desk.IdentityCustomerNo, Value: "C-1001", Verified: true, Method: "signed_link"})
	d.anonTicket = writes(t, svc, "webchat", "w-1", "v-1", channels.Party{Kind: desk.IdentityWebchat, Value: "visitor-1"}, "hi")
	d.tg, d.mail, d.anon = contactOf(t, db, d.tgTicket).ID, contactOf(t, db, d.mailTicket).ID, contactOf(t, db, d.anonTicket).ID
	// Both wrote on one conversation of the app too: the merge must close
	// one of the two open tickets there.
	d.tgShared = writes(t, svc, "api", "api-1", "shared", tgFrom, "app question")
	d.mailShared = writes(t, svc, "api", "api-2", "shared", mailFrom, "app again")
	// A past ticket of the Telegram person that only Collections sees.
	d.collectTkt = writes(t, svc, "telegram", "tg-2", "chat-4242-old", tgFrom, "逾期了怎么办")
	coll, err := db.TeamByName(ctx, "Collections")
	mustDo(t, err)
	_, err = svc.ChangeTicket(ctx, d.super, d.collectTkt, desk.TicketChange{TeamID: &coll.ID})
	mustDo(t, err)
	return d
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantKey(t *testing.T, err error, key string) {
	t.Helper()
	var de *desk.Error
	if !errors.As(err, &de) || de.Key != key {
		t.Fatalf("error %v, want one worded by %s", err, key)
	}
}

func ticketIDs(ts []desk.Ticket) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	slices.Sort(out)
	return out
}

func sorted(ids ...string) []string {
	slices.Sort(ids)
	return ids
}

func TestContactTicketsFollowTicketVisibility(t *testing.T) {
	d := newMergeDesk(t)
	ctx := context.Background()
	for _, c := range []struct {
		who  desk.Agent
		want []string
	}{
		{d.li, sorted(d.tgTicket, d.tgShared)},
		{d.han, sorted(d.tgTicket, d.tgShared, d.collectTkt)},
		{d.super, sorted(d.tgTicket, d.tgShared, d.collectTkt)},
	} {
		ts, err := d.svc.ContactTickets(ctx, c.who, d.tg)
		if err != nil || !slices.Equal(ticketIDs(ts), c.want) {
			t.Errorf("%s sees %v (%v), want %v", c.who.Name, ticketIDs(ts), err, c.want)
		}
	}
	// Search finds by name, by part of a number and by e-mail, masked.
	for _, q := range []string{"王芳", "13800138000", "wang.fang@"} {
		cs, err := d.svc.SearchContacts(ctx, d.li, q)
		if err != nil || len(cs) != 1 {
			t.Fatalf("search %q: %v %+v", q, err, cs)
		}
		for _, id := range cs[0].Identities {
			if strings.Contains(id.Value, "0013") || strings.Contains(id.Value, "wang.fang") {
				t.Errorf("search %q shows %s unmasked", q, id.Value)
			}
		}
	}
	_, err := d.svc.SearchContacts(ctx, d.li, "王")
	wantKey(t, err, "err.contact_query_short")
}

func TestMergeByHandNeedsProofOnBothSides(t *testing.T) {
	d := newMergeDesk(t)
	ctx := context.Background()
	for _, c := range []struct{ into, from, key string }{
		{d.tg, d.tg, "err.merge_self"},
		{d.tg, d.anon, "err.merge_unverified_other"},
		{d.anon, d.tg, "err.merge_unverified_this"},
	} {
		p, err := d.svc.PreviewMerge(ctx, d.li, c.into, c.from)
		if err != nil || p.Refusal == nil || p.Refusal.Key != c.key {
			t.Errorf("preview %s ← %s: %v %+v, want %s", c.into, c.from, err, p.Refusal, c.key)
		}
		_, err = d.svc.MergeContactsByHand(ctx, desk.AgentActor(d.li), c.into, c.from)
		wantKey(t, err, c.key)
	}
	// Two verified customer numbers that differ are two people.
	other := writes(t, d.svc, "email", "mail-9", "thread-9", channels.Party{Kind: desk.IdentityEmail, Value: "zhao@example.com"}, "hi",
		channels.Party{Kind: desk.IdentityCustomerNo, Value: "C-2002", Verified: true, Method: "signed_link"})
	_, err := d.svc.MergeContactsByHand(ctx, desk.AgentActor(d.li), d.mail, contactOf(t, d.db, other).ID)
	wantKey(t, err, "err.merge_two_customers")
	// A contact the agent cannot see is not found, whatever its proof.
	hidden := writes(t, d.svc, "email", "mail-8", "thread-8", channels.Party{Kind: desk.IdentityEmail, Value: "qian@example.com"}, "hi",
		channels.Party{Kind: desk.IdentityPhone, Value: "+8613900139000", Verified: true, Method: "sms_code"})
	coll, _ := d.db.TeamByName(ctx, "Collections")
	_, err = d.svc.ChangeTicket(ctx, d.super, hidden, desk.TicketChange{TeamID: &coll.ID})
	mustDo(t, err)
	_, err = d.svc.MergeContactsByHand(ctx, desk.AgentActor(d.li), d.tg, contactOf(t, d.db, hidden).ID)
	if !isCode(err, desk.CodeNotFound) {
		t.Fatalf("merge with a hidden contact: %v", err)
	}
	if c := contactOf(t, d.db, d.anonTicket); c.MergedInto != "" {
		t.Fatal("a refused merge merged")
	}
}

func TestMergeByHandUndoRestoresBothContacts(t *testing.T) {
	d := newMergeDesk(t)
	ctx := context.Background()
	li := desk.AgentActor(d.li)
	mailNote, err := d.svc.AddContactNote(ctx, li, d.mail, "prefers email")
	mustDo(t, err)
	before := map[string]desk.Contact{d.tg: contactOf(t, d.db, d.tgTicket), d.mail: contactOf(t, d.db, d.mailTicket)}

	m, err := d.svc.MergeContactsByHand(ctx, li, d.tg, d.mail)
	mustDo(t, err)
	kept := contactOf(t, d.db, d.tgTicket)
	if len(kept.Identities) != 4 || contactOf(t, d.db, d.mailTicket).ID != d.tg {
		t.Fatalf("after the merge: %+v", kept)
	}
	if tk, _ := d.db.Ticket(ctx, d.mailShared); tk.Status != desk.StatusClosed {
		t.Fatalf("the colliding ticket is %s, want closed", tk.Status)
	}
	// Life goes on: the customer writes again by email after that thread
	// was closed (a new ticket on the kept contact), and an agent writes a
	// note on the kept contact.
	_, err = d.svc.ChangeTicket(ctx, d.super, d.mailTicket, desk.TicketChange{Status: ptr(desk.StatusClosed)})
	mustDo(t, err)
	later := writes(t, d.svc, "email", "mail-2", "thread-1", channels.Party{Kind: desk.IdentityEmail, Value: "wang.fang@example.com"}, "还有一个问题")
	if contactOf(t, d.db, later).ID != d.tg {
		t.Fatal("the new mail did not land on the kept contact")
	}
	keptNote, err := d.svc.AddContactNote(ctx, li, d.tg, "called back")
	mustDo(t, err)

	// Another agent may not undo; the merging agent may.
	_, err = d.svc.UndoContactMerge(ctx, desk.AgentActor(d.han), m.ID)
	wantKey(t, err, "err.merge_undo_not_yours")
	if _, err := d.svc.UndoContactMerge(ctx, li, m.ID); err != nil {
		t.Fatal(err)
	}
	for id, want := range before {
		got, err := d.db.Contact(ctx, id)
		mustDo(t, err)
		if got.MergedInto != "" || !slices.Equal(identityIDs(got), identityIDs(want)) {
			t.Errorf("contact %s after undo: %+v, want identities %v", id, got, identityIDs(want))
		}
	}
	for tk, owner := range map[string]string{d.tgTicket: d.tg, d.tgShared: d.tg, d.collectTkt: d.tg,
		d.mailTicket: d.mail, d.mailShared: d.mail, later: d.mail} {
		got, err := d.db.Ticket(ctx, tk)
		mustDo(t, err)
		if got.ContactID != owner {
			t.Errorf("ticket %s is on %s after undo, want %s", tk, got.ContactID, owner)
		}
		ms, _ := d.db.Messages(ctx, tk, "", 50)
		for _, msg := range ms {
			if msg.AuthorKind == desk.AuthorContact && msg.AuthorID != owner {
				t.Errorf("message %q of ticket %s is by %s after undo, want %s", msg.Text, tk, msg.AuthorID, owner)
			}
		}
	}
	if tk, _ := d.db.Ticket(ctx, d.mailShared); tk.Status == desk.StatusClosed {
		t.Error("the ticket the merge closed stayed closed")
	}
	notesOf := func(c string) []string {
		ns, err := d.svc.ContactNotes(ctx, d.super, c)
		mustDo(t, err)
		var out []string
		for _, n := range ns {
			out = append(out, n.ID)
		}
		return out
	}
	if !slices.Equal(notesOf(d.mail), []string{mailNote.ID}) || !slices.Equal(notesOf(d.tg), []string{keptNote.ID}) {
		t.Errorf("notes after undo: mail %v, kept %v", notesOf(d.mail), notesOf(d.tg))
	}

	// Undoing twice is refused, and so is undoing a merge whose kept
	// contact was merged again since.
	_, err = d.svc.UndoContactMerge(ctx, li, m.ID)
	wantKey(t, err, "err.merge_undone_before")
	m2, err := d.svc.MergeContactsByHand(ctx, li, d.tg, d.mail)
	mustDo(t, err)
	third := writes(t, d.svc, "email", "mail-7", "thread-7", channels.Party{Kind: desk.IdentityEmail, Value: "fang.w@example.com"}, "hi",
		channels.Party{Kind: desk.IdentityPhone, Value: "+8613700137000", Verified: true, Method: "sms_code"})
	_, err = d.svc.MergeContactsByHand(ctx, desk.AgentActor(d.super), contactOf(t, d.db, third).ID, d.tg)
	mustDo(t, err)
	_, err = d.svc.UndoContactMerge(ctx, desk.AgentActor(d.super), m2.ID)
	wantKey(t, err, "err.merge_undo_merged_again")

	audit, err := d.db.AuditSearch(ctx, desk.AuditQuery{Action: "contact.merge", Limit: 50})
	mustDo(t, err)
	var acts []string
	for _, e := range audit {
		acts = append(acts, e.Action+" "+e.ActorID)
	}
	slices.Sort(acts)
	want := sorted(desk.AuditContactMerge+" "+d.li.ID, desk.AuditContactMerge+" "+d.li.ID, desk.AuditContactMerge+" "+d.super.ID, desk.AuditContactMergeUndo+" "+d.li.ID)
	if !slices.Equal(acts, want) {
		t.Errorf("audit %v, want %v", acts, want)
	}
}

func identityIDs(c desk.Contact) []string {
	var out []string
	for _, id := range c.Identities {
		out = append(out, id.ID)
	}
	slices.Sort(out)
	return out
}

func TestContactNotesAreTheirAuthors(t *testing.T) {
	d := newMergeDesk(t)
	ctx := context.Background()
	li, han := desk.AgentActor(d.li), desk.AgentActor(d.han)
	n, err := d.svc.AddContactNote(ctx, li, d.tg, "  回访请拨 13800138000，周末勿扰 ")
	mustDo(t, err)
	if n.Text != "回访请拨 138****8000，周末勿扰" || n.AuthorID != d.li.ID {
		t.Fatalf("added note %+v", n)
	}
	_, err = d.svc.AddContactNote(ctx, li, d.tg, " ")
	wantKey(t, err, "err.text_required")
	_, err = d.svc.AddContactNote(ctx, li, d.tg, strings.Repeat("字", desk.MaxContactNoteBytes))
	wantKey(t, err, "err.text_too_long")
	// The editor shows the note masked: a masked number left as it is
	// keeps the number, the rest of the edit is taken.
	e, err := d.svc.EditContactNote(ctx, li, n.ID, "回访请拨 138****8000，工作日下午")
	mustDo(t, err)
	stored, err := d.db.ContactNote(ctx, n.ID)
	mustDo(t, err)
	if stored.Text != "回访请拨 13800138000，工作日下午" || e.Text != "回访请拨 138****8000，工作日下午" {
		t.Fatalf("edited: stored %q, shown %q", stored.Text, e.Text)
	}
	// Another agent who sees the customer reads the note but may neither
	// edit nor delete it.
	ns, err := d.svc.ContactNotes(ctx, d.han, d.tg)
	if err != nil || len(ns) != 1 || strings.Contains(ns[0].Text, "0013") {
		t.Fatalf("han reads %v %+v", err, ns)
	}
	_, err = d.svc.EditContactNote(ctx, han, n.ID, "x")
	wantKey(t, err, "err.note_not_yours")
	wantKey(t, d.svc.DeleteContactNote(ctx, han, n.ID), "err.note_not_yours")
	mustDo(t, d.svc.DeleteContactNote(ctx, li, n.ID))
	if ns, _ := d.svc.ContactNotes(ctx, d.li, d.tg); len(ns) != 0 {
		t.Fatalf("deleted note still listed: %+v", ns)
	}
	audit, err := d.db.AuditSearch(ctx, desk.AuditQuery{Action: "contact.note.", Limit: 10})
	mustDo(t, err)
	var acts []string
	for _, e := range audit {
		if e.Target != "contact:"+d.tg || e.ActorID != d.li.ID {
			t.Errorf("note audited as %+v", e)
		}
		acts = append(acts, e.Action)
	}
	slices.Sort(acts)
	if want := sorted(desk.AuditContactNoteAdd, desk.AuditContactNoteEdit, desk.AuditContactNoteDelete); !slices.Equal(acts, want) {
		t.Errorf("audit %v, want %v", acts, want)
	}
	// An agent who sees none of the customer's tickets sees no notes.
	stranger := mkAgent(t, d.svc, "zhao@example.com", "赵六", desk.RoleAgent, "Legal")
	_, err = d.svc.ContactNotes(ctx, stranger, d.mail)
	if err != nil {
		t.Fatalf("the mail customer's ticket is unrouted, so visible: %v", err)
	}
	coll, _ := d.db.TeamByName(ctx, "Collections")
	for _, tk := range []string{d.mailTicket, d.mailShared} {
		_, err = d.svc.ChangeTicket(ctx, d.super, tk, desk.TicketChange{TeamID: &coll.ID})
		mustDo(t, err)
	}
	_, err = d.svc.ContactNotes(ctx, stranger, d.mail)
	if !isCode(err, desk.CodeNotFound) {
		t.Fatalf("a stranger reads notes: %v", err)
	}
}
