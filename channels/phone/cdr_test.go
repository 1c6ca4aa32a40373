package phone

import (
	"os"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
)

func readFixture(t *testing.T, name, format string) ([]channels.Call, []Problem) {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, bad, err := ReadCDR(f, format, testLine(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	var calls []channels.Call
	for _, r := range recs {
		calls = append(calls, r.Call)
	}
	return calls, bad
}

func TestReadCDRAsterisk(t *testing.T) {
	calls, bad := readFixture(t, "Master.csv", FormatAsterisk)
	if len(calls) != 4 {
		t.Fatalf("got %d calls, want 4: %+v", len(calls), calls)
	}
	want := []struct{ id, dir, customer, agent, state string }{
		{"1764550800.1", "in", "+8613800138000", "801", channels.CallEnded},
		{"1764551400.3", "in", "+862161234567", "", channels.CallMissed},
		{"1764552000.5", "out", "+8613900000001", "801", channels.CallEnded},
		{"1764552600.7", "in", "+8613700000002", "", channels.CallVoicemail},
	}
	for i, w := range want {
		c := calls[i]
		if c.CallID != w.id || c.Direction != w.dir || c.Customer != w.customer || c.Agent != w.agent || c.State != w.state || c.Source != "import" {
			t.Errorf("row %d: %+v, want %+v", i+1, c, w)
		}
	}
	if calls[0].Talk != 180*time.Second || !calls[0].AnsweredAt.Equal(time.Date(2026, 12, 1, 1, 0, 7, 0, time.UTC)) {
		t.Errorf("times of row 1: %+v", calls[0])
	}
	if len(bad) != 3 || bad[0].Line != 5 || bad[1].Line != 6 || bad[2].Line != 7 {
		t.Fatalf("problems %v, want lines 5, 6, 7", bad)
	}
	if !strings.Contains(bad[0].Err, "columns") || !strings.Contains(bad[1].Err, "start") || !strings.Contains(bad[2].Err, "disposition") {
		t.Errorf("problems %v", bad)
	}
}

func TestReadCDRFreeSWITCH(t *testing.T) {
	calls, bad := readFixture(t, "cdr_freeswitch.csv", FormatFreeSWITCH)
	if len(calls) != 3 || len(bad) != 1 || bad[0].Line != 4 {
		t.Fatalf("calls %d, problems %v", len(calls), bad)
	}
	if c := calls[0]; c.Direction != "in" || c.Agent != "801" || c.State != channels.CallEnded || c.Talk != 120*time.Second {
		t.Errorf("row 1: %+v", c)
	}
	if c := calls[1]; c.State != channels.CallMissed || c.Customer != "+8613900000001" || c.Ours != "+864008001234" {
		t.Errorf("row 2: %+v", c)
	}
	if c := calls[2]; c.Direction != "out" || c.Agent != "802" || c.Customer != "+8613700000002" {
		t.Errorf("row 3: %+v", c)
	}
}

func TestReadCDRGeneric(t *testing.T) {
	calls, bad := readFixture(t, "cdr_generic.csv", FormatGeneric)
	if len(calls) != 2 || len(bad) != 2 || bad[0].Line != 4 || bad[1].Line != 5 {
		t.Fatalf("calls %+v, problems %v", calls, bad)
	}
	if calls[0].Disposition != `=HYPERLINK("x")` || calls[0].At.IsZero() {
		t.Errorf("row 1: %+v", calls[0])
	}
	if _, _, err := ReadCDR(strings.NewReader(""), "csv-ish", testLine(t, "")); err == nil {
		t.Error("unknown format accepted")
	}
}
