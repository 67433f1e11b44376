package officedoc_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/healthcell/healthcell/officedoc"
	"github.com/healthcell/healthcell/officedoc/officedoctest"
)

// TestLibreOfficeOpens: LibreOffice converts a short document and a long one
// with a 34-row table (one run for both); the PDFs are A4 and hold the title,
// the numbered headings, the table's figures, the page numbers and the
// closing block.
func TestLibreOfficeOpens(t *testing.T) {
	day := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	short := officedoc.Document{
		Number: "苍健办〔2026〕5号", Title: "关于全县健康村建设工作进展情况的通报", Recipients: "各乡镇人民政府",
		Blocks: []officedoc.Block{
			officedoc.Heading{Level: 1, Text: "总体情况"},
			officedoc.Paragraph{Text: "全县已命名健康村12个，完成目标的60.0%。"},
			officedoc.Heading{Level: 2, Text: "命名情况"},
			officedoc.Heading{Level: 3, Text: "陵江镇进展较快"},
			officedoc.Paragraph{Text: "特殊字符 <>&\" 照常显示。"},
		},
		Issuer: "苍溪县爱国卫生运动委员会办公室", Date: day,
	}
	short.Blocks = append(short.Blocks, officedoc.Markdown("坚持**政府主导**。\n- 村村建成健康村\n- 户户建成健康家庭")...)
	short.Attachments = []officedoc.Attachment{{Title: "任务分解表", Blocks: []officedoc.Block{
		officedoc.Heading{Level: 1, Text: "县级任务"},
		officedoc.Table{Header: []string{"任务", "牵头单位", "完成时限"}, Rows: [][]string{{"入户宣传", "县卫健局", "2026年6月30日"}}},
	}}}
	rows := make([][]string, 34)
	for i := range rows {
		rows[i] = []string{fmt.Sprintf("第%02d乡镇", i+1), fmt.Sprint(i + 3), fmt.Sprint(i), fmt.Sprintf("%.1f%%", float64(i)*100/float64(i+3)), "按期推进中，需加强入户宣传和档案整理工作"}
	}
	long := officedoc.Document{
		Title: "2026年健康村建设年度总结",
		Blocks: []officedoc.Block{
			officedoc.Heading{Level: 1, Text: "各乡镇目标完成情况"},
			officedoc.Table{Caption: "表1 各乡镇完成情况", Header: []string{"乡镇", "目标", "已命名", "完成率", "备注"}, Rows: rows, Widths: []float64{2, 1, 1, 1, 4}},
			officedoc.PageBreak{},
			officedoc.Heading{Level: 1, Text: "下一步工作"},
			officedoc.Paragraph{Text: "继续推进。"},
		},
		Issuer: "县爱卫办", Date: day,
	}
	docs := map[string][]byte{}
	for name, d := range map[string]officedoc.Document{"short": short, "long": long} {
		b, err := officedoc.Bytes(d)
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = b
	}
	pdfs := officedoctest.Convert(t, docs)
	if !pdfs["short"].HasRow("入户宣传", "县卫健局", "2026年6月30日") {
		t.Errorf("short: the attachment's table row is missing:\n%s", pdfs["short"].Layout)
	}
	if !pdfs["long"].HasRow("第34乡镇", "36", "33", "91.7%") {
		t.Errorf("long: the last township's row is missing:\n%s", pdfs["long"].Layout)
	}
	for _, tc := range []struct {
		name  string
		pages int // at least
		want  []string
	}{
		{"short", 2, []string{"苍健办〔2026〕5号", "关于全县健康村建设工作进展情况的通报", "各乡镇人民政府：", "一、总体情况", "60.0%", "（一）命名情况",
			"1.陵江镇进展较快", "<>&\"", "坚持政府主导。", "（1）村村建成健康村", "（2）户户建成健康家庭", "附件：任务分解表", "附件任务分解表一、县级任务", "— 2 —", "苍溪县爱国卫生运动委员会办公室", "2026年12月4日", "— 1 —"}},
		{"long", 3, []string{"表1各乡镇完成情况", "第01乡镇", "第34乡镇", "36", "33", "91.7%", "二、下一步工作", "— 2 —", "— 3 —"}},
	} {
		p := pdfs[tc.name]
		if !p.A4() {
			t.Errorf("%s: page %.2f x %.2f pts, want A4 595 x 842", tc.name, p.Width, p.Height)
		}
		if p.Pages < tc.pages {
			t.Errorf("%s: %d pages, want at least %d", tc.name, p.Pages, tc.pages)
		}
		for _, w := range tc.want {
			if !p.Has(w) {
				t.Errorf("%s: PDF text lacks %q:\n%s", tc.name, w, p.Text)
			}
		}
	}
}
