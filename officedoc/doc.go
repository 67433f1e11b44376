// Package officedoc writes Word documents (.docx, WordprocessingML) in the
// layout of Chinese official documents (党政机关公文格式, GB/T 9704-2012):
// A4 paper, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the
// title in 方正小标宋简体 2号 (22 pt), centred; the body in 仿宋_GB2312 3号
// (16 pt) with a fixed line spacing of 28 pt and a first-line indent of two
// characters; headings numbered 一、(黑体) （一）(楷体_GB2312) 1. (仿宋, bold);
// page numbers "— 1 —" in the footer (odd pages right, even pages left); the
// issuing body and the date at the end.
//
// The fonts are named, never embedded: a reader without 仿宋_GB2312 falls
// back to 仿宋 (the font table names the alternative). The writer needs only
// the standard library; the output for one Document is byte-for-byte the same
// every time (fixed zip times, no random ids).
//
// Use:
//
//	doc := officedoc.Document{
//		Title:      "关于2026年健康村建设工作的通报",
//		Number:     "苍健办〔2026〕5号",
//		Recipients: "各乡镇人民政府",
//		Blocks: []officedoc.Block{
//			officedoc.Heading{Level: 1, Text: "总体情况"},      // 一、总体情况
//			officedoc.Paragraph{Text: "截至12月4日……"},
//			officedoc.Heading{Level: 2, Text: "命名情况"},      // （一）命名情况
//			officedoc.Table{Header: []string{"乡镇", "目标", "已命名"}, Rows: rows},
//			officedoc.PageBreak{},
//		},
//		Issuer: "苍溪县爱国卫生运动委员会办公室",
//		Date:   time.Date(2026, 12, 4, 0, 0, 0, 0, shanghai),
//	}
//	err := officedoc.Write(w, doc)
package officedoc

import "time"

// Document is one official document: the head (number, title, recipients),
// the body blocks in order, and the closing block (issuing body and date).
// Title is required; the other head and closing fields are optional and left
// out when empty or zero.
type Document struct {
	Number     string  // 发文字号 (文号), e.g. 苍健办〔2026〕5号; centred above the title
	Title      string  // 标题, 小标宋 2号, centred; "\n" breaks the title into lines
	Recipients string  // 主送机关, flush left, the colon is added
	Blocks     []Block // 正文
	// Attachments (附件) are listed after the body (附件说明: 附件：1．…) and
	// follow the closing block, each from a new page with its label (附件1)
	// and title; their headings are numbered afresh.
	Attachments []Attachment
	Issuer      string    // 发文机关署名, above the date
	Date        time.Time // 成文日期, written 2026年12月4日; zero leaves it out
	// Author goes into the document properties (docProps/core.xml) only.
	Author string
}

// Attachment is one attachment (附件) of a document: a title and blocks.
type Attachment struct {
	Title  string
	Blocks []Block
}

// Block is one piece of the body: Heading, Paragraph, Table or PageBreak.
// The set is closed.
type Block interface{ block() }

// Heading is a numbered heading. Level 1 is numbered 一、二、… in 黑体,
// level 2 （一）（二）… in 楷体_GB2312, level 3 1. 2. … in bold 仿宋. A
// heading restarts the numbering of the levels below it. Text is the heading
// without its number.
type Heading struct {
	Level int
	Text  string
}

// Paragraph is body text in 仿宋 3号 with a two-character first-line indent.
// "\n" in Text starts a new paragraph; Bold sets the whole paragraph bold.
// When Runs is set it is the paragraph's text instead of Text, each run
// bold or not ("\n" in a run starts a new paragraph, as in Text).
type Paragraph struct {
	Text string
	Bold bool
	Runs []Run
}

// Run is a piece of a paragraph with its own weight.
type Run struct {
	Text string
	Bold bool
}

// Table is a grid with one header row (repeated on every page), set in 仿宋
// 小四 (12 pt), or 五号 (10.5 pt) when it has more than six columns, at single
// line spacing, and as wide as the 156 mm type area. Widths are relative
// column widths (any positive numbers); nil or a wrong length sizes the
// columns by their widest cell (2 to 14 characters). Figures are centred,
// text flush left. Rows may be shorter than Header (the rest is blank)
// but not longer. Caption, when set, is a centred bold line above the table.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
	Widths  []float64
}

// PageBreak starts a new page.
type PageBreak struct{}

func (Heading) block()   {}
func (Paragraph) block() {}
func (Table) block()     {}
func (PageBreak) block() {}
