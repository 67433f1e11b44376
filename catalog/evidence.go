package catalog

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed evidence.yaml
var evidenceFile []byte

// EvidenceRules are the thresholds of evidence flags (evidence.yaml).
type EvidenceRules struct {
	// PhotoDateToleranceDays: a photo taken further than this from its
	// activity's date is flagged.
	PhotoDateToleranceDays int `yaml:"photo_date_tolerance_days"`
}

var evidenceRules = sync.OnceValues(func() (EvidenceRules, error) {
	var r EvidenceRules
	dec := yaml.NewDecoder(bytes.NewReader(evidenceFile))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		return r, fmt.Errorf("catalog evidence.yaml: %w", err)
	}
	if r.PhotoDateToleranceDays <= 0 {
		return r, fmt.Errorf("catalog evidence.yaml: photo_date_tolerance_days must be positive")
	}
	return r, nil
})

// Evidence returns the shipped evidence rules, parsed once; an error for a
// bad file (which the tests rule out).
func Evidence() (EvidenceRules, error) { return evidenceRules() }
