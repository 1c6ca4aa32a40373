package web_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"huiliu/desk"
)

// codeSink is the harness's desk.CodeSender: it keeps the codes.
type codeSink struct {
	mu   sync.Mutex
	sent [][2]string // to, code
}

func (c *codeSink) SendCode(_ context.Context, _, to, code, _ string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, [2]string{to, code})
	return nil
}

func (c *codeSink) last(t *testing.T) (string, string) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sent) == 0 {
		t.Fatal("no code sent")
	}
	l := c.sent[len(c.sent)-1]
	return l[0], l[1]
}

func TestVerificationPanelAPI(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("v-1", "visitor-1", "hello")
	path := "/api/v1/tickets/" + tk.ID + "/verification"

	var st desk.VerificationState
	h.call(http.MethodGet, path, h.admin, nil, &st)
	if st.Level != 0 || st.SMS != "" || st.Sent != 0 || st.Expired {
		t.Fatalf("fresh state %+v", st)
	}
	// A destination cannot be named: the field is refused.
	if r := h.call(http.MethodPost, path+"/codes", h.admin, map[string]any{"kind": "sms", "to": "13900000000"}, nil); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("a typed-in number: status %d", r.StatusCode)
	}
	// No number on record: the same answer shape, nothing sent.
	var res desk.CodeRequest
	if r := h.call(http.MethodPost, path+"/codes", h.admin, map[string]any{"kind": "sms"}, &res); r.StatusCode != 200 {
		t.Fatalf("status %d", r.StatusCode)
	}
	if !res.Sent || res.Masked != "" || len(h.codes.sent) != 0 {
		t.Fatalf("without a number: %+v, %d sent", res, len(h.codes.sent))
	}

	addPhone(t, h, tk.ID, "13812348001")
	h.call(http.MethodPost, path+"/codes", h.admin, map[string]any{"kind": "sms"}, &res)
	to, code := h.codes.last(t)
	if res.Masked != "138****8001" || to != "13812348001" {
		t.Fatalf("answer %+v, sent to %s", res, to)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if r := h.call(http.MethodPost, path+"/check", h.admin, map[string]any{"kind": "sms", "code": wrong}, nil); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("wrong code: %d", r.StatusCode)
	}
	h.call(http.MethodGet, path, h.admin, nil, &st)
	if st.SMS != "138****8001" || st.Sent != 1 || st.Wrong != 1 || st.Locked || len(st.Attempts) != 3 || st.Attempts[0].Outcome != desk.OTPNoDestination {
		t.Fatalf("after a wrong code %+v", st)
	}
	var v desk.Verification
	if r := h.call(http.MethodPost, path+"/check", h.admin, map[string]any{"kind": "sms", "code": code}, &v); r.StatusCode != 200 {
		t.Fatalf("right code: %d", r.StatusCode)
	}
	h.call(http.MethodGet, path, h.admin, nil, &st)
	if st.Level != desk.LevelOTP || st.Method != desk.MethodOTPSMS || st.ExpiresAt.IsZero() {
		t.Fatalf("verified state %+v", st)
	}
	log, err := h.db.AuditLog(context.Background(), "", 20)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); !strings.Contains(got, "ticket.otp_requested") || !strings.Contains(got, "ticket.conversation_verified") {
		t.Fatalf("audit %s", got)
	}
}

// addPhone puts a phone number on the record of ticketID's contact.
func addPhone(t *testing.T, h *harness, ticketID, phone string) {
	t.Helper()
	ctx := context.Background()
	tk, err := h.db.Ticket(ctx, ticketID)
	if err != nil {
		t.Fatal(err)
	}
	err = h.db.Tx(ctx, func(tx desk.Tx) error {
		return tx.InsertIdentity(ctx, desk.Identity{ID: desk.NewID(), ContactID: tk.ContactID, Kind: desk.IdentityPhone, Value: phone})
	})
	if err != nil {
		t.Fatal(err)
	}
}
