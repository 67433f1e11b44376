package questionnaire

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
)

// FuzzParse checks that Parse never panics, that every failure is an EINVALID
// *healthcell.Error, and that a questionnaire it accepts scores its own key
// at full marks and passes Check with it. Run with
// go test -run '^$' -fuzz FuzzParse -fuzztime 30s ./questionnaire
func FuzzParse(f *testing.F) {
	names, _ := filepath.Glob("../catalog/questionnaires/*.yaml")
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(string(b))
		}
	}
	f.Add(doc(oneItem...))
	f.Add(doc("items:", "  - {code: m, type: multiple, text: 题, options: {A: a, B: b, C: c}, answer: [A, C], scenario: S1}",
		"scenarios: [{code: S1, text: 干}]", "parts: [{code: knowledge, pass_rate: 1}]", "age: {min: 1, max: 2}"))
	f.Add("a: &x [*x]\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		q, err := Parse(strings.NewReader(text))
		if err != nil {
			var he *healthcell.Error
			if !errors.As(err, &he) || he.Code != healthcell.EINVALID || len(he.Fields) == 0 {
				t.Fatalf("error is not EINVALID with fields: %v", err)
			}
			return
		}
		a := keyAnswers(q)
		if r := q.Score(a); r.Total != r.Max || r.Max != q.TotalPoints || !r.Passed {
			t.Fatalf("key answers: %+v", r)
		}
		if err := q.Check(a); err != nil {
			t.Fatalf("key answers fail Check: %v", err)
		}
	})
}
