package officedoc

import (
	"fmt"
	"strings"
)

// The fixed parts of the package. Only document.xml and core.xml change
// with the document.

const nsW = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const contentTypesXML = xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const packageRelsXML = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const documentRelsXML = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>` +
	`<Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
	`<Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>` +
	`</Relationships>`

const appXML = xmlHead + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>healthcell</Application></Properties>`

const settingsXML = xmlHead + `<w:settings ` + nsW + `>` +
	`<w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>`

// fontTableXML names the fonts and, for the GB2312 ones, the font a reader
// uses when it lacks them. No font is embedded.
var fontTableXML = func() string {
	var b strings.Builder
	b.WriteString(xmlHead + `<w:fonts ` + nsW + `>`)
	for _, f := range []struct{ name, alt, family, pitch string }{
		{fontLatin, "", "roman", "variable"},
		{fontBody, "仿宋", "modern", "fixed"},
		{fontKai, "楷体", "modern", "fixed"},
		{fontHeading, "SimHei", "modern", "fixed"},
		{fontTitle, "宋体", "auto", "variable"},
		{fontFooter, "SimSun", "auto", "variable"},
	} {
		b.WriteString(`<w:font w:name="` + f.name + `">`)
		if f.alt != "" {
			b.WriteString(`<w:altName w:val="` + f.alt + `"/>`)
		}
		if f.name != fontLatin {
			b.WriteString(`<w:charset w:val="86"/>`)
		}
		b.WriteString(`<w:family w:val="` + f.family + `"/><w:pitch w:val="` + f.pitch + `"/></w:font>`)
	}
	b.WriteString(`</w:fonts>`)
	return b.String()
}()

// stylesXML: the defaults are the body text (仿宋_GB2312 3号, exact 28 pt,
// two-character first-line indent); the other styles change only what
// differs from it.
var stylesXML = func() string {
	rfonts := func(ea string) string { return eastAsia(ea) }
	style := func(id, name, ppr, rpr string, outline int) string {
		o := ""
		if outline >= 0 {
			o = fmt.Sprintf(`<w:outlineLvl w:val="%d"/>`, outline)
		}
		return `<w:style w:type="paragraph" w:customStyle="0" w:styleId="` + id + `"><w:name w:val="` + name + `"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
			`<w:pPr>` + ppr + o + `</w:pPr><w:rPr>` + rpr + `</w:rPr></w:style>`
	}
	var b strings.Builder
	b.WriteString(xmlHead + `<w:styles ` + nsW + `>`)
	fmt.Fprintf(&b, `<w:docDefaults><w:rPrDefault><w:rPr>%s<w:kern w:val="2"/><w:sz w:val="%d"/><w:szCs w:val="%d"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>`+
		`<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:spacing w:before="0" w:after="0" w:line="%d" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>`,
		rfonts(fontBody), sizeBody, sizeBody, lineBody)
	fmt.Fprintf(&b, `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLine="%d"/></w:pPr><w:rPr>%s<w:sz w:val="%d"/><w:szCs w:val="%d"/></w:rPr></w:style>`,
		2*charBody, rfonts(fontBody), sizeBody, sizeBody)
	b.WriteString(style("DocTitle", "公文标题",
		fmt.Sprintf(`<w:spacing w:line="%d" w:lineRule="exact"/><w:ind w:firstLine="0"/><w:jc w:val="center"/>`, lineTitle),
		fmt.Sprintf(`%s<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, rfonts(fontTitle), sizeTitle, sizeTitle), -1))
	b.WriteString(style("DocNumber", "发文字号", `<w:ind w:firstLine="0"/><w:jc w:val="center"/>`, "", -1))
	b.WriteString(style("Heading1", "heading 1", `<w:keepNext/>`, rfonts(fontHeading), 0))
	b.WriteString(style("Heading2", "heading 2", `<w:keepNext/>`, rfonts(fontKai), 1))
	b.WriteString(style("Heading3", "heading 3", `<w:keepNext/>`, `<w:b/><w:bCs/>`, 2))
	b.WriteString(style("TableCaption", "表格标题", `<w:keepNext/><w:ind w:firstLine="0"/><w:jc w:val="center"/>`, rfonts(fontHeading), -1))
	b.WriteString(style("TableText", "表格文字",
		`<w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="left"/>`,
		fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, sizeTable, sizeTable), -1))
	b.WriteString(style("Footer", "footer", `<w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/>`,
		fmt.Sprintf(`%s<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, rfonts(fontFooter), sizeFooter, sizeFooter), -1))
	b.WriteString(`</w:styles>`)
	return b.String()
}()

// footerXML returns a footer with the page number as "— 1 —": on odd pages
// flush right one character in, on even pages flush left one character in.
func footerXML(odd bool) string {
	jc, ind := "left", `w:left="280"`
	if odd {
		jc, ind = "right", `w:right="280"`
	}
	text := func(s string) string { return `<w:r><w:t xml:space="preserve">` + s + `</w:t></w:r>` }
	return xmlHead + `<w:ftr ` + nsW + `><w:p><w:pPr><w:pStyle w:val="Footer"/><w:ind ` + ind + `/><w:jc w:val="` + jc + `"/></w:pPr>` +
		text("— ") +
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r>` + text("1") + `<w:r><w:fldChar w:fldCharType="end"/></w:r>` +
		text(" —") + `</w:p></w:ftr>`
}
