package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestCellDefusesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1":             "'=1+1",
		"+86 138":          "'+86 138",
		"-2":               "'-2",
		"@SUM(A1)":         "'@SUM(A1)",
		"\tx":              "'\tx",
		"\rx":              "'\rx",
		"":                 "",
		"你好 =1":            "你好 =1",
		"'already":         "'already",
		"HYPERLINK(\"x\")": "HYPERLINK(\"x\")",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	var b bytes.Buffer
	rows := [][]string{{"1", "=HYPERLINK(\"http://evil\",\"点我\")"}, {"2", "line one\nline \"two\", three"}}
	if err := CSV(&b, []string{"seq", "text"}, rows); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, bom) {
		t.Fatalf("no byte-order mark: %q", out)
	}
	got, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, bom))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[1][1] != "'"+rows[0][1] || got[2][1] != rows[1][1] {
		t.Fatalf("read back %q", got)
	}
	if err := CSV(&b, []string{"a"}, [][]string{{"1", "2"}}); err == nil {
		t.Fatal("a row wider than the header was written")
	}
}
