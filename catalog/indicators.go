package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/indicator"
)

//go:embed indicators/*.yaml
var indicatorFiles embed.FS

var indicators = sync.OnceValues(func() ([]*healthcell.Indicator, error) {
	regs, err := Registers()
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(indicatorFiles, "indicators")
	if err != nil {
		return nil, err
	}
	inds, err := indicator.LoadDir(sub, indicator.NewSources(regs))
	if err != nil {
		return nil, fmt.Errorf("catalog indicators: %w", err)
	}
	return inds, nil
})

// Indicators returns the shipped indicators (indicators/*.yaml), parsed and
// checked against the registers once. A bad file (which the tests rule
// out) gives an error naming it. Callers must not change the result.
func Indicators() ([]*healthcell.Indicator, error) { return indicators() }
