package main

import (
	"context"
	"fmt"
	"time"

	"huiliu/desk"
)

// loadDemoFacts puts demo customer records in the facts table: 王芳
// (C10023, the demo chat's verified customer) with a phone rental and a
// loan, and 陈先生 (C10024, whom an agent can claim on his chat) with an
// overdue loan. The phones are where demo codes go (the file SMS sink).
func loadDemoFacts(ctx context.Context, a *app) error {
	due := time.Now().AddDate(0, 0, 10).Format(time.DateOnly)
	paid := time.Now().AddDate(0, 0, -20).Format(time.DateOnly)
	late := time.Now().AddDate(0, 0, -12).Format(time.DateOnly)
	recs := []desk.FactsRecord{
		{Line: 1, Facts: desk.CustomerFacts{CustomerNo: "C10023", Name: "王芳", Phone: "13800138001",
			Email: "wangfang@demo.huiliu.local", IDLast4: "0426", Contracts: []desk.Contract{
				{No: "ZL-2026-00318", Kind: desk.ContractRental, Product: "iPhone 16 租机 12 期", Status: "active",
					Principal: 899900, Balance: 299970, NextDueDate: due, NextDueAmount: 74990, Deposit: 100000,
					DepositState: "held", LastPaymentDay: paid, Plan: []desk.Instalment{
						{No: 9, DueDate: paid, Amount: 74990, Status: "paid"},
						{No: 10, DueDate: due, Amount: 74990, Status: "due"}}},
				{No: "HT-2025-10872", Kind: desk.ContractLoan, Product: "消费分期", Status: "settled",
					Principal: 500000, LastPaymentDay: "2026-03-15"},
			}}},
		{Line: 2, Facts: desk.CustomerFacts{CustomerNo: "C10024", Name: "陈建国", Phone: "13800138002",
			IDLast4: "331X", Contracts: []desk.Contract{
				{No: "HT-2026-20417", Kind: desk.ContractLoan, Product: "车辆分期 24 期", Status: "overdue",
					Principal: 6000000, Balance: 4218000, NextDueDate: late, NextDueAmount: 268500,
					OverdueAmount: 268500, OverdueDays: 12, LastPaymentDay: "2026-10-20"},
			}}},
	}
	sum, err := a.svc.ImportFacts(ctx, desk.Actor{}, recs, nil)
	if err != nil {
		return fmt.Errorf("demo facts: %w", err)
	}
	if sum.Created+sum.Updated+sum.Unchanged != len(recs) {
		return fmt.Errorf("demo facts: %+v", sum)
	}
	return nil
}
