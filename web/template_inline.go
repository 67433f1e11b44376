package web

import (
	"html/template"
	"regexp"
	"strconv"
	"strings"
)

// Templates are parsed once per language, with every translation of a
// constant key — {{.T "key"}}, {{$.T "key"}}, {{.Page.T "key"}},
// {{$.Page.T "key"}} — already filled in. A page shows dozens of labels, and
// each such action cost a method look-up and a call through reflection plus
// an escaping function at every request; on a village page they were a
// large part of the template's time.
//
// The result is the same page byte for byte:
//   - in HTML text (outside any tag, and not inside <script> or <style>)
//     the action becomes text, escaped as html/template escapes a string in
//     text (and in <title> and <textarea>, which escape alike);
//   - anywhere else (an attribute, a URL, a script) it becomes the string
//     constant {{"…"}}, which html/template escapes for its context exactly
//     as it escaped the method's result.
//
// Every Page.T with a constant key and no data depends only on the language
// (Catalog.T), which is what makes this exact. TestInlinedTranslations
// renders pages with and without it and compares them.

// constantT matches a translation of a constant key without data.
var constantT = regexp.MustCompile(`\{\{(\$?(?:\.Page)?)\.T ("(?:[^"\\\n]|\\.)*")\}\}`)

// inlineTranslations returns src with every constantT action replaced by its
// translation, t(key). An action whose key does not unquote, or whose text
// would contain template delimiters, is left as it was.
func inlineTranslations(src string, t func(key string) string) string {
	var b strings.Builder
	b.Grow(len(src))
	last := 0
	for _, site := range translationSites(src) {
		b.WriteString(src[last:site.start])
		last = site.end
		text := t(site.key)
		switch {
		case strings.Contains(text, "{{") || strings.Contains(text, "}}"):
			b.WriteString(src[site.start:site.end])
		case site.inText:
			b.WriteString(escapeText(text))
		default:
			b.WriteString(`{{` + strconv.Quote(text) + `}}`)
		}
	}
	b.WriteString(src[last:])
	return b.String()
}

// translationSite is a constantT action in a template's source.
type translationSite struct {
	start, end int    // the action's bytes, from "{{" to "}}"
	key        string // the message key
	inText     bool   // the action stands in HTML text
}

// translationSites returns the constantT actions of src whose key
// unquotes, in order.
func translationSites(src string) []translationSite {
	var out []translationSite
	var ctx textContext
	last := 0
	for _, m := range constantT.FindAllStringSubmatchIndex(src, -1) {
		ctx.scan(src[last:m[0]])
		last = m[0]
		key, err := strconv.Unquote(src[m[4]:m[5]])
		if err != nil {
			continue
		}
		out = append(out, translationSite{start: m[0], end: m[1], key: key, inText: ctx.isText()})
	}
	return out
}

// textContext follows, roughly but conservatively, whether the template
// source read so far ends in HTML text. It looks only at the text between
// actions; anything it is unsure of counts as not text.
type textContext struct {
	inAction bool // inside {{ … }}
	inTag    bool // after a '<' that starts a tag, before its '>'
	raw      bool // inside <script> or <style>
	comment  bool // inside <!-- … -->
}

// scan advances over s.
func (c *textContext) scan(s string) {
	for i := 0; i < len(s); i++ {
		switch {
		case c.inAction:
			if strings.HasPrefix(s[i:], "}}") {
				c.inAction = false
				i++
			}
		case strings.HasPrefix(s[i:], "{{"):
			c.inAction = true
			i++
		case c.comment:
			if strings.HasPrefix(s[i:], "-->") {
				c.comment = false
				i += 2
			}
		case c.inTag:
			if s[i] == '>' {
				c.inTag = false
			}
		case strings.HasPrefix(s[i:], "<!--"):
			c.comment = true
			i += 3
		case s[i] == '<':
			rest := strings.ToLower(s[i+1:])
			switch {
			case strings.HasPrefix(rest, "script"), strings.HasPrefix(rest, "style"):
				c.raw = true
			case strings.HasPrefix(rest, "/script"), strings.HasPrefix(rest, "/style"):
				c.raw = false
			}
			c.inTag = true
		}
	}
}

// isText reports whether the source read so far surely ends in HTML text.
func (c *textContext) isText() bool {
	return !c.inAction && !c.inTag && !c.raw && !c.comment
}

// textEscaper is html/template escaping a string in HTML text.
var textEscaper = template.Must(template.New("text").Parse(`{{.}}`))

// escapeText returns s escaped as html/template escapes a string in text.
func escapeText(s string) string {
	var b strings.Builder
	if err := textEscaper.Execute(&b, s); err != nil {
		panic(err) // executing {{.}} on a string does not fail
	}
	return b.String()
}
