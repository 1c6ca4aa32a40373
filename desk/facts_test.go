package desk_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/store"
	"huiliu/store/storetest"
)

// sampleFacts is a customer with a loan and an overdue rental.
func sampleFacts() desk.CustomerFacts {
	return desk.CustomerFacts{CustomerNo: "C-1001", Name: "王芳", Phone: "13812348001", Email: "fang@example.com",
		IDLast4: "123X", Contracts: []desk.Contract{
			{No: "HT-2026-0001", Kind: desk.ContractLoan, Product: "消费贷", Status: "active", Principal: 5000000,
				Balance: 1234560, NextDueDate: "2026-12-05", NextDueAmount: 123450, LastPaymentDay: "2026-11-05",
				Plan: []desk.Instalment{{No: 1, DueDate: "2026-12-05", Amount: 123450, Status: "due"}}},
			{No: "ZL-2025-0042", Kind: desk.ContractRental, Product: "笔记本电脑租赁", Status: "overdue", Principal: 600000,
				Balance: 360000, OverdueAmount: 86000, OverdueDays: 12, Deposit: 200000, DepositState: "held",
				LastPaymentDay: "2026-11-03"},
		}}
}

type factsRig struct {
	svc   *desk.Service
	db    *store.DB
	clock *routeClock
	agent desk.Agent
	super desk.Agent
}

func newFactsRig(t *testing.T, o desk.Options) *factsRig {
	t.Helper()
	clock := &routeClock{t: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)}
	db := storetest.New(t)
	o.Store, o.Facts, o.Now = db, db.FactsSource(), clock.Now
	svc := desk.NewService(o)
	r := &factsRig{svc: svc, db: db, clock: clock}
	r.agent = mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent)
	r.super = mkAgent(t, svc, "boss@example.com", "主管", desk.RoleSupervisor)
	err := db.Tx(context.Background(), func(tx desk.Tx) error {
		_, err := tx.PutStoredFacts(context.Background(), sampleFacts(), clock.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// conversation opens a webchat ticket of a new visitor.
func (r *factsRig) conversation(t *testing.T, visitor string) string {
	t.Helper()
	return ingest(t, r.svc, channels.Inbound{Channel: "webchat", ExternalID: visitor, ThreadKey: visitor,
		From: channels.Party{Kind: desk.IdentityWebchat, Value: visitor}, Text: "我想查一下账单"}).TicketID
}

// verify records a proof at level on ticketID, as the code flow does.
func (r *factsRig) verify(t *testing.T, ticketID string, level int) {
	t.Helper()
	ctx := context.Background()
	tk, err := r.db.Ticket(ctx, ticketID)
	if err != nil {
		t.Fatal(err)
	}
	now := r.clock.Now()
	err = r.db.Tx(ctx, func(tx desk.Tx) error {
		return tx.PutVerification(ctx, desk.Verification{TicketID: ticketID, ContactID: tk.ContactID,
			Method: desk.MethodOTPSMS, Level: level, VerifiedAt: now, ExpiresAt: now.Add(30 * time.Minute)})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (r *factsRig) claim(t *testing.T, ticketID, no string) {
	t.Helper()
	if _, err := r.svc.ClaimCustomer(context.Background(), desk.AgentActor(r.agent), ticketID, no); err != nil {
		t.Fatal(err)
	}
}

func (r *factsRig) view(t *testing.T, ticketID string) desk.FactsView {
	t.Helper()
	v, err := r.svc.RecordFacts(context.Background(), desk.AgentActor(r.agent), ticketID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRecordFactsMaskedUntilTheLevelAndAgainAfterExpiry(t *testing.T) {
	r := newFactsRig(t, desk.Options{})
	tk := r.conversation(t, "v1")
	r.claim(t, tk, "C-1001")

	v := r.view(t, tk)
	if !v.Found || v.Source != desk.FactsFromClaim || v.CustomerNo != "C-1001" || len(v.Contracts) != 2 {
		t.Fatalf("view: %+v", v)
	}
	if v.Name.Shown || v.Name.Value != "****" || v.Phone.Value != "138****8001" || v.Contracts[0].Balance.Shown ||
		v.Contracts[0].Balance.Value != "****" || v.Contracts[0].PlanShown || v.Contracts[0].Plan != nil {
		t.Fatalf("unverified conversation shows facts: %+v", v)
	}
	if v.Contracts[0].Balance.Need != desk.LevelOTP || v.Name.Need != desk.LevelChannel {
		t.Fatalf("needs: %+v", v.Contracts[0].Balance)
	}

	r.verify(t, tk, desk.LevelChannel)
	v = r.view(t, tk)
	if !v.Name.Shown || v.Name.Value != "王芳" || v.Contracts[0].Balance.Shown || v.Contracts[1].Product.Value != "笔记本电脑租赁" {
		t.Fatalf("level 1: %+v", v)
	}

	r.verify(t, tk, desk.LevelOTP)
	v = r.view(t, tk)
	c := v.Contracts[0]
	if !c.Balance.Shown || c.Balance.Value != "¥12,345.60" || c.NextDue.Value != "2026-12-05 ¥1,234.50" ||
		!c.PlanShown || len(c.Plan) != 1 || v.Contracts[1].Overdue.Value != "¥860.00 / 12d" ||
		v.Contracts[1].Deposit.Value != "¥2,000.00 held" || c.No.Value != "HT-2026-0001" {
		t.Fatalf("level 2: %+v", v)
	}

	r.clock.Add(31 * time.Minute)
	v = r.view(t, tk)
	if v.Verification.Level != desk.LevelNone || v.Name.Shown || v.Contracts[0].Balance.Shown {
		t.Fatalf("after expiry: %+v", v)
	}
}

func TestClaimNeitherMergesNorReveals(t *testing.T) {
	r := newFactsRig(t, desk.Options{})
	ctx := context.Background()
	// The real customer's contact holds C-1001 verified.
	owner := r.conversation(t, "owner")
	err := r.db.Tx(ctx, func(tx desk.Tx) error {
		now := r.clock.Now()
		return tx.InsertIdentity(ctx, desk.Identity{ID: desk.NewID(), ContactID: contactOf(t, r.db, owner).ID,
			Kind: desk.IdentityCustomerNo, Value: "C-1001", VerifiedAt: &now, Method: "site_signature", CreatedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	tk := r.conversation(t, "stranger")
	before := contactOf(t, r.db, tk)
	r.claim(t, tk, "C-1001")
	after := contactOf(t, r.db, tk)
	if after.ID != before.ID || after.MergedInto != "" || len(after.Identities) != len(before.Identities) {
		t.Fatalf("a claim changed the contact: %+v -> %+v", before, after)
	}
	v := r.view(t, tk)
	for _, f := range []desk.FactValue{v.Name, v.Contracts[0].Balance, v.Contracts[0].No, v.Contracts[1].Overdue} {
		if f.Shown || strings.Contains(f.Value, "王") || strings.Contains(f.Value, "12,345") {
			t.Fatalf("a claim revealed %+v", f)
		}
	}
	if !strings.Contains(timeline(t, r.db, tk), "claimed customer number C-1001") {
		t.Fatalf("timeline: %s", timeline(t, r.db, tk))
	}
	// A number without a record is accepted alike: claims probe nothing.
	other := r.conversation(t, "prober")
	if _, err := r.svc.ClaimCustomer(ctx, desk.AgentActor(r.agent), other, "C-9999"); err != nil {
		t.Fatalf("claim of an unknown number: %v", err)
	}
	if v := r.view(t, other); v.Found || v.CustomerNo != "C-9999" {
		t.Fatalf("unknown number: %+v", v)
	}
	if _, err := r.svc.ClaimCustomer(ctx, desk.AgentActor(r.agent), other, "C 1001; DROP"); desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("bad number: %v", err)
	}
	log, err := r.svc.AuditLog(ctx, desk.Actor{}, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	if !hasAudit(log, "ticket.customer_claimed", tk, "customer_no=C-1001") {
		t.Fatalf("no audit of the claim: %+v", log)
	}
}

func hasAudit(log []desk.AuditEntry, action, target, detail string) bool {
	for _, e := range log {
		if e.Action == action && e.Target == target && strings.Contains(e.Detail, detail) {
			return true
		}
	}
	return false
}

func TestRecordDestinationsPreferTheContactThenTheClaimedRecord(t *testing.T) {
	r := newFactsRig(t, desk.Options{})
	ctx := context.Background()
	tk := r.conversation(t, "v1")
	d, err := r.svc.RecordDestinations(ctx, tk)
	if err != nil || d != (desk.Destinations{}) {
		t.Fatalf("no record: %+v %v", d, err)
	}
	r.claim(t, tk, "C-1001")
	d, err = r.svc.RecordDestinations(ctx, tk)
	if err != nil || d.Phone != "13812348001" || d.Email != "fang@example.com" || !d.FromClaim || d.CustomerNo != "C-1001" {
		t.Fatalf("claimed: %+v %v", d, err)
	}
	// The contact's own phone comes first and proves no customer number.
	err = r.db.Tx(ctx, func(tx desk.Tx) error {
		return tx.InsertIdentity(ctx, desk.Identity{ID: desk.NewID(), ContactID: contactOf(t, r.db, tk).ID,
			Kind: desk.IdentityPhone, Value: "13900000001", CreatedAt: r.clock.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err = r.svc.RecordDestinations(ctx, tk)
	if err != nil || d.Phone != "13900000001" || d.Email != "fang@example.com" || d.FromClaim {
		t.Fatalf("own phone: %+v %v", d, err)
	}
}

func TestConfirmClaimMakesTheNumberAVerifiedIdentity(t *testing.T) {
	r := newFactsRig(t, desk.Options{})
	ctx := context.Background()
	tk := r.conversation(t, "v1")
	if err := r.svc.ConfirmClaim(ctx, tk, desk.MethodOTPSMS); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("confirm without a claim: %v", err)
	}
	r.claim(t, tk, "C-1001")
	if err := r.svc.ConfirmClaim(ctx, tk, desk.MethodOTPSMS); err != nil {
		t.Fatal(err)
	}
	c := contactOf(t, r.db, tk)
	var got *desk.Identity
	for i, id := range c.Identities {
		if id.Kind == desk.IdentityCustomerNo {
			got = &c.Identities[i]
		}
	}
	if got == nil || got.Value != "C-1001" || got.VerifiedAt == nil || got.Method != desk.MethodOTPSMS {
		t.Fatalf("identities: %+v", c.Identities)
	}
	if v := r.view(t, tk); v.Source != desk.FactsFromIdentity {
		t.Fatalf("source: %+v", v)
	}
}

func TestVerifyByKnowledgeLevels(t *testing.T) {
	r := newFactsRig(t, desk.Options{})
	ctx := context.Background()
	agent := desk.AgentActor(r.agent)
	tk := r.conversation(t, "v1")
	if _, err := r.svc.VerifyByKnowledge(ctx, agent, tk, []string{desk.QuestionIDLast4}); desk.CodeOf(err) != desk.CodeConflict {
		t.Fatalf("no record: %v", err)
	}
	r.claim(t, tk, "C-1001")
	v := r.view(t, tk)
	if len(v.Questions) != 3 || v.Questions[0].Answers[0] != "123X" || len(v.Questions[1].Answers) != 2 {
		t.Fatalf("questions: %+v", v.Questions)
	}
	if _, err := r.svc.VerifyByKnowledge(ctx, agent, tk, nil); desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("no questions: %v", err)
	}
	if _, err := r.svc.VerifyByKnowledge(ctx, agent, tk, []string{"mother_maiden_name"}); desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("unknown question: %v", err)
	}
	// Alone, knowledge counts as possession of the channel only.
	got, err := r.svc.VerifyByKnowledge(ctx, agent, tk, []string{desk.QuestionIDLast4, desk.QuestionContractNo})
	if err != nil || got.Level != desk.LevelChannel || got.Method != desk.MethodKnowledge {
		t.Fatalf("alone: %+v %v", got, err)
	}
	// On top of a code it is the highest level.
	r.verify(t, tk, desk.LevelOTP)
	got, err = r.svc.VerifyByKnowledge(ctx, agent, tk, []string{desk.QuestionLastPayment})
	if err != nil || got.Level != desk.LevelKnowledge || got.Method != "otp_sms+knowledge" {
		t.Fatalf("with a code: %+v %v", got, err)
	}
	if v := r.view(t, tk); v.Verification.Level != desk.LevelKnowledge {
		t.Fatalf("view level %d", v.Verification.Level)
	}
	log, err := r.svc.AuditLog(ctx, desk.Actor{}, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	if !hasAudit(log, "ticket.verified_by_knowledge", tk, "questions=last_payment_date") ||
		!hasAudit(log, "ticket.verified_by_knowledge", tk, "level=1 questions=id_last4,contract_no") {
		t.Fatalf("audit: %+v", log)
	}
	if !strings.Contains(timeline(t, r.db, tk), "verified by knowledge questions") {
		t.Fatalf("timeline: %s", timeline(t, r.db, tk))
	}
	if _, err := r.svc.VerifyByKnowledge(ctx, desk.BotActor("bot"), tk, []string{desk.QuestionIDLast4}); desk.CodeOf(err) != desk.CodeForbidden {
		t.Fatalf("bot: %v", err)
	}
}

func TestPolicyConfiguredThenSavedOnTheDesk(t *testing.T) {
	r := newFactsRig(t, desk.Options{FactPolicy: desk.FactPolicy{desk.FactBalance: desk.LevelChannel}})
	ctx := context.Background()
	tk := r.conversation(t, "v1")
	r.claim(t, tk, "C-1001")
	r.verify(t, tk, desk.LevelChannel)
	if v := r.view(t, tk); !v.Contracts[0].Balance.Shown || v.Contracts[0].NextDue.Shown {
		t.Fatalf("configured policy: %+v", v.Contracts[0])
	}
	if _, err := r.svc.SetFactPolicy(ctx, desk.AgentActor(r.agent), desk.FactPolicy{}); desk.CodeOf(err) != desk.CodeForbidden {
		t.Fatalf("agent saved the policy: %v", err)
	}
	for _, bad := range []desk.FactPolicy{{"salary": 1}, {desk.FactBalance: 4}, {desk.FactName: -1}} {
		if _, err := r.svc.SetFactPolicy(ctx, desk.AgentActor(r.super), bad); desk.CodeOf(err) != desk.CodeInvalid {
			t.Fatalf("%v: %v", bad, err)
		}
	}
	set, err := r.svc.SetFactPolicy(ctx, desk.AgentActor(r.super), desk.FactPolicy{desk.FactName: desk.LevelOTP})
	if err != nil || !set.Saved || set.Policy.Need(desk.FactBalance) != desk.LevelOTP {
		t.Fatalf("saved: %+v %v", set, err)
	}
	// The saved policy wins over the file: balance back to its default.
	v := r.view(t, tk)
	if v.Name.Shown || v.Contracts[0].Balance.Shown {
		t.Fatalf("saved policy not applied: %+v", v)
	}
	got, err := r.svc.FactPolicy(ctx)
	if err != nil || !got.Saved || got.UpdatedBy != r.super.ID || got.Policy.Need(desk.FactName) != desk.LevelOTP {
		t.Fatalf("policy: %+v %v", got, err)
	}
	log, _ := r.svc.AuditLog(ctx, desk.Actor{}, "", 10)
	if !hasAudit(log, "verification.policy", "", "name=2") {
		t.Fatalf("audit: %+v", log)
	}
}

func TestPostRefusesUnverifiedFactsWithoutAnOverride(t *testing.T) {
	r := newFactsRig(t, desk.Options{})
	ctx := context.Background()
	agent := desk.AgentActor(r.agent)
	tk := r.conversation(t, "v1")
	r.claim(t, tk, "C-1001")
	r.verify(t, tk, desk.LevelChannel)
	draft := "您本期应还 ¥1,234.50，还款日 12月5日。"
	_, _, err := r.svc.Post(ctx, agent, desk.PostRequest{TicketID: tk, Kind: desk.KindReply, Text: draft})
	var de *desk.Error
	if !errors.As(err, &de) || de.Code != desk.CodeDisclosure {
		t.Fatalf("post: %v", err)
	}
	c, ok := de.Details.(desk.DisclosureCheck)
	if !ok || c.Level != desk.LevelChannel || len(c.Findings) != 2 || c.Findings[0].Fact != desk.FactNextDue {
		t.Fatalf("details: %+v", de.Details)
	}
	if strings.Contains(timeline(t, r.db, tk), "1,234.50") {
		t.Fatal("the refused reply was stored")
	}
	// Notes and replies without facts pass.
	if _, _, err := r.svc.Post(ctx, agent, desk.PostRequest{TicketID: tk, Kind: desk.KindNote, Text: draft}); err != nil {
		t.Fatalf("note: %v", err)
	}
	if _, _, err := r.svc.Post(ctx, agent, desk.PostRequest{TicketID: tk, Kind: desk.KindReply, Text: "请先完成验证，稍等 5 分钟"}); err != nil {
		t.Fatalf("plain reply: %v", err)
	}
	m, _, err := r.svc.Post(ctx, agent, desk.PostRequest{TicketID: tk, Kind: desk.KindReply, Text: draft,
		OverrideReason: "客户已在电话中核实身份"})
	if err != nil || m.Direction != desk.DirOut {
		t.Fatalf("override: %+v %v", m, err)
	}
	tl := timeline(t, r.db, tk)
	if !strings.Contains(tl, "reply sent despite the disclosure guard (facts next_due, verified level 1): 客户已在电话中核实身份") {
		t.Fatalf("timeline: %s", tl)
	}
	log, _ := r.svc.AuditLog(ctx, desk.Actor{}, "", 20)
	if !hasAudit(log, "ticket.disclosure_override", tk, "客户已在电话中核实身份") {
		t.Fatalf("audit: %+v", log)
	}
	// Verified at the level the facts need, the same draft goes.
	r.verify(t, tk, desk.LevelOTP)
	if _, _, err := r.svc.Post(ctx, agent, desk.PostRequest{TicketID: tk, Kind: desk.KindReply, Text: draft}); err != nil {
		t.Fatalf("verified: %v", err)
	}
	// The bot is held to the same rule.
	r.clock.Add(time.Hour)
	if _, _, err := r.svc.Post(ctx, desk.BotActor("小汇"), desk.PostRequest{TicketID: tk, Kind: desk.KindReply, Text: draft}); desk.CodeOf(err) != desk.CodeDisclosure {
		t.Fatalf("bot: %v", err)
	}
}
