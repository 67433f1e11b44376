package officedoc

import (
	"encoding/xml"
	"testing"
)

// FuzzDocumentXML: whatever the text, document.xml is well-formed and in
// the schema's order, and Markdown never fails.
func FuzzDocumentXML(f *testing.F) {
	for _, s := range []string{"", "普通文字", "<>&\"'", "\x00\x01\ufffe\U0001F600", "**粗**\n- 项", "a\r\nb\tc", "]]>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := Document{Title: "t" + s, Number: s, Recipients: s, Issuer: s, Author: s, Blocks: append([]Block{
			Heading{Level: 1, Text: s}, Paragraph{Text: s, Bold: true},
			Table{Caption: s, Header: []string{s, "b"}, Rows: [][]string{{s}, {"1", s}}},
		}, Markdown(s)...)}
		x, err := d.DocumentXML()
		if err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(x, new(struct{})); err != nil {
			t.Fatalf("not well-formed for %q: %v", s, err)
		}
		if bad := checkOrder(x); len(bad) > 0 {
			t.Fatalf("order for %q: %v", s, bad)
		}
		if err := xml.Unmarshal([]byte(d.coreXML()), new(struct{})); err != nil {
			t.Fatalf("core.xml not well-formed for %q: %v", s, err)
		}
	})
}
