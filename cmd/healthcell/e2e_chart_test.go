package main

// Browser test of issue 14, item 6: a township of 47 villages on a 360 px
// phone gets a chart whose bars lie down, sorted best first, with no two
// village names overlapping, and the target line's label inside the chart;
// a chart of a few townships keeps its standing bars with the target label
// inside as well. The page is a fixture with the dashboard's chart markup
// (web/templates/layout/dashboard_partial.html), served with the real
// static files and the application's content security policy.

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chartBar is a bar of the fixture, as the dashboard writes data-bars.
type chartBar struct {
	Code  string   `json:"code"`
	Name  string   `json:"name"`
	Value *float64 `json:"value"`
	Met   *bool    `json:"met"`
}

// chartVillages are 47 villages of a township, some names long, with
// values spread around a target of 80 %, one without a value.
func chartVillages() []chartBar {
	stems := []string{"双河", "柏林", "龙泉", "白鹤", "金竹", "石龙", "桂花", "青杠", "红岩", "凤凰", "新华", "太平",
		"永安", "观音", "黄桷", "长滩", "大树", "石桥", "梨园", "松林", "花果", "莲池", "宝峰", "高峰",
		"铁佛", "龙门", "茶园", "玉泉", "狮子", "杨柳", "五星", "胜利", "团结", "和平", "光明", "前进",
		"金鸡", "银杏", "马鞍", "天池", "清水", "向阳", "烟峰楼", "九龙", "千佛", "万家", "三合"}
	out := make([]chartBar, len(stems))
	for i, s := range stems {
		name := s + "村"
		switch i % 9 {
		case 3:
			name = s + "社区居民委员会"
		case 7:
			name = s + "村村民委员会"
		}
		b := chartBar{Code: fmt.Sprintf("510824100%03d", i+1), Name: name}
		if i != 20 {
			v := math.Round((55+float64((i*37)%46))*100) / 100
			met := v >= 80
			b.Value, b.Met = &v, &met
		}
		out[i] = b
	}
	return out
}

// chartFixture is the page: two charts as the dashboard writes them.
func chartFixture(t *testing.T) string {
	t.Helper()
	v := func(x float64) *float64 { return &x }
	yes, no := true, false
	towns := []chartBar{{"510824100000", "陵江镇", v(86.5), &yes}, {"510824101000", "云台镇", v(72), &no}, {"510824102000", "云峰镇", v(99.5), &yes},
		{"510824103000", "元坝镇", v(64.25), &no}, {"510824104000", "白驿镇", v(80), &yes}, {"510824105000", "东青镇", v(93), &yes}}
	js := func(b []chartBar) string {
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		return html.EscapeString(string(raw))
	}
	return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/vendor/pico.min.css"><link rel="stylesheet" href="/static/app.css"><link rel="stylesheet" href="/static/dashboard.css"><title>图表</title></head>
<body><main class="container">
<section class="ind-card" id="card-villages"><h3>家庭医生签约率 <small>各村（社区）</small></h3>
<div class="chart bars" id="chart-villages" data-title="家庭医生签约率" data-unit="%" data-target="80" data-direction="higher" data-drill="/dashboard/indicators/contract_rate?period=2025&amp;division=" data-bars="` + js(chartVillages()) + `"></div></section>
<section class="ind-card" id="card-towns"><h3>家庭医生签约率 <small>各乡镇</small></h3>
<div class="chart bars" id="chart-towns" data-title="家庭医生签约率" data-unit="%" data-target="95" data-direction="higher" data-drill="/dashboard/indicators/contract_rate?period=2025&amp;division=" data-bars="` + js(towns) + `"></div></section>
</main><script src="/static/vendor/echarts.min.js"></script><script src="/static/dashboard.js"></script></body></html>`
}

// chartBox is a text of a chart's SVG with its box on the page.
type chartBox struct {
	Text                     string
	Left, Top, Right, Bottom float64
}

func TestE2EChartManyVillages(t *testing.T) {
	e2eRequireChromium(t)
	page := chartFixture(t)
	static := http.StripPrefix("/static/", http.FileServer(http.Dir(filepath.Join("..", "..", "web", "static"))))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'")
		if strings.HasPrefix(r.URL.Path, "/static/") {
			static.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)

	tab := e2eNewTab(t)
	ctx, cancel := context.WithTimeout(tab, e2eScaled(2*time.Minute))
	t.Cleanup(cancel)
	b := &e2eBrowser{t: t, ctx: ctx, tab: tab, base: srv.URL, shots: os.Getenv("HEALTHCELL_SCREENSHOTS"), prefix: "chart"}
	console := b.listenConsole()

	villages := chartVillages()
	for _, size := range []struct {
		name          string
		width, height int64
	}{{"360", 360, 780}, {"desktop", 1280, 900}} {
		opts := []chromedp.EmulateViewportOption{}
		if size.width < 600 {
			opts = append(opts, chromedp.EmulateMobile)
		}
		b.do("viewport "+size.name, chromedp.EmulateViewport(size.width, size.height, opts...))
		b.width = int(size.width)
		if st := b.open("/"); st != 200 {
			b.fatalf("fixture: %d", st)
		}
		b.do("charts drawn", chromedp.Poll[chromedp.Void](`document.querySelectorAll(".chart.bars svg text").length > 60`, chromedp.WithPollingTimeout(60*time.Second)))
		b.checkpoint("47-villages-" + size.name)
		for _, e := range console.take() {
			b.errorf("%s: %s", size.name, e)
		}

		// The villages' chart: bars lying down, one name a row.
		if got := b.attr("chart-villages", "data-layout"); got != "sorted" {
			b.errorf("%s: 47 villages drawn as %q, want sorted lying bars", size.name, got)
		}
		chart, texts := chartTexts(b, "chart-villages")
		var labels []chartBox
		for _, x := range texts {
			if villageOf(x.Text, villages) != "" {
				labels = append(labels, x)
			}
		}
		if len(labels) != len(villages) {
			b.errorf("%s: %d village names drawn, want %d: %v", size.name, len(labels), len(villages), labels)
		}
		for i := range labels {
			for j := i + 1; j < len(labels); j++ {
				if overlap(labels[i], labels[j]) {
					b.errorf("%s: the names %q and %q overlap: %+v %+v", size.name, labels[i].Text, labels[j].Text, labels[i], labels[j])
				}
			}
			if !inside(labels[i], chart) {
				b.errorf("%s: the name %q lies outside the chart: %+v in %+v", size.name, labels[i].Text, labels[i], chart)
			}
		}
		// Sorted best first: top to bottom, values never rise; the village
		// without a value comes last.
		sort.Slice(labels, func(i, j int) bool { return labels[i].Top < labels[j].Top })
		prev := math.Inf(1)
		for i, l := range labels {
			name := villageOf(l.Text, villages)
			for _, v := range villages {
				if v.Name != name {
					continue
				}
				switch {
				case v.Value == nil && i != len(labels)-1:
					b.errorf("%s: %s has no value and is drawn at row %d, not last", size.name, name, i+1)
				case v.Value != nil && *v.Value > prev:
					b.errorf("%s: %s (%.2f) drawn below a lower value (%.2f)", size.name, name, *v.Value, prev)
				case v.Value != nil:
					prev = *v.Value
				}
			}
		}
		wantTargetLabel(b, size.name+" villages", "≥80%", chart, texts)

		// A few townships: standing bars, the target label inside too.
		if got := b.attr("chart-towns", "data-layout"); got != "columns" {
			b.errorf("%s: 6 townships drawn as %q, want columns", size.name, got)
		}
		chart, texts = chartTexts(b, "chart-towns")
		wantTargetLabel(b, size.name+" townships", "≥95%", chart, texts)
	}
}

// chartTexts returns the box of the chart with id and the texts drawn in
// its SVG.
func chartTexts(b *e2eBrowser, id string) (chartBox, []chartBox) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => {
		const el = document.getElementById(%s);
		const box = (r, t) => ({Text: t, Left: r.left, Top: r.top, Right: r.right, Bottom: r.bottom});
		return [box(el.getBoundingClientRect(), ""), ...Array.from(el.querySelectorAll("svg text"), x => box(x.getBoundingClientRect(), x.textContent))];
	})()`, jsQuote(id))
	all := e2eEval[[]chartBox](b, "texts of "+id, js)
	if len(all) < 2 {
		b.fatalf("chart %s drew no text", id)
	}
	return all[0], all[1:]
}

// villageOf returns the village a label names (in full, or truncated with
// an ellipsis), "" for another text.
func villageOf(text string, villages []chartBar) string {
	cut := strings.TrimRight(strings.TrimSuffix(text, "..."), "…")
	if cut == "" {
		return ""
	}
	for _, v := range villages {
		if v.Name == text || (cut != text && strings.HasPrefix(v.Name, cut)) {
			return v.Name
		}
	}
	return ""
}

// overlap reports whether two boxes share more than half a pixel each way.
func overlap(a, b chartBox) bool {
	return math.Min(a.Right, b.Right)-math.Max(a.Left, b.Left) > 0.5 && math.Min(a.Bottom, b.Bottom)-math.Max(a.Top, b.Top) > 0.5
}

// inside reports whether box a lies within box b.
func inside(a, b chartBox) bool {
	return a.Left >= b.Left-0.5 && a.Right <= b.Right+0.5 && a.Top >= b.Top-0.5 && a.Bottom <= b.Bottom+0.5
}

// wantTargetLabel fails unless the chart draws the target label once,
// inside the chart and over no other text.
func wantTargetLabel(b *e2eBrowser, what, label string, chart chartBox, texts []chartBox) {
	b.t.Helper()
	n := 0
	for _, x := range texts {
		if x.Text != label {
			continue
		}
		n++
		if !inside(x, chart) || x.Right-x.Left < 1 {
			b.errorf("%s: the target label %q is cut off: %+v in the chart %+v", what, label, x, chart)
		}
		for _, y := range texts {
			if y != x && strings.TrimSpace(y.Text) != "" && overlap(x, y) {
				b.errorf("%s: the target label %q overlaps %q: %+v %+v", what, label, y.Text, x, y)
			}
		}
	}
	if n != 1 {
		b.errorf("%s: the target label %q is drawn %d times", what, label, n)
	}
}
