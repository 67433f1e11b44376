package officedoc

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// body writes the inside of <w:body>: head, blocks, closing block and the
// section properties.
type body struct {
	b        strings.Builder
	counters [4]int // heading counts per level 1–3
	cellSize string // run properties of the table being written: its type size
}

// esc writes s as XML character data. Characters XML cannot hold become
// U+FFFD; tabs become spaces.
func (w *body) esc(s string) {
	for _, r := range s {
		switch {
		case r == '<':
			w.b.WriteString("&lt;")
		case r == '>':
			w.b.WriteString("&gt;")
		case r == '&':
			w.b.WriteString("&amp;")
		case r == '"':
			w.b.WriteString("&quot;")
		case r == '\t':
			w.b.WriteByte(' ')
		case r == '\n' || r == '\r':
			w.b.WriteByte(' ')
		case !validXMLChar(r):
			w.b.WriteRune('\uFFFD')
		default:
			w.b.WriteRune(r)
		}
	}
}

// validXMLChar reports whether r may appear in an XML 1.0 document.
func validXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// run writes one run of text with optional run properties (raw XML).
func (w *body) run(rpr, text string) {
	w.b.WriteString("<w:r>")
	if rpr != "" {
		w.b.WriteString("<w:rPr>" + rpr + "</w:rPr>")
	}
	w.b.WriteString(`<w:t xml:space="preserve">`)
	w.esc(text)
	w.b.WriteString("</w:t></w:r>")
}

// lines writes text as runs separated by line breaks at each "\n".
func (w *body) lines(rpr, text string) {
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if i > 0 {
			w.b.WriteString("<w:r><w:br/></w:r>")
		}
		w.run(rpr, line)
	}
}

// para writes one paragraph with the style, extra paragraph properties and
// one text (line breaks kept).
func (w *body) para(style, ppr, rpr, text string) {
	w.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>` + ppr + `</w:pPr>`)
	if text != "" {
		w.lines(rpr, text)
	}
	w.b.WriteString("</w:p>")
}

func (w *body) empty() { w.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr></w:p>`) }

func eastAsia(font string) string {
	return `<w:rFonts w:ascii="` + fontLatin + `" w:hAnsi="` + fontLatin + `" w:eastAsia="` + font + `" w:cs="` + fontLatin + `"/>`
}

func (w *body) head(d Document) {
	if d.Number != "" {
		w.para("DocNumber", "", "", d.Number)
		w.empty()
	}
	w.para("DocTitle", "", "", d.Title)
	w.empty()
	if d.Recipients != "" {
		w.para("Normal", `<w:ind w:firstLine="0"/>`, "", d.Recipients+"：")
	}
}

func (w *body) heading(h Heading) {
	w.counters[h.Level]++
	for l := h.Level + 1; l < len(w.counters); l++ {
		w.counters[l] = 0
	}
	w.para("Heading"+strconv.Itoa(h.Level), "", "", headingNumber(h.Level, w.counters[h.Level])+h.Text)
}

func (w *body) paragraph(p Paragraph) {
	if len(p.Runs) > 0 {
		// "\n" starts a new paragraph: a line break in a justified
		// paragraph would spread the words of its line across the page.
		const open = `<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr>`
		w.b.WriteString(open)
		for _, r := range p.Runs {
			rpr := ""
			if r.Bold || p.Bold {
				rpr = "<w:b/><w:bCs/>"
			}
			for i, part := range strings.Split(strings.ReplaceAll(r.Text, "\r\n", "\n"), "\n") {
				if i > 0 {
					w.b.WriteString("</w:p>" + open)
				}
				if part != "" {
					w.run(rpr, part)
				}
			}
		}
		w.b.WriteString("</w:p>")
		return
	}
	rpr := ""
	if p.Bold {
		rpr = "<w:b/><w:bCs/>"
	}
	for _, line := range strings.Split(strings.ReplaceAll(p.Text, "\r\n", "\n"), "\n") {
		w.para("Normal", "", rpr, line)
	}
}

// columnWidths splits the type area among n columns by the relative widths,
// in whole twips that add up to textWidth.
func columnWidths(n int, rel []float64) []int {
	if len(rel) != n {
		rel = nil
	}
	total := 0.0
	for _, r := range rel {
		total += r
	}
	out := make([]int, n)
	used := 0
	for i := range out {
		if rel == nil || total <= 0 {
			out[i] = textWidth / n
		} else {
			out[i] = int(math.Floor(float64(textWidth) * rel[i] / total))
		}
		used += out[i]
	}
	out[n-1] += textWidth - used
	return out
}

// contentWidths returns relative column widths from the content: the
// widest cell of each column in characters, at least 2 and at most 14, so
// that short figures take little room and text columns wrap.
func contentWidths(t Table) []float64 {
	out := make([]float64, len(t.Header))
	for i, h := range t.Header {
		out[i] = cellWidthChars(h)
	}
	for _, row := range t.Rows {
		for i, c := range row {
			if wd := cellWidthChars(c); wd > out[i] {
				out[i] = wd
			}
		}
	}
	for i := range out {
		out[i] = math.Min(math.Max(out[i], 2), 14) + 1 // one for the cell margins
	}
	return out
}

// numeric reports whether a cell holds a figure (digits, %, signs, dots,
// slashes), which is centred; other text is set flush left.
func numeric(s string) bool {
	if s == "" {
		return true
	}
	for _, r := range s {
		if !unicode.IsDigit(r) && !strings.ContainsRune("%％.+-−/—～~ ", r) {
			return false
		}
	}
	return true
}

func (w *body) cell(width int, text, jc, rpr string) {
	fmt.Fprintf(&w.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`, width)
	w.para("TableText", `<w:jc w:val="`+jc+`"/>`, rpr+w.cellSize, text)
	w.b.WriteString("</w:tc>")
}

func (w *body) table(t Table) {
	if t.Caption != "" {
		w.para("TableCaption", "", "", t.Caption)
	}
	rel := t.Widths
	if len(rel) != len(t.Header) {
		rel = contentWidths(t)
	}
	widths := columnWidths(len(t.Header), rel)
	size := sizeTable
	if len(t.Header) > compactColumns {
		size = sizeTableSmall
	}
	w.cellSize = fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, size, size)
	w.b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + strconv.Itoa(textWidth) + `" w:type="dxa"/><w:jc w:val="center"/>`)
	w.b.WriteString(`<w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		w.b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	w.b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>`)
	w.b.WriteString(`<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, cw := range widths {
		fmt.Fprintf(&w.b, `<w:gridCol w:w="%d"/>`, cw)
	}
	w.b.WriteString(`</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
	for i, h := range t.Header {
		w.cell(widths[i], h, "center", eastAsia(fontHeading))
	}
	w.b.WriteString("</w:tr>")
	for _, row := range t.Rows {
		w.b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for i := range t.Header {
			text := ""
			if i < len(row) {
				text = row[i]
			}
			jc := "left"
			if numeric(text) {
				jc = "center"
			}
			w.cell(widths[i], text, jc, "")
		}
		w.b.WriteString("</w:tr>")
	}
	w.b.WriteString("</w:tbl>")
	// A paragraph after a table keeps the next table or heading apart from it.
	w.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Normal"/><w:spacing w:line="240" w:lineRule="exact"/></w:pPr></w:p>`)
}

// blocks writes body blocks in order.
func (w *body) blocks(bs []Block) {
	for _, bl := range bs {
		switch v := bl.(type) {
		case Heading:
			w.heading(v)
		case Paragraph:
			w.paragraph(v)
		case Table:
			w.table(v)
		case PageBreak:
			w.pageBreak()
		}
	}
}

// attachmentNote writes the list of attachments (附件说明) one line below
// the body, two characters in: 附件：1．… with later titles aligned under
// the first; a single attachment goes without a number.
func (w *body) attachmentNote(as []Attachment) {
	if len(as) == 0 {
		return
	}
	w.empty()
	for i, a := range as {
		title := strings.ReplaceAll(a.Title, "\n", "")
		if len(as) > 1 {
			title = strconv.Itoa(i+1) + "．" + title
		}
		if i == 0 {
			w.para("Normal", "", "", "附件："+title)
			continue
		}
		// "附件：" is three characters wide.
		w.para("Normal", fmt.Sprintf(`<w:ind w:left="%d" w:firstLine="0"/>`, 5*charBody), "", title)
	}
}

// attachments writes each attachment from a new page: its label 附件1 in
// 黑体 flush left, its title like the document's, then its blocks with the
// heading numbers restarted.
func (w *body) attachments(as []Attachment) {
	for i, a := range as {
		w.pageBreak()
		label := "附件"
		if len(as) > 1 {
			label += strconv.Itoa(i + 1)
		}
		w.para("Normal", `<w:ind w:firstLine="0"/>`, eastAsia(fontHeading), label)
		w.empty()
		w.para("DocTitle", "", "", a.Title)
		w.empty()
		w.counters = [4]int{}
		w.blocks(a.Blocks)
	}
}

func (w *body) pageBreak() {
	w.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>`)
}

// closing writes the issuing body and date: the body two characters from
// the right margin, the date under it starting two characters further right;
// when the date is the wider line, it stays two characters from the margin
// and the issuing body is centred over it (GB/T 9704-2012, 7.3.5.2).
func (w *body) closing(d Document) {
	date := ""
	if !d.Date.IsZero() {
		date = fmt.Sprintf("%d年%d月%d日", d.Date.Year(), int(d.Date.Month()), d.Date.Day())
	}
	if d.Issuer == "" && date == "" {
		return
	}
	w.empty()
	iw, dw := textWidthChars(d.Issuer), textWidthChars(date)
	issuerRight, dateRight := 2.0, iw-dw
	if d.Issuer == "" {
		dateRight = 4
	} else if dateRight < 2 {
		dateRight = 2
		issuerRight = 2 + (dw-iw)/2
	}
	right := func(chars float64) string {
		return fmt.Sprintf(`<w:ind w:right="%d" w:firstLine="0"/><w:jc w:val="right"/>`, int(math.Round(chars*charBody)))
	}
	if d.Issuer != "" {
		w.para("Normal", right(issuerRight), "", d.Issuer)
	}
	if date != "" {
		w.para("Normal", right(dateRight), "", date)
	}
}

func (w *body) section() {
	fmt.Fprintf(&w.b, `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>`+
		`<w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/>`+
		`<w:cols w:space="425"/></w:sectPr>`,
		pageWidth, pageHeight, marginTop, marginRight, marginBottom, marginLeft, footerFrom)
}
