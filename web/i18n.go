package web

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages offered, the first being the default.
var languages = []string{"zh-CN", "en"}

// translator turns message keys into text in one of the languages, from the
// embedded files web/i18n/*.json.
type translator struct {
	loc map[string]*i18n.Localizer
}

func newTranslator() (*translator, error) {
	b := i18n.NewBundle(language.SimplifiedChinese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	t := &translator{loc: map[string]*i18n.Localizer{}}
	for _, l := range languages {
		if _, err := b.LoadMessageFileFS(i18nFS, "i18n/"+l+".json"); err != nil {
			return nil, fmt.Errorf("messages %s: %w", l, err)
		}
		t.loc[l] = i18n.NewLocalizer(b, l)
	}
	return t, nil
}

// T returns the text of key in lang, with data filled in (a map for named
// fields). A missing key returns the key itself so that it shows up in tests.
func (t *translator) T(lang, key string, data any) string {
	loc, ok := t.loc[lang]
	if !ok {
		loc = t.loc[languages[0]]
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data})
	if err != nil {
		return key
	}
	return s
}

// has reports whether key exists in the default language.
func (t *translator) has(key string) bool {
	_, err := t.loc[languages[0]].Localize(&i18n.LocalizeConfig{MessageID: key})
	return err == nil
}

// langOf returns the request's language: the lang cookie when it names one
// we offer, otherwise Chinese (the users' language, whatever the browser says).
func langOf(r *http.Request) string {
	if c, err := r.Cookie("lang"); err == nil {
		for _, l := range languages {
			if c.Value == l {
				return l
			}
		}
	}
	return languages[0]
}
