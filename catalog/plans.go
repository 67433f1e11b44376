package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
)

//go:embed plans/*.yaml
var planFiles embed.FS

// PlanTemplateFile is the text of one shipped plan template.
type PlanTemplateFile struct {
	Name string // file name, e.g. 1-healthy-village-county.yaml
	Text []byte // the YAML format of package plantemplate
}

// PlanTemplates returns the shipped plan templates in file-name order
// (plantemplate parses them). It returns an error only when the embedded
// files cannot be read.
func PlanTemplates() ([]PlanTemplateFile, error) {
	names, err := fs.Glob(planFiles, "plans/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("catalog plans: %w", err)
	}
	out := make([]PlanTemplateFile, 0, len(names))
	for _, name := range names {
		b, err := planFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("catalog plans %s: %w", path.Base(name), err)
		}
		out = append(out, PlanTemplateFile{Name: path.Base(name), Text: b})
	}
	return out, nil
}
