package desk

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// MaxFactsImportBytes bounds one import file (CLI or upload).
const MaxFactsImportBytes = 32 << 20

// ImportProblem is a record an import skipped, by the line it starts on.
type ImportProblem struct {
	Line       int    `json:"line"`
	CustomerNo string `json:"customer_no,omitempty"`
	Error      string `json:"error"`
}

// ImportSummary is what an import did.
type ImportSummary struct {
	Created   int             `json:"created"`
	Updated   int             `json:"updated"`
	Unchanged int             `json:"unchanged"`
	Bad       []ImportProblem `json:"bad"`
}

// FactsRecord is one parsed record with the line it starts on.
type FactsRecord struct {
	Line  int
	Facts CustomerFacts
}

// FactsCSVColumns are the columns of a CSV import, one row per contract
// (customer columns repeat on each; a customer without contracts is one
// row with contract_no empty). Repayment plans need the JSON form.
var FactsCSVColumns = []string{"customer_no", "name", "phone", "email", "id_last4", "contract_no", "kind", "product",
	"status", "principal", "balance", "next_due_date", "next_due_amount", "overdue_amount", "overdue_days", "deposit",
	"deposit_state", "last_payment_date"}

// ParseFacts reads an import file: format "json" (an array of records, the
// shape the facts API answers with) or "csv" (FactsCSVColumns, a header
// row first, in any order; amounts as decimal yuan). Each bad record is a
// problem with its line; the good ones are returned. An unreadable file
// (not JSON, no header) is an error.
func ParseFacts(r io.Reader, format string) ([]FactsRecord, []ImportProblem, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFactsImportBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read facts file: %w", err)
	}
	if len(data) > MaxFactsImportBytes {
		return nil, nil, Errorf(CodeTooLarge, "a facts file may be at most %d MiB", MaxFactsImportBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // spreadsheets write a BOM
	var recs []FactsRecord
	var bad []ImportProblem
	switch format {
	case "json":
		recs, bad, err = parseFactsJSON(data)
	case "csv":
		recs, bad, err = parseFactsCSV(data)
	default:
		return nil, nil, Errorf(CodeInvalid, "facts file format must be json or csv")
	}
	if err != nil {
		return nil, nil, err
	}
	// A number twice in one file is ambiguous: keep neither.
	seen := map[string]int{}
	var out []FactsRecord
	for _, rec := range recs {
		if first, ok := seen[rec.Facts.CustomerNo]; ok {
			bad = append(bad, ImportProblem{Line: rec.Line, CustomerNo: rec.Facts.CustomerNo,
				Error: fmt.Sprintf("customer_no also on line %d", first)})
			continue
		}
		seen[rec.Facts.CustomerNo] = rec.Line
		out = append(out, rec)
	}
	slices.SortStableFunc(bad, func(a, b ImportProblem) int { return a.Line - b.Line })
	return out, bad, nil
}

func lineAt(data []byte, off int64) int { return bytes.Count(data[:off], []byte("\n")) + 1 }

func parseFactsJSON(data []byte) ([]FactsRecord, []ImportProblem, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, nil, Errorf(CodeInvalid, "a JSON facts file is an array of customer records")
	}
	var recs []FactsRecord
	var bad []ImportProblem
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, Wrap(CodeInvalid, err, fmt.Sprintf("line %d: not valid JSON: %v", lineAt(data, dec.InputOffset()), err))
		}
		// InputOffset is past the element; find where it started.
		start := dec.InputOffset() - int64(len(raw))
		line := lineAt(data, start)
		var f CustomerFacts
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		if err := d.Decode(&f); err != nil {
			bad = append(bad, ImportProblem{Line: line, CustomerNo: f.CustomerNo, Error: err.Error()})
			continue
		}
		if err := f.Validate(); err != nil {
			bad = append(bad, ImportProblem{Line: line, CustomerNo: f.CustomerNo, Error: err.Error()})
			continue
		}
		recs = append(recs, FactsRecord{Line: line, Facts: f})
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
		return nil, nil, Errorf(CodeInvalid, "the JSON array of customer records is not closed")
	}
	return recs, bad, nil
}

func parseFactsCSV(data []byte) ([]FactsRecord, []ImportProblem, error) {
	cr := csv.NewReader(bufio.NewReader(bytes.NewReader(data)))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, Errorf(CodeInvalid, "a CSV facts file starts with a header row")
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.ToLower(h))
		if !slices.Contains(FactsCSVColumns, h) {
			return nil, nil, Errorf(CodeInvalid, "unknown column %q (known: %s)", h, strings.Join(FactsCSVColumns, ","))
		}
		col[h] = i
	}
	if _, ok := col["customer_no"]; !ok {
		return nil, nil, Errorf(CodeInvalid, "the header has no customer_no column")
	}
	var order []string
	byNo := map[string]*FactsRecord{}
	badNo := map[string]bool{}
	var bad []ImportProblem
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			bad = append(bad, ImportProblem{Line: pe.StartLine, Error: pe.Err.Error()})
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read facts CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		no := get("customer_no")
		if no == "" && slices.IndexFunc(row, func(s string) bool { return strings.TrimSpace(s) != "" }) < 0 {
			continue // a blank line
		}
		if badNo[no] {
			continue
		}
		rec, ok := byNo[no]
		if !ok {
			rec = &FactsRecord{Line: line, Facts: CustomerFacts{CustomerNo: no, Name: get("name"), Phone: get("phone"),
				Email: get("email"), IDLast4: get("id_last4"), Contracts: []Contract{}}}
			byNo[no] = rec
			order = append(order, no)
		}
		if get("contract_no") == "" {
			continue
		}
		c, err := csvContract(get)
		if err != nil {
			bad = append(bad, ImportProblem{Line: line, CustomerNo: no, Error: err.Error()})
			badNo[no] = true
			continue
		}
		rec.Facts.Contracts = append(rec.Facts.Contracts, c)
	}
	var recs []FactsRecord
	for _, no := range order {
		rec := byNo[no]
		if badNo[no] {
			continue
		}
		if err := rec.Facts.Validate(); err != nil {
			bad = append(bad, ImportProblem{Line: rec.Line, CustomerNo: no, Error: err.Error()})
			continue
		}
		recs = append(recs, *rec)
	}
	return recs, bad, nil
}

func csvContract(get func(string) string) (Contract, error) {
	c := Contract{No: get("contract_no"), Kind: get("kind"), Product: get("product"), Status: get("status"),
		NextDueDate: get("next_due_date"), DepositState: get("deposit_state"), LastPaymentDay: get("last_payment_date")}
	for name, dst := range map[string]*Amount{"principal": &c.Principal, "balance": &c.Balance,
		"next_due_amount": &c.NextDueAmount, "overdue_amount": &c.OverdueAmount, "deposit": &c.Deposit} {
		v := strings.TrimPrefix(strings.TrimPrefix(get(name), "¥"), "￥")
		if v == "" {
			continue
		}
		a, err := ParseAmount(v)
		if err != nil {
			return Contract{}, fmt.Errorf("%s: %w", name, err)
		}
		*dst = a
	}
	if v := get("overdue_days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return Contract{}, fmt.Errorf("overdue_days %q: want a whole number", v)
		}
		c.OverdueDays = n
	}
	// Checked here so the problem names this row, not the customer's first.
	return c, c.validate()
}

// ImportFacts stores parsed records into the facts table by customer
// number: new ones created, changed ones replaced, identical ones left
// alone, so importing a file twice changes nothing. Admins only; audited
// with the counts. Problems found while parsing are passed in bad and
// returned in the summary.
func (s *Service) ImportFacts(ctx context.Context, actor Actor, recs []FactsRecord, bad []ImportProblem) (ImportSummary, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return ImportSummary{}, err
	}
	sum := ImportSummary{Bad: append([]ImportProblem{}, bad...)}
	now := s.now().UTC()
	// One transaction per batch keeps a large file from holding one lock
	// for minutes, and a failure names the records not stored.
	const batch = 200
	for i := 0; i < len(recs); i += batch {
		part := recs[i:min(i+batch, len(recs))]
		var c, u, n int
		err := s.store.Tx(ctx, func(tx Tx) error {
			c, u, n = 0, 0, 0
			for _, r := range part {
				out, err := tx.PutStoredFacts(ctx, r.Facts, now)
				if err != nil {
					return fmt.Errorf("line %d: %w", r.Line, err)
				}
				switch out {
				case ImportCreated:
					c++
				case ImportUpdated:
					u++
				default:
					n++
				}
			}
			return nil
		})
		if err != nil {
			return sum, fmt.Errorf("desk: import facts (records before line %d stored): %w", part[0].Line, err)
		}
		sum.Created, sum.Updated, sum.Unchanged = sum.Created+c, sum.Updated+u, sum.Unchanged+n
	}
	detail := fmt.Sprintf("created=%d updated=%d unchanged=%d bad=%d", sum.Created, sum.Updated, sum.Unchanged, len(sum.Bad))
	s.auditNow(ctx, actor, "facts.import", "", detail)
	return sum, nil
}
