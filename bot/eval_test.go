package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"huiliu/bot"
)

// TestEvalSet runs the committed evaluation set (bot/testdata/eval) and
// guards it: at least 90 % of the expected decisions, and not one fact
// disclosed before verification.
func TestEvalSet(t *testing.T) {
	t.Parallel()
	r := newFullRig(t)
	ctx := context.Background()
	qs := readJSONL[bot.EvalQuestion](t, "questions.jsonl")
	ds := readJSONL[bot.EvalDialogue](t, "dialogues.jsonl")
	if len(qs) < 120 || len(ds) < 10 {
		t.Fatalf("%d questions and %d dialogues; want at least 120 and 10", len(qs), len(ds))
	}
	var out bytes.Buffer
	phones := map[string]string{"C10023": "13800138001", "C10024": "13800138002"}
	ev := &bot.Evaluator{Engine: r.eng, Run: "test", Out: &out, CodeFor: func(_ context.Context, no string) (string, error) {
		if c := r.codes.of(phones[no]); c != "" {
			return c, nil
		}
		return "", fmt.Errorf("no code sent to %s", no)
	}}
	if err := ev.Questions(ctx, qs); err != nil {
		t.Fatal(err)
	}
	if err := ev.Dialogues(ctx, ds); err != nil {
		t.Fatal(err)
	}
	tot := ev.Totals
	for _, line := range bytes.Split(out.Bytes(), []byte("\n")) {
		var res bot.EvalResult
		if json.Unmarshal(line, &res) == nil && res.OK != nil && !*res.OK {
			t.Logf("miss %s/%d %q: want %s, got %s", res.ID, res.Turn, res.Text, res.Expect, line)
		}
	}
	score := float64(tot.Right) / float64(tot.Expected)
	t.Logf("bot eval: %d/%d right (%.1f %%), by decision %v, early disclosures %d", tot.Right, tot.Expected, 100*score, tot.ByDecision, tot.EarlyDisclosures)
	if tot.EarlyDisclosures != 0 {
		t.Errorf("%d facts disclosed before verification", tot.EarlyDisclosures)
	}
	if score < 0.9 {
		t.Errorf("score %.1f %% below the 90 %% floor", 100*score)
	}
	for _, k := range bot.Kinds {
		if tot.ByDecision[string(k)] == 0 {
			t.Errorf("the eval set never produced decision %s", k)
		}
	}
}

func readJSONL[T any](t *testing.T, name string) []T {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "eval", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := bot.ReadJSONL[T](f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}
