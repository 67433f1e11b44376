package workflow_test

import (
	"os"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

// FuzzLoad: Load never panics, and either returns a machine or an EINVALID
// error with at least one field error.
func FuzzLoad(f *testing.F) {
	f.Add(base)
	if b, err := os.ReadFile("../catalog/workflows/creation.yaml"); err == nil {
		f.Add(string(b))
	}
	f.Add("initial: a\nstates: &s [{code: a, zh: 甲, en: A}]\ntransitions: *s\n")
	f.Fuzz(func(t *testing.T, text string) {
		m, err := workflow.Load(strings.NewReader(text))
		if err != nil {
			if healthcell.ErrorCode(err) != healthcell.EINVALID || len(healthcell.ErrorFields(err)) == 0 {
				t.Fatalf("Load: %v", err)
			}
			return
		}
		for _, s := range m.States() {
			m.Available(s.Code, workflow.Context{Actor: healthcell.SystemActor})
		}
	})
}
