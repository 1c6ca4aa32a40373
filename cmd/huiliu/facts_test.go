package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huiliu/store/storetest"
)

func TestFactsImportCommandIsIdempotentAndNamesBadLines(t *testing.T) {
	cfg := storetest.Config(t)
	env := []string{"HUILIU_DATA=" + cfg.DataDir, "DATABASE_URL=" + cfg.URL}
	if cfg.DataDir == "" {
		env[0] = "HUILIU_DATA=" + t.TempDir()
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "customers.csv")
	csv := "customer_no,name,phone,contract_no,kind,balance,next_due_date\n" +
		"C-1,王芳,13800138001,HT-1,loan,1234.50,2026-12-05\n" +
		"C-1,王芳,13800138001,ZL-1,rental,200,\n" +
		"C-2,李四,,HT-2,lease,1,\n" +
		"C-3,赵六,,,,,\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := huiliu(t, env, "", "facts", "import", file)
	if code != 0 || !strings.Contains(out, "2 created, 0 updated, 0 unchanged, 1 bad") || !strings.Contains(out, `line 4 C-2: kind "lease": want rental or loan`) {
		t.Fatalf("first import: exit %d\n%s%s", code, out, stderr)
	}
	out, _, code = huiliu(t, env, "", "facts", "import", file)
	if code != 0 || !strings.Contains(out, "0 created, 0 updated, 2 unchanged, 1 bad") {
		t.Fatalf("second import: exit %d\n%s", code, out)
	}
	bad := filepath.Join(dir, "customers.txt")
	if err := os.WriteFile(bad, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := huiliu(t, env, "", "facts", "import", bad); code != 2 || !strings.Contains(stderr, "--format") {
		t.Fatalf("unknown format: exit %d %s", code, stderr)
	}
	if _, stderr, code := huiliu(t, env, "", "facts", "import", "--format", "json", bad); code == 0 || !strings.Contains(stderr, "array of customer records") {
		t.Fatalf("not JSON: exit %d %s", code, stderr)
	}
}

func TestFactsConfigIsChecked(t *testing.T) {
	dir := t.TempDir()
	write := func(body string) string {
		p := filepath.Join(dir, "huiliu.toml")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for body, want := range map[string]string{
		"facts_url = \"https://facts.example.com\"\n":                                               "exactly one of facts_secret",
		"facts_secret = \"0123456789abcdef\"\n":                                                     "facts_url is empty",
		"[verification]\npolicy = { balance = 7 }\n":                                                "level of balance",
		"[verification]\npolicy = { salary = 1 }\n":                                                 "unknown fact",
		"facts_url = \"https://facts.example.com\"\nfacts_secret = \"s\"\nfacts_timeout = \"5m\"\n": "facts_timeout",
	} {
		_, err := loadArgs(t, "--config", write(body))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", body, err, want)
		}
	}
	c, err := loadArgs(t, "--config", write("facts_url = \"https://facts.example.com\"\nfacts_secret = \"0123456789abcdef\"\nfacts_cache = \"30s\"\n[verification]\nverified_for = \"45m\"\npolicy = { balance = 1 }\n"))
	if err != nil || c.FactsURL != "https://facts.example.com" || c.Verification.Policy["balance"] != 1 || c.Verification.VerifiedFor.Minutes() != 45 || c.FactsCache.Seconds() != 30 {
		t.Fatalf("%+v %v", c, err)
	}
	var b strings.Builder
	if err := c.print(&b); err != nil || strings.Contains(b.String(), "0123456789abcdef") {
		t.Fatalf("printed secret: %s %v", b.String(), err)
	}
}
