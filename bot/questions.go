package bot

import (
	"bytes"
	_ "embed"
)

//go:embed testdata/eval/questions.jsonl
var evalQuestions []byte

// SampleQuestions are the evaluation set's questions, built in for
// `huiliu bench bot` (and a quick `huiliu bot eval` without files).
func SampleQuestions() []EvalQuestion {
	qs, err := ReadJSONL[EvalQuestion](bytes.NewReader(evalQuestions))
	if err != nil {
		panic(err) // TestEvalSet reads the same file
	}
	return qs
}
