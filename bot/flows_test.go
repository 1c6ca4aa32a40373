package bot

import (
	"strings"
	"testing"
)

func TestDefaultFlowsAreValid(t *testing.T) {
	fl, err := ParseFlows(DefaultFlowsTOML())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"verify_identity", "repayment_plan", "deposit_status", "agent_check", "complaint", "callback"} {
		if _, ok := fl.Get(id); !ok {
			t.Errorf("default flow %s missing", id)
		}
	}
	if f, _ := fl.Get("repayment_plan"); f.DueIn().Hours() != 24 || len(f.Steps) != 3 || len(f.Steps[0].Choices) != 3 {
		t.Errorf("repayment_plan parsed wrong: %+v", f)
	}
}

func TestParseFlowsReportsEveryProblem(t *testing.T) {
	doc := `
[[flow]]
id = "Bad Id"
action = "explode"
[flow.done]
en = "x"
[[flow]]
id = "b"
action = "facts"
fact = "password"
verify = 9
colour = "red"
[flow.done]
"zh-CN" = "a"
"zh-TW" = "b"
en = "c"
[flow.task]
due = "1s"
priority = "asap"
`
	_, err := ParseFlows([]byte(doc))
	if err == nil {
		t.Fatal("invalid flows accepted")
	}
	for _, want := range []string{`id "Bad Id"`, `action "explode"`, "missing zh-CN", `fact "password"`, "verify 9",
		"unknown key flow.colour", `task.due "1s"`, `task.priority "asap"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	for _, in := range []string{"", "[[flow]]\nid = 'a'\n[[flow]]\nid = 'a'", "not toml ===", "\x00"} {
		if _, err := ParseFlows([]byte(in)); err == nil {
			t.Errorf("accepted %q", in)
		}
	}
}

func FuzzParseFlows(f *testing.F) {
	f.Add(DefaultFlowsTOML())
	f.Add([]byte("[[flow]]\nid = \"a\"\n[flow.done]\nen = \"x\""))
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, err := ParseFlows(data)
		if err != nil {
			return
		}
		// Whatever it accepts is usable: every flow has its texts.
		for _, fw := range fl.List {
			for _, l := range Languages {
				if fw.Done.In(l) == "" {
					t.Fatalf("flow %s accepted without done text in %s", fw.ID, l)
				}
			}
		}
	})
}
