package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKBImportExportCommands(t *testing.T) {
	env := browserEnv(t, false)
	demo := filepath.Join("..", "..", "kb", "demo")
	out, errOut, code := huiliu(t, env, "", "kb", "import", demo)
	if code != 0 || !strings.HasPrefix(out, "created 42, updated 0, unchanged 0, failed 0\n") || !strings.Contains(out, "created deposit-refund.md") {
		t.Fatalf("first import: %d %q %s", code, out, errOut)
	}
	out, _, code = huiliu(t, env, "", "kb", "import", demo)
	if code != 0 || out != "created 0, updated 0, unchanged 42, failed 0\n" {
		t.Fatalf("second import: %d %q", code, out)
	}
	dir := t.TempDir()
	out, _, code = huiliu(t, env, "", "kb", "export", dir)
	if code != 0 || out != "exported 42 articles to "+dir+"\n" {
		t.Fatalf("export: %d %q", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "categories.yaml")); err != nil {
		t.Errorf("no categories.yaml: %v", err)
	}
	// One changed file, one broken file: the summary names both and the
	// command fails.
	p := filepath.Join(dir, "late-fee.md")
	data, _ := os.ReadFile(p)
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), "罚息", "罚息（日息）", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.md"), []byte("no front matter"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = huiliu(t, env, "", "kb", "import", dir)
	if code != 1 || !strings.HasPrefix(out, "created 0, updated 1, unchanged 41, failed 1\n") ||
		!strings.Contains(out, "updated late-fee.md") || !strings.Contains(out, "failed broken.md: no front matter") {
		t.Errorf("import with an edit and a broken file: %d %q %s", code, out, errOut)
	}
	if _, _, code := huiliu(t, env, "", "kb", "import"); code != 2 {
		t.Errorf("kb import without DIR: exit %d, want 2", code)
	}
	if _, _, code := huiliu(t, env, "", "kb", "import", filepath.Join(dir, "nope")); code != 2 {
		t.Errorf("kb import of a missing directory: exit %d, want 2", code)
	}
}
