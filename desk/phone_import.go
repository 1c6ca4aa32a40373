package desk

import (
	"context"
	"fmt"

	"huiliu/channels"
)

// CallImportSummary is what an import of call-detail records did.
type CallImportSummary struct {
	Imported  int `json:"imported"`
	Unchanged int `json:"unchanged"`
	// Bad lists rows the parser or the desk refused, by their line.
	Bad []ImportProblem `json:"bad"`
}

// ImportCalls stores imported call records (admins only; the command
// line acts as no agent). Each record is one call event committed on its
// own, idempotent like any other, so re-importing a file changes nothing
// and a refused record is reported and skipped whole. lines holds each
// record's line in the file, for the report.
func (s *Service) ImportCalls(ctx context.Context, actor Actor, calls []channels.Call, lines []int, bad []ImportProblem) (CallImportSummary, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return CallImportSummary{}, err
	}
	sum := CallImportSummary{Bad: append([]ImportProblem{}, bad...)}
	for i, c := range calls {
		rc, err := s.RecordCall(ctx, c)
		switch {
		case CodeOf(err) == CodeInvalid:
			sum.Bad = append(sum.Bad, ImportProblem{Line: lines[i], Error: err.Error()})
		case err != nil:
			return sum, fmt.Errorf("desk: import of call %s: %w", c.CallID, err)
		case rc.Duplicate:
			sum.Unchanged++
		default:
			sum.Imported++
		}
	}
	if err := s.store.Tx(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, actor, "phone.import", "", fmt.Sprintf("%d imported, %d unchanged, %d bad", sum.Imported, sum.Unchanged, len(sum.Bad)))
	}); err != nil {
		return sum, fmt.Errorf("desk: import of calls: %w", err)
	}
	return sum, nil
}
