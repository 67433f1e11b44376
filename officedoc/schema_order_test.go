package officedoc

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// schemaOrder is the order of child elements that WordprocessingML's schema
// (ECMA-376 transitional) requires in the elements this package writes;
// Word refuses a document whose children are out of order. "*" stands for
// any other child (content after the properties); a name missing from a
// list without "*" is an error. Names in one string separated by "|" share
// a rank.
var schemaOrder = map[string][]string{
	"pPr": {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
		"pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
		"autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
		"suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
		"rPr", "sectPr", "pPrChange"},
	"rPr": {"rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss",
		"imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
		"highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout"},
	"sectPr": {"headerReference|footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc", "pgBorders",
		"lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid"},
	"tblPr": {"tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
		"tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"},
	"tblBorders": {"top", "left", "bottom", "right", "insideH", "insideV"},
	"tblCellMar": {"top", "left", "bottom", "right"},
	"tcPr":       {"cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark"},
	"trPr":       {"cantSplit|tblHeader"},
	"style": {"name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden", "unhideWhenUsed",
		"qFormat", "locked", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr"},
	"styles":      {"docDefaults", "latentStyles", "style"},
	"docDefaults": {"rPrDefault", "pPrDefault"},
	"settings":    {"view", "zoom", "defaultTabStop", "evenAndOddHeaders", "characterSpacingControl", "compat", "themeFontLang"},
	"font":        {"altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig"},
	"p":           {"pPr", "*"},
	"r":           {"rPr", "*"},
	"tbl":         {"tblPr", "tblGrid", "tr"},
	"tr":          {"tblPrEx", "trPr", "tc"},
	"tc":          {"tcPr", "*"},
	"body":        {"*", "sectPr"},
}

// rank returns the position of name in order, -1 when it is not allowed.
func rank(order []string, name string) int {
	star := -1
	for i, o := range order {
		if o == "*" {
			star = i
		}
		for _, n := range strings.Split(o, "|") {
			if n == name {
				return i
			}
		}
	}
	return star
}

// checkOrder returns the violations of schemaOrder in one XML part.
func checkOrder(part []byte) []string {
	type open struct {
		name string
		last int
	}
	var stack []open
	var bad []string
	dec := xml.NewDecoder(bytes.NewReader(part))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return append(bad, err.Error())
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if n := len(stack); n > 0 {
				parent := &stack[n-1]
				if order, ok := schemaOrder[parent.name]; ok {
					r := rank(order, el.Name.Local)
					switch {
					case r < 0:
						bad = append(bad, el.Name.Local+" is not allowed in "+parent.name)
					case r < parent.last:
						bad = append(bad, el.Name.Local+" comes too late in "+parent.name)
					default:
						parent.last = r
					}
				}
			}
			stack = append(stack, open{name: el.Name.Local})
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	return bad
}

// TestSchemaOrder: every part of a document using every block keeps the
// schema's order of child elements.
func TestSchemaOrder(t *testing.T) {
	data, err := Bytes(sample())
	if err != nil {
		t.Fatal(err)
	}
	for name, part := range unzip(t, data) {
		if !strings.HasPrefix(name, "word/") || strings.HasSuffix(name, ".rels") {
			continue
		}
		for _, b := range checkOrder(part) {
			t.Errorf("%s: %s", name, b)
		}
	}
	// The checker itself finds a misplaced element.
	if bad := checkOrder([]byte(`<w:p xmlns:w="w"><w:pPr><w:jc/><w:ind/></w:pPr></w:p>`)); len(bad) != 1 {
		t.Errorf("checkOrder missed ind after jc: %v", bad)
	}
}
