// Package workflows holds the workflow files shipped inside the binary:
// creation.yaml, the creation workflow of a healthy-cell application (see
// package workflow for the format).
package workflows

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/healthcell/healthcell/workflow"
)

//go:embed creation.yaml
var creation []byte

// Creation returns the shipped creation workflow. A bad file (which the
// tests rule out) gives an error naming it that wraps the EINVALID error
// with the lines at fault.
func Creation() (*workflow.Machine, error) {
	m, err := workflow.Load(bytes.NewReader(creation))
	if err != nil {
		return nil, fmt.Errorf("catalog workflows creation.yaml: %w", err)
	}
	return m, nil
}
