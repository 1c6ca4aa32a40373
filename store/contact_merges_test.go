package store_test

import (
	"slices"
	"testing"
	"time"

	"huiliu/desk"
)

// The record of a merge by hand lists what the merge moved, and the undo
// is refused a second time (nothing is moved twice).
func TestRecordedMergeListsWhatMoved(t *testing.T) {
	db, ctx := open(t)
	keep, gone := newContact(t, db), newContact(t, db)
	id := desk.Identity{ID: desk.NewID(), ContactID: gone.ID, Kind: desk.IdentityEmail, Value: "a_b%@example.com", CreatedAt: t0}
	note := desk.ContactNote{ID: desk.NewID(), ContactID: gone.ID, AuthorID: "agent-1", Text: "n", CreatedAt: t0, UpdatedAt: t0}
	mustTx(t, db, func(tx desk.Tx) error {
		if err := tx.InsertIdentity(ctx, id); err != nil {
			return err
		}
		return tx.InsertContactNote(ctx, note)
	})
	newTicket(t, db, ticketFor(keep, "same"))
	closing := newTicket(t, db, ticketFor(gone, "same"))
	other := newTicket(t, db, ticketFor(gone, "other"))
	m := desk.ContactMerge{ID: desk.NewID(), FromID: gone.ID, IntoID: keep.ID, AgentID: "agent-1", CreatedAt: t0.Add(time.Hour)}
	mustTx(t, db, func(tx desk.Tx) error { return tx.MergeContactsRecorded(ctx, m) })

	got, err := db.ContactMerge(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	var moves []string
	for _, mv := range got.Moves {
		moves = append(moves, mv.Kind+":"+mv.ObjectID+":"+mv.Prior)
	}
	want := []string{"closed:" + closing.ID + ":open", "identity:" + id.ID + ":", "note:" + note.ID + ":",
		"ticket:" + closing.ID + ":", "ticket:" + other.ID + ":"}
	slices.Sort(want)
	slices.Sort(moves)
	if !slices.Equal(moves, want) || got.UndoneAt != nil {
		t.Fatalf("moves %v, want %v (%+v)", moves, want, got)
	}
	if n, _ := db.ContactNotes(ctx, keep.ID); len(n) != 1 {
		t.Fatalf("the note did not move: %+v", n)
	}

	// LIKE wildcards in a search are literal: "_b%" finds only the value
	// that holds them, and a contact merged away is not listed.
	if cs, err := db.SearchContacts(ctx, "a_b%", nil, 10); err != nil || len(cs) != 1 || cs[0].ID != keep.ID {
		t.Fatalf("search a_b%%: %v %+v", err, cs)
	}
	if cs, _ := db.SearchContacts(ctx, "ab", nil, 10); len(cs) != 0 {
		t.Fatalf("search ab found %+v", cs)
	}
	if cs, _ := db.SearchContacts(ctx, "王小明", nil, 10); len(cs) != 1 || cs[0].ID != keep.ID {
		t.Fatalf("search by name: %+v", cs)
	}
	// An agent of no team sees only unrouted tickets' contacts.
	if cs, _ := db.SearchContacts(ctx, "王小明", &desk.Visibility{AgentID: "nobody"}, 10); len(cs) != 1 {
		t.Fatalf("unrouted tickets are visible: %+v", cs)
	}

	at := t0.Add(2 * time.Hour)
	mustTx(t, db, func(tx desk.Tx) error { return tx.UndoContactMerge(ctx, got, at, "agent-1") })
	wantErr(t, db.Tx(ctx, func(tx desk.Tx) error { return tx.UndoContactMerge(ctx, got, at, "agent-1") }), desk.ErrNotFound)
	if tk, _ := db.Ticket(ctx, closing.ID); tk.ContactID != gone.ID || tk.Status != desk.StatusOpen {
		t.Fatalf("closed ticket after undo: %s %s", tk.ContactID, tk.Status)
	}
	if ms, _ := db.ContactMerges(ctx, gone.ID); len(ms) != 1 || ms[0].UndoneAt == nil || !ms[0].UndoneAt.Equal(at) || ms[0].UndoneBy != "agent-1" {
		t.Fatalf("merges after undo: %+v", ms)
	}
}
