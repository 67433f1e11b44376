package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
)

//go:embed questionnaires/*.yaml
var questionnaireFiles embed.FS

// QuestionnaireFile is the text of one shipped questionnaire file.
type QuestionnaireFile struct {
	Name string // file name, e.g. health-literacy-2020.yaml
	Text []byte // the YAML format of questionnaire/parse.go
}

// Questionnaires returns the shipped questionnaire files in file-name order
// (see questionnaires/README.md); storage parses and validates them. It
// returns an error only when the embedded files cannot be read.
func Questionnaires() ([]QuestionnaireFile, error) {
	names, err := fs.Glob(questionnaireFiles, "questionnaires/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("catalog questionnaires: %w", err)
	}
	out := make([]QuestionnaireFile, 0, len(names))
	for _, name := range names {
		b, err := questionnaireFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("catalog questionnaires %s: %w", path.Base(name), err)
		}
		out = append(out, QuestionnaireFile{Name: path.Base(name), Text: b})
	}
	return out, nil
}
