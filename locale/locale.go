// Package locale holds the interface texts in every language offered
// (messages/zh-CN.json, messages/en.json) and turns message keys — the
// domain's error and field-error messages, page labels — into text.
package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed messages/*.json
var files embed.FS

// Languages are the languages offered, the default (Simplified Chinese) first.
var Languages = []string{"zh-CN", "en"}

// Default is the language used when none is chosen.
const Default = "zh-CN"

// Catalog translates message keys.
type Catalog struct {
	loc map[string]*i18n.Localizer
	// plain remembers the texts of keys found without data, by language
	// and key: a page shows dozens of labels, and the messages never change
	// while the program runs. Only existing keys are kept, so it is bounded
	// by the message files.
	plain sync.Map // plainKey → string
}

type plainKey struct{ lang, key string }

// New loads the embedded message files; it returns an error when one of them
// is broken, so a bad build fails at start-up.
func New() (*Catalog, error) {
	b := i18n.NewBundle(language.SimplifiedChinese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{loc: map[string]*i18n.Localizer{}}
	for _, l := range Languages {
		if _, err := b.LoadMessageFileFS(files, "messages/"+l+".json"); err != nil {
			return nil, fmt.Errorf("messages %s: %w", l, err)
		}
		c.loc[l] = i18n.NewLocalizer(b, l)
	}
	return c, nil
}

// T returns the text of key in lang (the default language when lang is not
// offered), with data filled in (a map for named fields). A missing key
// returns the key itself, so that it shows up in tests.
func (c *Catalog) T(lang, key string, data any) string {
	loc, ok := c.loc[lang]
	if !ok {
		lang, loc = Default, c.loc[Default]
	}
	if data == nil {
		if s, ok := c.plain.Load(plainKey{lang, key}); ok {
			return s.(string)
		}
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data})
	if err != nil {
		return key
	}
	if data == nil {
		c.plain.Store(plainKey{lang, key}, s)
	}
	return s
}

// Has reports whether key exists in the default language.
func (c *Catalog) Has(key string) bool {
	_, err := c.loc[Default].Localize(&i18n.LocalizeConfig{MessageID: key})
	return err == nil
}

// Supported returns lang when it is offered, and "" otherwise.
func Supported(lang string) string {
	for _, l := range Languages {
		if l == lang {
			return l
		}
	}
	return ""
}

// Keys returns the message keys that start with one of prefixes, sorted;
// the default language's file holds every key.
func Keys(prefixes ...string) []string {
	b, err := files.ReadFile("messages/" + Default + ".json")
	if err != nil {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	var keys []string
	for k := range m {
		for _, p := range prefixes {
			if strings.HasPrefix(k, p) {
				keys = append(keys, k)
				break
			}
		}
	}
	sort.Strings(keys)
	return keys
}
