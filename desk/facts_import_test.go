package desk_test

import (
	"context"
	"strings"
	"testing"

	"huiliu/desk"
)

const importJSON = `[
  {"customer_no": "C-1001", "name": "王芳", "phone": "13812348001",
   "contracts": [{"no": "HT-2026-0001", "kind": "loan", "balance": "12345.60",
                  "plan": [{"no": 1, "due_date": "2026-12-05", "amount": "1234.50"}]}]},
  {"customer_no": "C-1002", "name": "李四",
   "contracts": [{"no": "ZL-1", "kind": "lease"}]},
  {"customer_no": "C-1003", "nmae": "typo"},
  {"customer_no": "C-1004", "contracts": [{"no": "HT-9", "kind": "loan", "next_due_date": "2026-02-30"}]},
  {"customer_no": "C-1001", "name": "again"},
  {"customer_no": "C-1005"}
]`

const importCSV = "\ufeffcustomer_no,name,phone,contract_no,kind,balance,next_due_date,next_due_amount,overdue_days\n" +
	"C-2001,张三,13900000001,HT-1,loan,\"1,000.00\",2026-12-05,100,0\n" +
	"C-2001,张三,13900000001,ZL-1,rental,¥500,,,\n" +
	"C-2002,赵六,,HT-2,loan,12.345,,,\n" +
	"C-2003,钱七,,,,,,,\n" +
	"C-2004,孙八,,HT-4,loan,1,,,x\n" +
	"C-2005,\"bad\"quote,,,,,,,\n" +
	",,,,,,,,\n" +
	"C-2006,周九,,HT-6,loan,,,,\n"

func TestParseFactsReportsBadRecordsByLine(t *testing.T) {
	recs, bad, err := desk.ParseFacts(strings.NewReader(importJSON), "json")
	if err != nil {
		t.Fatal(err)
	}
	var nos []string
	for _, r := range recs {
		nos = append(nos, r.Facts.CustomerNo)
	}
	if strings.Join(nos, " ") != "C-1001 C-1005" || recs[0].Line != 2 || recs[0].Facts.Contracts[0].Plan[0].Amount != 123450 {
		t.Fatalf("records: %v %+v", nos, recs)
	}
	want := []struct {
		line int
		text string
	}{{5, "lease"}, {7, "nmae"}, {8, "2026-02-30"}, {9, "also on line 2"}}
	if len(bad) != len(want) {
		t.Fatalf("bad: %+v", bad)
	}
	for i, w := range want {
		if bad[i].Line != w.line || !strings.Contains(bad[i].Error, w.text) {
			t.Errorf("bad[%d] = %+v, want line %d with %q", i, bad[i], w.line, w.text)
		}
	}

	recs, bad, err = desk.ParseFacts(strings.NewReader(importCSV), "csv")
	if err != nil {
		t.Fatal(err)
	}
	nos = nil
	for _, r := range recs {
		nos = append(nos, r.Facts.CustomerNo)
	}
	if strings.Join(nos, " ") != "C-2001 C-2003 C-2006" || len(recs[0].Facts.Contracts) != 2 ||
		recs[0].Facts.Contracts[0].Balance != 100000 || recs[0].Facts.Contracts[1].Balance != 50000 ||
		len(recs[1].Facts.Contracts) != 0 {
		t.Fatalf("csv records: %v %+v", nos, recs)
	}
	wantCSV := []struct {
		line int
		text string
	}{{4, "balance"}, {6, "overdue_days"}, {7, "quote"}}
	if len(bad) != len(wantCSV) {
		t.Fatalf("csv bad: %+v", bad)
	}
	for i, w := range wantCSV {
		if bad[i].Line != w.line || !strings.Contains(bad[i].Error, w.text) {
			t.Errorf("csv bad[%d] = %+v, want line %d with %q", i, bad[i], w.line, w.text)
		}
	}

	for _, c := range []struct{ format, text string }{
		{"json", `{"customer_no": "C-1"}`}, {"json", `[{"customer_no": "C-1"}`}, {"csv", ""},
		{"csv", "customer,name\n"}, {"csv", "name\nx\n"}, {"xml", "<a/>"},
	} {
		if _, _, err := desk.ParseFacts(strings.NewReader(c.text), c.format); desk.CodeOf(err) != desk.CodeInvalid {
			t.Errorf("%s %q: %v", c.format, c.text, err)
		}
	}
}

func TestImportFactsIsIdempotent(t *testing.T) {
	r := newFactsRig(t, desk.Options{})
	ctx := context.Background()
	recs, bad, err := desk.ParseFacts(strings.NewReader(importCSV), "csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.ImportFacts(ctx, desk.AgentActor(r.super), recs, bad); desk.CodeOf(err) != desk.CodeForbidden {
		t.Fatalf("supervisor imported: %v", err)
	}
	sum, err := r.svc.ImportFacts(ctx, desk.Actor{}, recs, bad)
	if err != nil || sum.Created != 3 || sum.Updated != 0 || sum.Unchanged != 0 || len(sum.Bad) != 3 {
		t.Fatalf("first import: %+v %v", sum, err)
	}
	sum, err = r.svc.ImportFacts(ctx, desk.Actor{}, recs, nil)
	if err != nil || sum.Created != 0 || sum.Updated != 0 || sum.Unchanged != 3 {
		t.Fatalf("second import: %+v %v", sum, err)
	}
	recs[0].Facts.Contracts[0].Balance = 99900
	sum, err = r.svc.ImportFacts(ctx, desk.Actor{}, recs, nil)
	if err != nil || sum.Updated != 1 || sum.Unchanged != 2 {
		t.Fatalf("changed import: %+v %v", sum, err)
	}
	f, err := r.db.FactsSource().CustomerFacts(ctx, "C-2001")
	if err != nil || f.Contracts[0].Balance != 99900 || f.Name != "张三" {
		t.Fatalf("stored: %+v %v", f, err)
	}
	log, _ := r.svc.AuditLog(ctx, desk.Actor{}, "", 10)
	if !hasAudit(log, "facts.import", "", "created=0 updated=1 unchanged=2") {
		t.Fatalf("audit: %+v", log)
	}
}

func FuzzParseFactsCSV(f *testing.F) {
	f.Add(importCSV)
	f.Add("customer_no\nC-1\n")
	f.Add("customer_no,balance,contract_no,kind\nC-1,\"1,2\",X,loan\n")
	f.Fuzz(func(t *testing.T, text string) {
		recs, _, err := desk.ParseFacts(strings.NewReader(text), "csv")
		if err != nil {
			return
		}
		for _, r := range recs {
			if err := r.Facts.Validate(); err != nil || r.Line < 1 {
				t.Fatalf("record %+v is not valid: %v", r, err)
			}
		}
	})
}
