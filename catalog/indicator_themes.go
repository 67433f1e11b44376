package catalog

import (
	"bytes"
	_ "embed"
	"fmt"
	"regexp"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed indicator_themes.yaml
var themesFile []byte

// Theme is a theme of the indicator dashboard (indicator_themes.yaml): the
// indicators whose group is Code are shown under it.
type Theme struct {
	Code string `yaml:"code"`
	Zh   string `yaml:"zh"`
	En   string `yaml:"en"`
	// Bulletin puts the theme's indicators in every bulletin (通报), per
	// township, for the campaign's year (the outreach reach of issue 15).
	Bulletin bool `yaml:"bulletin"`
}

// Name returns the theme's name in lang ("en" or Chinese).
func (t Theme) Name(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Zh
}

var themeCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// parseThemes reads a themes file: a list of distinct codes, each with a
// Chinese name. It returns an error naming the entry at fault.
func parseThemes(b []byte) ([]Theme, error) {
	var out []Theme
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("indicator_themes.yaml: %w", err)
	}
	seen := map[string]bool{}
	for i, t := range out {
		switch {
		case !themeCode.MatchString(t.Code):
			return nil, fmt.Errorf("indicator_themes.yaml: theme %d: bad code %q", i+1, t.Code)
		case seen[t.Code]:
			return nil, fmt.Errorf("indicator_themes.yaml: theme %d: code %q twice", i+1, t.Code)
		case t.Zh == "":
			return nil, fmt.Errorf("indicator_themes.yaml: theme %q has no Chinese name", t.Code)
		}
		seen[t.Code] = true
	}
	return out, nil
}

var themes = sync.OnceValues(func() ([]Theme, error) { return parseThemes(themesFile) })

// IndicatorThemes returns the dashboard's themes in display order, parsed
// once; an error for a bad file (which the tests rule out). Callers must
// not change the result.
func IndicatorThemes() ([]Theme, error) { return themes() }
