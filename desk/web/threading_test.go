package web_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"huiliu/desk"
)

func TestConversationThreadingAcrossStatuses(t *testing.T) {
	h := newHarness(t)
	first := h.inbound("m1", "cust", "我要申请分期")

	// Pending (waiting on the customer): the customer's answer reopens it.
	changeTicket(t, h, first.ID, func(tk *desk.Ticket) { tk.Status = desk.StatusPending })
	if tk := h.inbound("m2", "cust", "好的，分三期"); tk.ID != first.ID || tk.Status != desk.StatusOpen {
		t.Fatalf("answer to a pending ticket: %+v", tk)
	}
	// Resolved a moment ago: reopened, same ticket.
	changeTicket(t, h, first.ID, func(tk *desk.Ticket) { tk.Status = desk.StatusResolved })
	if tk := h.inbound("m3", "cust", "还有一个问题"); tk.ID != first.ID || tk.Status != desk.StatusOpen {
		t.Fatalf("message after resolution: %+v", tk)
	}
	// Resolved longer ago than the reopen window: closed, and a new ticket.
	changeTicket(t, h, first.ID, func(tk *desk.Ticket) {
		tk.Status = desk.StatusResolved
		tk.UpdatedAt = time.Now().Add(-desk.ReopenWindow - time.Hour)
	})
	second := h.inbound("m4", "cust", "新的问题")
	if second.ID == first.ID || second.Status != desk.StatusOpen {
		t.Fatalf("message long after resolution joined %+v", second)
	}
	if old, _ := h.db.Ticket(context.Background(), first.ID); old.Status != desk.StatusClosed {
		t.Fatalf("old ticket status = %s, want closed", old.Status)
	}
	// Closed: a reply is refused clearly; the customer's next message opens anew.
	var e apiError
	if r := h.call("POST", "/api/v1/tickets/"+first.ID+"/messages", h.admin, map[string]string{"text": "hello?"}, &e); r.StatusCode != http.StatusConflict || e.Error.Code != "conflict" {
		t.Fatalf("reply to a closed ticket: %d %+v", r.StatusCode, e)
	}
}

func TestConcurrentFirstRepliesAgreeOnTheOwner(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("m1", "cust", "hello")
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			secret := []string{h.admin, h.agent}[i%2]
			if r := h.call("POST", "/api/v1/tickets/"+tk.ID+"/messages", secret, map[string]string{"text": "我来处理"}, nil); r.StatusCode != http.StatusCreated {
				t.Errorf("reply: %d", r.StatusCode)
			}
		}()
	}
	wg.Wait()
	got, err := h.db.Ticket(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.OwnerID == "" || got.OwnerID != got.AssigneeID {
		t.Fatalf("owner %q and assignee %q: the first reply must win both", got.OwnerID, got.AssigneeID)
	}
}
