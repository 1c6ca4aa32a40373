package desk

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on a customer record, whichever source it comes from.
const (
	MaxFactsContracts   = 100
	MaxFactsInstalments = 360
	maxFactsTextRunes   = 200
)

// Validate checks a record from an API or an import: a valid customer
// number, known contract kinds, dates as YYYY-MM-DD, no negative amounts,
// and the limits above. The first problem is returned, naming its field.
func (f *CustomerFacts) Validate() error {
	f.CustomerNo = strings.TrimSpace(f.CustomerNo)
	if !ValidCustomerNo(f.CustomerNo) {
		return fmt.Errorf("customer_no %q: want 1 to %d letters, digits, - _ or . (not first)", f.CustomerNo, MaxCustomerNoBytes)
	}
	for name, v := range map[string]string{"name": f.Name, "phone": f.Phone, "email": f.Email} {
		if !ValidText(v) || utf8.RuneCountInString(v) > maxFactsTextRunes {
			return fmt.Errorf("%s: want text of at most %d characters", name, maxFactsTextRunes)
		}
	}
	if f.Phone != "" && len(digitsOnly(f.Phone)) < 5 {
		return fmt.Errorf("phone %q: not a phone number", f.Phone)
	}
	if f.Email != "" && !strings.Contains(f.Email, "@") {
		return fmt.Errorf("email %q: not an address", f.Email)
	}
	if f.IDLast4 != "" && (len(f.IDLast4) != 4 || strings.Trim(strings.ToUpper(f.IDLast4), "0123456789X") != "") {
		return fmt.Errorf("id_last4 %q: want four digits (the last may be X)", f.IDLast4)
	}
	if len(f.Contracts) > MaxFactsContracts {
		return fmt.Errorf("contracts: at most %d", MaxFactsContracts)
	}
	if f.Contracts == nil {
		f.Contracts = []Contract{}
	}
	for i := range f.Contracts {
		if err := f.Contracts[i].validate(); err != nil {
			return fmt.Errorf("contracts[%d]: %w", i, err)
		}
	}
	return nil
}

func (c *Contract) validate() error {
	if !ValidCustomerNo(c.No) {
		return fmt.Errorf("no %q: want 1 to %d letters, digits, - _ or . (not first)", c.No, MaxCustomerNoBytes)
	}
	if c.Kind != ContractRental && c.Kind != ContractLoan {
		return fmt.Errorf("kind %q: want rental or loan", c.Kind)
	}
	for name, v := range map[string]string{"product": c.Product, "status": c.Status, "deposit_state": c.DepositState} {
		if !ValidText(v) || utf8.RuneCountInString(v) > maxFactsTextRunes {
			return fmt.Errorf("%s: want text of at most %d characters", name, maxFactsTextRunes)
		}
	}
	if c.Currency != "" && c.Currency != "CNY" {
		return fmt.Errorf("currency %q: only CNY is supported", c.Currency)
	}
	for name, a := range map[string]Amount{"principal": c.Principal, "balance": c.Balance, "next_due_amount": c.NextDueAmount,
		"overdue_amount": c.OverdueAmount, "deposit": c.Deposit} {
		if a < 0 {
			return fmt.Errorf("%s: must not be negative", name)
		}
	}
	if c.OverdueDays < 0 || c.OverdueDays > 100_000 {
		return fmt.Errorf("overdue_days %d: out of range", c.OverdueDays)
	}
	for name, d := range map[string]string{"next_due_date": c.NextDueDate, "last_payment_date": c.LastPaymentDay} {
		if err := validDate(d); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if len(c.Plan) > MaxFactsInstalments {
		return fmt.Errorf("plan: at most %d instalments", MaxFactsInstalments)
	}
	for i, in := range c.Plan {
		if err := validDate(in.DueDate); err != nil || in.DueDate == "" {
			return fmt.Errorf("plan[%d].due_date: want YYYY-MM-DD", i)
		}
		if in.Amount < 0 || !ValidText(in.Status) || len(in.Status) > 40 {
			return fmt.Errorf("plan[%d]: negative amount or bad status", i)
		}
	}
	return nil
}

// validDate accepts "" or a real calendar date YYYY-MM-DD.
func validDate(d string) error {
	if d == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return fmt.Errorf("%q: want a date YYYY-MM-DD", d)
	}
	return nil
}
