package catalog

import (
	_ "embed"
	"fmt"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed articles/categories.yaml
var articleCategoryFile []byte

// ArticleCategory is one category of the public health-knowledge articles.
type ArticleCategory struct {
	Code string `yaml:"code"`
	Zh   string `yaml:"zh"`
	En   string `yaml:"en"`
}

// Name is the category's name in lang ("en" or Chinese otherwise).
func (c ArticleCategory) Name(lang string) string {
	if lang == "en" {
		return c.En
	}
	return c.Zh
}

var articleCategories = sync.OnceValues(func() ([]ArticleCategory, error) {
	var out []ArticleCategory
	if err := yaml.Unmarshal(articleCategoryFile, &out); err != nil {
		return nil, fmt.Errorf("catalog articles/categories.yaml: %w", err)
	}
	seen := map[string]bool{}
	for i, c := range out {
		if c.Code == "" || c.Zh == "" || c.En == "" || seen[c.Code] {
			return nil, fmt.Errorf("catalog articles/categories.yaml: entry %d: code, zh and en are required and codes unique", i+1)
		}
		seen[c.Code] = true
	}
	return out, nil
})

// ArticleCategories returns the shipped article categories in display
// order, parsed once; an error for a bad file (which the tests rule out).
// Callers must not change the result.
func ArticleCategories() ([]ArticleCategory, error) { return articleCategories() }

// IsArticleCategory reports whether code is a shipped article category.
func IsArticleCategory(code string) bool {
	cats, err := ArticleCategories()
	if err != nil {
		return false
	}
	for _, c := range cats {
		if c.Code == code {
			return true
		}
	}
	return false
}
