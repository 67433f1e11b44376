package catalog

import (
	"bytes"
	_ "embed"
	"sync"

	"github.com/healthcell/healthcell/frequency"
)

//go:embed frequencies.yaml
var frequencyFile []byte

var frequencies = sync.OnceValues(func() ([]frequency.Rule, error) {
	regs, err := Registers()
	if err != nil {
		return nil, err
	}
	kinds := map[string]bool{}
	for _, o := range regs.Get("activities").Field("kind").Options {
		kinds[o.Code] = true
	}
	return frequency.Parse(bytes.NewReader(frequencyFile), kinds)
})

// Frequencies returns the shipped frequency rules of activities
// (frequencies.yaml), parsed and checked against the activity register's
// kinds once; an error naming the rule for a bad file (which the tests
// rule out). Callers must not change the result.
func Frequencies() ([]frequency.Rule, error) { return frequencies() }
