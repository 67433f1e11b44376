package web

import (
	"reflect"
	"testing"
)

func TestArticleBlocks(t *testing.T) {
	img := "/public/510824000000/images/7"
	cases := []struct {
		name string
		in   string
		want []articleBlock
	}{
		{"heading and paragraph", "## 要点\n第一行\n第二行\n\n另一段",
			[]articleBlock{{Kind: "h2", Spans: []articleSpan{{Text: "要点"}}}, {Kind: "p", Spans: []articleSpan{{Text: "第一行第二行"}}}, {Kind: "p", Spans: []articleSpan{{Text: "另一段"}}}}},
		{"lists", "- 少盐\n* **多**运动\n1. 一\n2、二",
			[]articleBlock{{Kind: "ul", Items: [][]articleSpan{{{Text: "少盐"}}, {{Bold: true, Text: "多"}, {Text: "运动"}}}},
				{Kind: "ol", Items: [][]articleSpan{{{Text: "一"}}, {{Text: "二"}}}}}},
		{"own picture", "![洗手图](" + img + ")", []articleBlock{{Kind: "img", Src: img, Alt: "洗手图"}}},
		{"foreign picture keeps its description", "![外链](https://evil.example/x.png)", []articleBlock{{Kind: "p", Spans: []articleSpan{{Text: "外链"}}}}},
		{"links", "见[国家卫健委](https://www.nhc.gov.cn)和[点我](javascript:alert(1))",
			[]articleBlock{{Kind: "p", Spans: []articleSpan{{Text: "见"}, {Text: "国家卫健委", Href: "https://www.nhc.gov.cn"}, {Text: "和"}, {Text: "点我"}, {Text: ")"}}}}},
		{"script stays text", "<script>alert(1)</script>", []articleBlock{{Kind: "p", Spans: []articleSpan{{Text: "<script>alert(1)</script>"}}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := articleBlocks(c.in); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestSafeArticleHref(t *testing.T) {
	for href, want := range map[string]string{
		"https://a.cn/x": "https://a.cn/x", "HTTP://a.cn": "HTTP://a.cn", "/public/510824000000": "/public/510824000000",
		"javascript:alert(1)": "", "JavaScript:x": "", "data:text/html,x": "", "//evil.example": "", "/\\evil": "", "vbscript:x": "",
	} {
		if got := safeArticleHref(href); got != want {
			t.Errorf("safeArticleHref(%q) = %q, want %q", href, got, want)
		}
	}
}
