package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Facts a policy names. Each fact of a record belongs to one of them.
const (
	FactName        = "name"         // the customer's name
	FactPhone       = "phone"        // phone on record (shown masked below its level)
	FactEmail       = "email"        // email on record
	FactContract    = "contract"     // a contract's kind, product and status
	FactContractNo  = "contract_no"  // a contract's number
	FactPrincipal   = "principal"    // amount lent / rental total
	FactBalance     = "balance"      // what is still owed
	FactNextDue     = "next_due"     // next due date and amount
	FactOverdue     = "overdue"      // overdue amount and days
	FactPlan        = "plan"         // repayment plan
	FactDeposit     = "deposit"      // deposit amount and refund state
	FactLastPayment = "last_payment" // date of the last payment
	FactIDLast4     = "id_last4"     // last four of the ID number
	FactChange      = "change"       // changing anything on the record
)

// Facts lists every fact a policy may name, in the order pages show them.
var Facts = []string{FactName, FactPhone, FactEmail, FactContract, FactContractNo, FactPrincipal,
	FactBalance, FactNextDue, FactOverdue, FactPlan, FactDeposit, FactLastPayment, FactIDLast4, FactChange}

// DefaultFactPolicy is the level each fact needs unless configured: who the
// customer is and which products they hold at possession of the channel;
// money, dates and contract numbers at a code to the phone on record; the
// ID number's digits and any change at a code plus a knowledge question.
var DefaultFactPolicy = FactPolicy{
	FactName: LevelChannel, FactPhone: LevelChannel, FactEmail: LevelChannel, FactContract: LevelChannel,
	FactContractNo: LevelOTP, FactPrincipal: LevelOTP, FactBalance: LevelOTP, FactNextDue: LevelOTP,
	FactOverdue: LevelOTP, FactPlan: LevelOTP, FactDeposit: LevelOTP, FactLastPayment: LevelOTP,
	FactIDLast4: LevelKnowledge, FactChange: LevelKnowledge,
}

// FactPolicy maps a fact to the level it needs (LevelNone..LevelKnowledge).
type FactPolicy map[string]int

// Need is the level fact needs; an unknown fact needs the highest.
func (p FactPolicy) Need(fact string) int {
	if l, ok := p[fact]; ok {
		return l
	}
	if l, ok := DefaultFactPolicy[fact]; ok {
		return l
	}
	return LevelKnowledge
}

// Validate refuses unknown facts and levels out of range.
func (p FactPolicy) Validate() error {
	for f, l := range p {
		if !slices.Contains(Facts, f) {
			return Errorf(CodeInvalid, "unknown fact %q (known: %s)", f, strings.Join(Facts, ", "))
		}
		if l < LevelNone || l > LevelKnowledge {
			return Errorf(CodeInvalid, "level of %s must be 0 to 3, not %d", f, l)
		}
	}
	return nil
}

// with returns the defaults overlaid by p.
func (p FactPolicy) with(over FactPolicy) FactPolicy {
	out := FactPolicy{}
	for f, l := range DefaultFactPolicy {
		out[f] = l
	}
	for f, l := range p {
		out[f] = l
	}
	for f, l := range over {
		out[f] = l
	}
	return out
}

// String is the policy as "fact=level" pairs in Facts order, for audits.
func (p FactPolicy) String() string {
	var b strings.Builder
	for _, f := range Facts {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f + "=" + strconv.Itoa(p.Need(f)))
	}
	return b.String()
}

// FactPolicySettings is the policy in force and where it came from.
type FactPolicySettings struct {
	Policy FactPolicy `json:"policy"`
	// Saved is true once a supervisor saved the policy on the desk: from
	// then on the stored policy wins over the configuration file.
	Saved     bool       `json:"saved"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
}

// FactPolicyReader reads the policy saved on the desk; store.DB implements
// it (migration 00013).
type FactPolicyReader interface {
	// SavedFactPolicy is ErrNotFound until a policy was saved.
	SavedFactPolicy(ctx context.Context) (FactPolicySettings, error)
}

// FactPolicyWriter replaces the saved policy.
type FactPolicyWriter interface {
	PutFactPolicy(ctx context.Context, s FactPolicySettings) error
}

// FactPolicy is the policy in force: the one saved on the desk, else the
// configured one (Options.FactPolicy) over the defaults.
func (s *Service) FactPolicy(ctx context.Context) (FactPolicySettings, error) {
	saved, err := s.store.SavedFactPolicy(ctx)
	if err == nil {
		saved.Policy = DefaultFactPolicy.with(saved.Policy)
		return saved, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return FactPolicySettings{}, fmt.Errorf("desk: fact policy: %w", err)
	}
	return FactPolicySettings{Policy: DefaultFactPolicy.with(s.factPolicy)}, nil
}

// SetFactPolicy saves p as the policy in force (supervisors and admins);
// audited with the whole policy.
func (s *Service) SetFactPolicy(ctx context.Context, actor Actor, p FactPolicy) (FactPolicySettings, error) {
	if err := requireRole(actor, RoleSupervisor); err != nil {
		return FactPolicySettings{}, err
	}
	if err := p.Validate(); err != nil {
		return FactPolicySettings{}, err
	}
	_, by := actor.kindID()
	now := s.now().UTC()
	set := FactPolicySettings{Policy: DefaultFactPolicy.with(p), Saved: true, UpdatedAt: &now, UpdatedBy: by}
	err := s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.PutFactPolicy(ctx, set); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "verification.policy", "", set.Policy.String())
	})
	if err != nil {
		return FactPolicySettings{}, fmt.Errorf("desk: save fact policy: %w", err)
	}
	return set, nil
}
