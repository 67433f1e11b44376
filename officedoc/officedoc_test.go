package officedoc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"
)

func sample() Document {
	return Document{
		Number:     "苍健办〔2026〕5号",
		Title:      "关于全县健康村建设\n工作进展情况的通报",
		Recipients: "各乡镇人民政府，县级有关部门",
		Blocks: []Block{
			Heading{Level: 1, Text: "总体情况"},
			Paragraph{Text: "截至2026年12月4日，全县已命名健康村12个，完成目标的60%。"},
			Heading{Level: 2, Text: "命名情况"},
			Heading{Level: 3, Text: "陵江镇"},
			Table{Caption: "表1 各乡镇命名情况", Header: []string{"乡镇", "目标", "已命名", "完成率"},
				Rows: [][]string{{"陵江镇", "5", "3", "60.0%"}, {"云峰镇", "4"}}, Widths: []float64{3, 1, 1, 1}},
			Heading{Level: 2, Text: "存在问题"},
			Heading{Level: 3, Text: "进度不均"},
			Heading{Level: 1, Text: "下一步工作"},
			Heading{Level: 2, Text: "加快推进"},
			Paragraph{Text: "第一段。\n第二段 <b>&\"'"},
			PageBreak{},
			Paragraph{Text: "附件页。", Bold: true},
			Paragraph{Runs: []Run{{Text: "混排："}, {Text: "加粗", Bold: true}, {Text: "\n换行"}}},
		},
		Attachments: []Attachment{
			{Title: "任务分解表", Blocks: []Block{Heading{Level: 1, Text: "县级任务"}, Table{Header: []string{"任务", "牵头单位"}, Rows: [][]string{{"入户宣传", "县卫健局"}}}}},
			{Title: "联系人名单", Blocks: []Block{Paragraph{Text: "略。"}}},
		},
		Issuer: "苍溪县爱国卫生运动委员会办公室",
		Date:   time.Date(2026, 12, 4, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)),
	}
}

func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = b
	}
	return parts
}

// TestWriteParts: every part is well-formed XML, the first entry is the
// content-types part, and the same document gives the same bytes.
func TestWriteParts(t *testing.T) {
	data, err := Bytes(sample())
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Bytes(sample())
	if !bytes.Equal(data, again) {
		t.Error("two writes of one document differ")
	}
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first entry %q", zr.File[0].Name)
	}
	parts := unzip(t, data)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
		"word/styles.xml", "word/settings.xml", "word/fontTable.xml", "word/footer1.xml", "word/footer2.xml", "docProps/core.xml", "docProps/app.xml"} {
		b, ok := parts[name]
		if !ok {
			t.Errorf("missing part %s", name)
			continue
		}
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				break
			}
		}
	}
	doc := string(parts["word/document.xml"])
	for _, want := range []string{
		`<w:pgSz w:w="11906" w:h="16838"/>`,
		`w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"`,
		"一、总体情况", "（一）命名情况", "1.陵江镇", "（二）存在问题", "1.进度不均", "二、下一步工作", "（一）加快推进",
		"第二段 &lt;b&gt;&amp;&quot;'", `<w:br w:type="page"/>`, `加粗</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:t xml:space="preserve">换行`, "2026年12月4日", `<w:tblHeader/>`, `<w:br/>`,
		"附件：1．任务分解表", "2．联系人名单", ">附件1<", ">附件2<",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	styles := string(parts["word/styles.xml"])
	for _, want := range []string{`w:eastAsia="仿宋_GB2312"`, `w:eastAsia="方正小标宋简体"`, `w:eastAsia="黑体"`, `w:eastAsia="楷体_GB2312"`,
		`<w:sz w:val="44"/>`, `<w:sz w:val="32"/>`, `w:line="560" w:lineRule="exact"`} {
		if !strings.Contains(styles, want) {
			t.Errorf("styles.xml lacks %s", want)
		}
	}
	if !strings.Contains(string(parts["word/footer1.xml"]), " PAGE ") || !strings.Contains(string(parts["word/settings.xml"]), "evenAndOddHeaders") {
		t.Error("page number field or even/odd footers missing")
	}
}

func TestEscapeInvalidCharacters(t *testing.T) {
	d := Document{Title: "标题\x00\x1f", Blocks: []Block{Paragraph{Text: "a\x0bb\tc"}, Table{Header: []string{"<x>"}, Rows: [][]string{{"\x01"}}}}}
	data, err := d.DocumentXML()
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, new(struct{})); err != nil {
		t.Fatalf("not well-formed: %v", err)
	}
	if !strings.Contains(string(data), "标题\uFFFD\uFFFD") || !strings.Contains(string(data), "a\uFFFDb c") {
		t.Errorf("invalid characters not replaced: %s", data)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  Document
		want string
	}{
		{"ok", Document{Title: "标题"}, ""},
		{"no title", Document{Title: "  "}, "no title"},
		{"level 0", Document{Title: "t", Blocks: []Block{Heading{Level: 0, Text: "x"}}}, "heading level 0"},
		{"level 4", Document{Title: "t", Blocks: []Block{Heading{Level: 4, Text: "x"}}}, "heading level 4"},
		{"no header", Document{Title: "t", Blocks: []Block{Table{Rows: [][]string{{"a"}}}}}, "without a header"},
		{"long row", Document{Title: "t", Blocks: []Block{Table{Header: []string{"a"}, Rows: [][]string{{"1", "2"}}}}}, "row 1 has 2 cells"},
		{"bad width", Document{Title: "t", Blocks: []Block{Table{Header: []string{"a", "b"}, Widths: []float64{1, 0}}}}, "not positive"},
		{"nil block", Document{Title: "t", Blocks: []Block{nil}}, "is nil"},
		{"attachment title", Document{Title: "t", Attachments: []Attachment{{Title: " "}}}, "attachment 1 has no title"},
		{"attachment block", Document{Title: "t", Attachments: []Attachment{{Title: "a", Blocks: []Block{Heading{Level: 9}}}}}, "attachment 1 block 0: heading level 9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.doc.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if _, err := Bytes(tc.doc); err == nil {
				t.Fatal("Bytes wrote an invalid document")
			}
		})
	}
}

func TestColumnWidths(t *testing.T) {
	for _, tc := range []struct {
		n   int
		rel []float64
	}{{1, nil}, {3, nil}, {4, []float64{3, 1, 1, 1}}, {7, []float64{1, 2}}, {34, nil}} {
		w := columnWidths(tc.n, tc.rel)
		sum := 0
		for _, x := range w {
			if x <= 0 {
				t.Errorf("n=%d: width %d", tc.n, x)
			}
			sum += x
		}
		if sum != textWidth {
			t.Errorf("n=%d: widths add up to %d, want %d", tc.n, sum, textWidth)
		}
	}
	if w := columnWidths(4, []float64{3, 1, 1, 1}); w[0] != 3*w[1] && w[0] != 3*w[1]+1 && w[0] != 3*w[1]-1 {
		t.Errorf("relative widths not kept: %v", w)
	}
}

func TestHeadingNumber(t *testing.T) {
	for _, tc := range []struct {
		level, n int
		want     string
	}{{1, 1, "一、"}, {1, 10, "十、"}, {1, 11, "十一、"}, {1, 20, "二十、"}, {1, 34, "三十四、"}, {2, 3, "（三）"}, {3, 12, "12."}, {1, 100, "100、"}} {
		if got := headingNumber(tc.level, tc.n); got != tc.want {
			t.Errorf("headingNumber(%d,%d) = %q, want %q", tc.level, tc.n, got, tc.want)
		}
	}
}

// TestClosingIndents: the date starts two characters right of the issuing
// body; when the date is wider it stays two characters from the margin.
func TestClosingIndents(t *testing.T) {
	day := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC) // 2026年12月4日: 6.5 characters
	for _, tc := range []struct {
		issuer               string
		issuerRight, dateRgt string
	}{
		{"苍溪县爱国卫生运动委员会办公室", `w:right="640"`, `w:right="2720"`}, // 15 chars: date 8.5 chars in
		{"县爱卫办", `w:right="1040"`, `w:right="640"`},            // 4 chars: centred over the date
	} {
		var w body
		w.closing(Document{Issuer: tc.issuer, Date: day})
		s := w.b.String()
		i := strings.Index(s, tc.issuer)
		j := strings.Index(s, "2026年12月4日")
		if i < 0 || j < 0 || !strings.Contains(s[:i], tc.issuerRight) || !strings.Contains(s[i:j], tc.dateRgt) {
			t.Errorf("%s: %s", tc.issuer, s)
		}
	}
}
