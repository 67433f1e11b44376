package officedoc

import (
	"strings"
	"testing"
)

// show writes blocks compactly: one paragraph a line, bold runs in [].
func show(bs []Block) string {
	var lines []string
	for _, b := range bs {
		p := b.(Paragraph)
		s := ""
		for _, r := range p.Runs {
			if r.Bold {
				s += "[" + r.Text + "]"
			} else {
				s += r.Text
			}
		}
		lines = append(lines, s)
	}
	return strings.Join(lines, "|")
}

func TestMarkdown(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"以习近平新时代中国特色社会主义思想为指导。\n\n坚持**政府主导**、部门协作。", "以习近平新时代中国特色社会主义思想为指导。|坚持[政府主导]、部门协作。"},
		{"目标：\n- 75%的村建成健康村\n- 85%的家庭\n说明\n* 再一项", "目标：|（1）75%的村建成健康村|（2）85%的家庭|说明|（1）再一项"},
		{"**全文加粗**", "[全文加粗]"},
		{"未配对的 ** 星号", "未配对的 ** 星号"},
		{"a**b**c**d", "a[b]c**d"},
		{"空的****标记", "空的标记"},
		{"  前后空格  \r\n第二行", "前后空格|第二行"},
	} {
		if got := show(Markdown(tc.in)); got != tc.want {
			t.Errorf("Markdown(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	doc := Document{Title: "方案", Blocks: Markdown("坚持**政府主导**。\n- 一项 <x>")}
	x, err := doc.DocumentXML()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">政府主导</w:t>`, "（1）", "一项 &lt;x&gt;"} {
		if !strings.Contains(string(x), want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
}
