// Package export writes tables for people to open in spreadsheets: CSV
// with a byte-order mark (so Excel reads UTF-8 Chinese) and every cell that
// a spreadsheet would take for a formula defused. Any export of the desk
// (transcripts today, reports later) writes through it. It masks nothing
// itself: callers hand it what the reader may see.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// bom makes spreadsheet programs read the file as UTF-8.
const bom = "\ufeff"

// Cell defuses a value a spreadsheet would evaluate: a value starting
// with = + - @, a tab or a carriage return gets a leading apostrophe, which
// spreadsheets show as text and do not display. Other values are unchanged.
// (CSV injection: a customer writing "=HYPERLINK(…)" into a chat must not
// become a live formula on a supervisor's machine.)
func Cell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// CSV writes header and rows as CSV (RFC 4180, CRLF line ends) after a
// byte-order mark, each cell through Cell. Every row must have as many
// cells as the header.
func CSV(w io.Writer, header []string, rows [][]string) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	line := make([]string, len(header))
	for i, r := range append([][]string{header}, rows...) {
		if len(r) != len(header) {
			return fmt.Errorf("export: row %d has %d cells, the header %d", i, len(r), len(header))
		}
		for j, v := range r {
			line[j] = Cell(v)
		}
		if err := cw.Write(line); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
