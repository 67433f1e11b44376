package web

import (
	"html"
	"html/template"
	"strconv"
	"strings"
)

// The public quiz and survey form, written in Go rather than by the template
// (issue 15): html/template spent most of a quiz page's CPU walking the items
// and their options by reflection. The quiz page keeps each item's HTML per
// bank and language (public_quiz_cache.go); a form with answers and errors
// is written item by item with the same functions.

// itemParts returns the HTML of one question around its number: the part
// before it and the part after it.
func itemParts(p Page, it pubItem) (head, tail string) {
	var b strings.Builder
	b.WriteString(`<fieldset id="q-`)
	b.WriteString(html.EscapeString(it.Code))
	b.WriteString(`"`)
	if it.Error != "" {
		b.WriteString(` class="bad"`)
	}
	b.WriteString(`>` + "\n" + `<legend>`)
	head = b.String()
	b.Reset()
	b.WriteString(". ")
	b.WriteString(html.EscapeString(it.Text))
	if it.Multiple {
		b.WriteString(` <span class="hint">`)
		b.WriteString(html.EscapeString(p.T("pub.multiple")))
		b.WriteString(`</span>`)
	}
	b.WriteString("</legend>\n")
	if it.Error != "" {
		b.WriteString(`<p class="err">` + html.EscapeString(it.Error) + "</p>\n")
	}
	kind := "radio"
	if it.Multiple {
		kind = "checkbox"
	}
	code := html.EscapeString(it.Code)
	for _, o := range it.Options {
		label := html.EscapeString(o.Label)
		b.WriteString(`<label class="opt"><input type="` + kind + `" name="a_` + code + `" value="` + label + `" id="a-` + code + `-` + label + `"`)
		if o.Checked {
			b.WriteString(" checked")
		}
		b.WriteString("><span>")
		if o.Label != o.Text {
			b.WriteString(label + ". ")
		}
		b.WriteString(html.EscapeString(o.Text))
		b.WriteString("</span></label>\n")
	}
	b.WriteString("</fieldset>\n")
	return head, b.String()
}

// writeItems writes v's questions with their answers and errors.
func (v *pubFormView) writeItems(b *strings.Builder) {
	for _, it := range v.Items {
		head, tail := itemParts(v.Page, it)
		b.WriteString(head)
		b.WriteString(strconv.Itoa(it.N))
		b.WriteString(tail)
	}
}

// FormHTML is the whole form of v: the drawn items, the questions, the
// optional contact fields, the honeypot and the button. The quiz page's
// cached frame sets v.itemsHTML to a marker in place of the questions.
func (v pubFormView) FormHTML() template.HTML {
	var b strings.Builder
	esc := html.EscapeString
	b.WriteString(`<form method="post" action="` + esc(v.Action) + `" id="pubform">` + "\n")
	if v.Drawn != "" {
		b.WriteString(`<input type="hidden" name="items" value="` + esc(v.Drawn) + `">` + "\n")
	}
	if v.Errors {
		b.WriteString(`<p class="err" id="form-error">` + esc(v.T("pub.fix_errors")) + "</p>\n")
	}
	if v.itemsHTML != "" {
		b.WriteString(v.itemsHTML)
	} else {
		v.writeItems(&b)
	}
	b.WriteString(`<details id="contact"`)
	if v.Name != "" || v.Phone != "" || v.ContactError != "" {
		b.WriteString(" open")
	}
	b.WriteString(">\n<summary>" + esc(v.T("pub.contact")) + "</summary>\n")
	b.WriteString(`<p class="hint">` + esc(v.T("pub.contact_hint")) + "</p>\n")
	if v.ContactError != "" {
		b.WriteString(`<p class="err">` + esc(v.ContactError) + "</p>\n")
	}
	b.WriteString(`<label class="field">` + esc(v.T("pub.name")) + `<input name="name" value="` + esc(v.Name) + `" maxlength="30" autocomplete="name"></label>` + "\n")
	b.WriteString(`<label class="field">` + esc(v.T("pub.phone")) + `<input name="phone" value="` + esc(v.Phone) + `" maxlength="20" inputmode="tel" autocomplete="tel"></label>` + "\n")
	b.WriteString("</details>\n")
	b.WriteString(`<div class="hp" aria-hidden="true"><label>` + esc(v.T("pub.website")) + `<input name="website" tabindex="-1" autocomplete="off"></label></div>` + "\n")
	b.WriteString(`<button type="submit" id="submit">` + esc(v.Submit) + "</button>\n</form>")
	return template.HTML(b.String())
}
