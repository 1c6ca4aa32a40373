package desk

import (
	"strconv"
	"strings"
)

// factMask stands for a fact the conversation is not verified for.
const factMask = "****"

// fact builds one FactValue: the value when level reaches the policy's
// need for fact, else masked (phone and email keep the few characters a
// customer would recognise, like the code card shows them).
func fact(p FactPolicy, level int, name, value string) FactValue {
	v := FactValue{Fact: name, Need: p.Need(name)}
	v.Shown = level >= v.Need
	switch {
	case value == "":
	case v.Shown:
		v.Value = value
	case name == FactPhone:
		v.Value = maskDestination(OTPSMS, value)
	case name == FactEmail:
		v.Value = maskDestination(OTPEmail, value)
	default:
		v.Value = factMask
	}
	return v
}

// maskFacts fills view from f as seen at level under p.
func maskFacts(view *FactsView, f CustomerFacts, p FactPolicy, level int) {
	view.Name = fact(p, level, FactName, f.Name)
	view.Phone = fact(p, level, FactPhone, f.Phone)
	view.Email = fact(p, level, FactEmail, f.Email)
	for _, c := range f.Contracts {
		cv := ContractView{
			No:          fact(p, level, FactContractNo, c.No),
			Kind:        c.Kind,
			Product:     fact(p, level, FactContract, c.Product),
			Status:      fact(p, level, FactContract, c.Status),
			Principal:   fact(p, level, FactPrincipal, c.Principal.Display()),
			Balance:     fact(p, level, FactBalance, c.Balance.Display()),
			Overdue:     fact(p, level, FactOverdue, overdueText(c)),
			Deposit:     fact(p, level, FactDeposit, depositText(c)),
			LastPayment: fact(p, level, FactLastPayment, c.LastPaymentDay),
			PlanNeed:    p.Need(FactPlan),
		}
		if c.NextDueDate != "" {
			cv.NextDue = fact(p, level, FactNextDue, c.NextDueDate+" "+c.NextDueAmount.Display())
		} else {
			cv.NextDue = fact(p, level, FactNextDue, "")
		}
		if cv.PlanShown = level >= cv.PlanNeed; cv.PlanShown {
			cv.Plan = c.Plan
		}
		view.Contracts = append(view.Contracts, cv)
	}
	view.Questions = knowledgeQuestions(f)
}

func overdueText(c Contract) string {
	if c.OverdueAmount == 0 && c.OverdueDays == 0 {
		return "0"
	}
	return c.OverdueAmount.Display() + " / " + strconv.Itoa(c.OverdueDays) + "d"
}

func depositText(c Contract) string {
	if c.Deposit == 0 && c.DepositState == "" {
		return ""
	}
	return strings.TrimSpace(c.Deposit.Display() + " " + c.DepositState)
}
