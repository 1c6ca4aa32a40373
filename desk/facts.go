package desk

import (
	"context"
	"time"
)

// Customer facts: what the company's own system knows about a customer
// (contracts of rentals and loans, balances, due dates). The desk reads them
// through a FactsSource — an HTTP API (internal/factsapi) or the facts table
// filled by `huiliu facts import` (store/facts.go) — and shows each fact only
// when the conversation's active verification reaches the level the policy
// asks for it (facts_policy.go).
//
// How the other parts use this file:
//   - RecordFacts is the contact panel's read, masked per fact.
//   - ClaimCustomer records "I am customer C-1001" on a conversation. A claim
//     reveals nothing and merges nothing; it only tells the code flow whose
//     record a code may go to (RecordDestinations).
//   - The code flow (verifyflow) asks RecordDestinations where a code goes,
//     and after a right code on a conversation whose destination came from a
//     claim it calls ConfirmClaim: the claimed customer number becomes a
//     verified identity of the contact (merged with a contact that holds it
//     verified, as signed links are).
//   - VerifyByKnowledge records questions the customer answered from the
//     record (facts_knowledge.go).
//   - CheckDisclosure finds facts in a draft that the conversation is not
//     verified for; Post refuses such a reply without an override reason
//     (facts_guard.go).

// Amount is money in fen (1/100 yuan). In JSON and CSV it is a decimal
// number of yuan with at most two decimals, written as a string ("1234.50")
// or a number (1234.5); it is parsed as a decimal, never through a float.
type Amount int64

// Contract kinds.
const (
	ContractRental = "rental"
	ContractLoan   = "loan"
)

// CustomerFacts is one customer's record as the company's system holds it.
type CustomerFacts struct {
	CustomerNo string `json:"customer_no"`
	Name       string `json:"name"`
	// Phone and Email are where one-time codes may go.
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
	// IDLast4 is the last four characters of the customer's ID number, a
	// knowledge question; the full number never enters the desk.
	IDLast4   string     `json:"id_last4,omitempty"`
	Contracts []Contract `json:"contracts"`
}

// Contract is a rental or a loan. Dates are calendar dates YYYY-MM-DD in
// the company's time zone; "" when not applicable.
type Contract struct {
	No       string `json:"no"`
	Kind     string `json:"kind"` // ContractRental or ContractLoan
	Product  string `json:"product,omitempty"`
	Status   string `json:"status,omitempty"`   // e.g. active, overdue, settled, closed
	Currency string `json:"currency,omitempty"` // ISO 4217; "" means CNY
	// Principal is the amount lent or the rental's total; Balance what is
	// still owed.
	Principal      Amount       `json:"principal"`
	Balance        Amount       `json:"balance"`
	NextDueDate    string       `json:"next_due_date,omitempty"`
	NextDueAmount  Amount       `json:"next_due_amount"`
	OverdueAmount  Amount       `json:"overdue_amount"`
	OverdueDays    int          `json:"overdue_days"`
	Deposit        Amount       `json:"deposit"`
	DepositState   string       `json:"deposit_state,omitempty"` // none, held, refunding, refunded
	LastPaymentDay string       `json:"last_payment_date,omitempty"`
	Plan           []Instalment `json:"plan,omitempty"`
}

// Instalment is one line of a repayment (or rent) plan.
type Instalment struct {
	No      int    `json:"no"`
	DueDate string `json:"due_date"`
	Amount  Amount `json:"amount"`
	Status  string `json:"status,omitempty"` // paid, due, overdue
}

// FactsSource reads a customer's record. A customer it does not know is
// ErrNoFacts, whatever the reason, so the answer names no number.
type FactsSource interface {
	CustomerFacts(ctx context.Context, customerNo string) (CustomerFacts, error)
}

// ErrNoFacts: there is no record for that customer number. Its message is
// the same for every number, so callers cannot enumerate customers.
var ErrNoFacts = &Error{Code: CodeNotFound, Message: "no customer record"}

// Where the customer number of a conversation comes from.
const (
	FactsFromIdentity = "identity" // a customer_no identity of the contact
	FactsFromClaim    = "claim"    // claimed in the conversation, not verified
)

// CustomerClaim is "I am customer C-1001", recorded on a conversation by an
// agent. It is not proof.
type CustomerClaim struct {
	TicketID   string    `json:"ticket_id"`
	CustomerNo string    `json:"customer_no"`
	AgentID    string    `json:"agent_id"`
	ClaimedAt  time.Time `json:"claimed_at"`
}

// FactValue is one fact as an agent may see it now: Value is the fact
// when Shown, otherwise a mask; Need is the level the policy asks for it.
type FactValue struct {
	Fact  string `json:"fact"`
	Value string `json:"value"`
	Need  int    `json:"need"`
	Shown bool   `json:"shown"`
}

// ContractView is a contract with every figure masked or shown.
type ContractView struct {
	No          FactValue    `json:"no"`
	Kind        string       `json:"kind"`
	Product     FactValue    `json:"product"`
	Status      FactValue    `json:"status"`
	Principal   FactValue    `json:"principal"`
	Balance     FactValue    `json:"balance"`
	NextDue     FactValue    `json:"next_due"`
	Overdue     FactValue    `json:"overdue"`
	Deposit     FactValue    `json:"deposit"`
	LastPayment FactValue    `json:"last_payment"`
	Plan        []Instalment `json:"plan,omitempty"` // only when shown
	PlanNeed    int          `json:"plan_need"`
	PlanShown   bool         `json:"plan_shown"`
}

// KnowledgeQuestion is a question an agent may ask from the record, with
// the expected answers shown to the agent only.
type KnowledgeQuestion struct {
	ID      string   `json:"id"` // QuestionIDLast4, QuestionContractNo, QuestionLastPayment
	Answers []string `json:"answers"`
}

// FactsView is the contact panel's customer record.
type FactsView struct {
	// CustomerNo is "" when the conversation names no customer.
	CustomerNo string `json:"customer_no"`
	Source     string `json:"source"` // FactsFromIdentity or FactsFromClaim
	// Found is false when the number has no record (or no source is
	// configured); the other fields are then empty.
	Found bool `json:"found"`
	// Verification is the proof active now (Level 0: none).
	Verification Verification        `json:"verification"`
	Name         FactValue           `json:"name"`
	Phone        FactValue           `json:"phone"`
	Email        FactValue           `json:"email"`
	Contracts    []ContractView      `json:"contracts"`
	Questions    []KnowledgeQuestion `json:"questions,omitempty"`
	// Tickets are the contact's tickets on every channel, newest first,
	// this one included.
	Tickets []Ticket `json:"tickets"`
}

// Destinations are where a one-time code for a conversation may go.
type Destinations struct {
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
	// CustomerNo is the record they came from ("" when they are the
	// contact's own identities) and FromClaim whether that number was only
	// claimed, so a right code must call ConfirmClaim.
	CustomerNo string `json:"customer_no,omitempty"`
	FromClaim  bool   `json:"from_claim"`
}
