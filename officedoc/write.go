package officedoc

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
)

// Validate returns an error naming the first problem with d: an empty
// title, a heading level outside 1–3, a table without a header row, a row
// longer than the header, or relative widths that are not all positive. It
// returns nil for a document Write can write.
func (d Document) Validate() error {
	if strings.TrimSpace(d.Title) == "" {
		return fmt.Errorf("officedoc: the document has no title")
	}
	if err := validBlocks("block", d.Blocks); err != nil {
		return err
	}
	for i, a := range d.Attachments {
		if strings.TrimSpace(a.Title) == "" {
			return fmt.Errorf("officedoc: attachment %d has no title", i+1)
		}
		if err := validBlocks(fmt.Sprintf("attachment %d block", i+1), a.Blocks); err != nil {
			return err
		}
	}
	return nil
}

// validBlocks returns an error naming the first bad block of blocks, what
// says whose; nil when every block can be written.
func validBlocks(what string, blocks []Block) error {
	for i, bl := range blocks {
		switch v := bl.(type) {
		case Heading:
			if v.Level < 1 || v.Level > 3 {
				return fmt.Errorf("officedoc: %s %d: heading level %d is not 1–3", what, i, v.Level)
			}
		case Table:
			if len(v.Header) == 0 {
				return fmt.Errorf("officedoc: %s %d: table without a header row", what, i)
			}
			for r, row := range v.Rows {
				if len(row) > len(v.Header) {
					return fmt.Errorf("officedoc: %s %d: table row %d has %d cells for %d columns", what, i, r+1, len(row), len(v.Header))
				}
			}
			if len(v.Widths) == len(v.Header) {
				for _, wd := range v.Widths {
					if !(wd > 0) {
						return fmt.Errorf("officedoc: %s %d: column width %v is not positive", what, i, wd)
					}
				}
			}
		case Paragraph, PageBreak:
		case nil:
			return fmt.Errorf("officedoc: %s %d is nil", what, i)
		default:
			return fmt.Errorf("officedoc: %s %d has unknown type %T", what, i, bl)
		}
	}
	return nil
}

// DocumentXML returns word/document.xml for d, or the error of Validate.
func (d Document) DocumentXML() ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	var w body
	w.b.WriteString(xmlHead + `<w:document ` + nsW + `><w:body>`)
	w.head(d)
	w.blocks(d.Blocks)
	w.attachmentNote(d.Attachments)
	w.closing(d)
	w.attachments(d.Attachments)
	w.section()
	w.b.WriteString(`</w:body></w:document>`)
	return []byte(w.b.String()), nil
}

// coreXML returns docProps/core.xml: title, author and the date.
func (d Document) coreXML() string {
	var b body
	b.b.WriteString(xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>`)
	b.esc(d.Title)
	b.b.WriteString(`</dc:title><dc:creator>`)
	b.esc(d.Author)
	b.b.WriteString(`</dc:creator><dc:language>zh-CN</dc:language>`)
	if !d.Date.IsZero() {
		b.b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + d.Date.UTC().Format("2006-01-02T15:04:05Z") + `</dcterms:created>`)
	}
	b.b.WriteString(`</cp:coreProperties>`)
	return b.b.String()
}

// Write writes d as a .docx package to out. It returns the error of Validate
// (nothing written) or of out.
func Write(out io.Writer, d Document) error {
	doc, err := d.DocumentXML()
	if err != nil {
		return err
	}
	// The zip times are fixed so that the same document gives the same bytes.
	stamp := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if !d.Date.IsZero() {
		y, m, day := d.Date.Date()
		stamp = time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	}
	zw := zip.NewWriter(out)
	for _, p := range []struct {
		name string
		data []byte
	}{
		{"[Content_Types].xml", []byte(contentTypesXML)},
		{"_rels/.rels", []byte(packageRelsXML)},
		{"word/document.xml", doc},
		{"word/_rels/document.xml.rels", []byte(documentRelsXML)},
		{"word/styles.xml", []byte(stylesXML)},
		{"word/settings.xml", []byte(settingsXML)},
		{"word/fontTable.xml", []byte(fontTableXML)},
		{"word/footer1.xml", []byte(footerXML(true))},
		{"word/footer2.xml", []byte(footerXML(false))},
		{"docProps/core.xml", []byte(d.coreXML())},
		{"docProps/app.xml", []byte(appXML)},
	} {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		if _, err := f.Write(p.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// Bytes returns d as a .docx file, or the error of Validate.
func Bytes(d Document) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ContentType is the media type of a .docx file.
const ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
