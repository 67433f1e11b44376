package main

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestHrefs checks the selector matcher of the served-page crawl on the
// forms phoneFollows uses, and that every rule's selector parses.
func TestHrefs(t *testing.T) {
	const page = `<html><body>
<header class="topbar"><a href="/dashboard">首页</a></header>
<div id="themes"><ul><li><a href="/dashboard?theme=a">甲</a></li><li><a class="x" href="/dashboard?theme=b">乙</a></li></ul></div>
<a class="ind-link wide" href="/dashboard/indicators/1">指标</a>
<a class="ind-linked" href="/no">不是</a>
<a href="/campaigns">活动</a><a href="/campaigns/2">活动二</a>
<div id="bulletins"><a href="/bulletins/7">简报</a><a href="/other">其他</a><span><a href="/bulletins/8">简报二</a></span></div>
<p id="sheets">无链接</p>
</body></html>`
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		css  string
		want []string
	}{
		{"#themes a", []string{"/dashboard?theme=a", "/dashboard?theme=b"}},
		{"a.ind-link", []string{"/dashboard/indicators/1"}},
		{"a[href='/campaigns']", []string{"/campaigns"}},
		{"#bulletins a[href^='/bulletins/']", []string{"/bulletins/7", "/bulletins/8"}},
		{"#sheets a[href^='/sheets/']", nil},
		{"header.topbar a", []string{"/dashboard"}},
		{"a", []string{"/dashboard", "/dashboard?theme=a", "/dashboard?theme=b", "/dashboard/indicators/1", "/no", "/campaigns", "/campaigns/2", "/bulletins/7", "/other", "/bulletins/8"}},
	} {
		if got := hrefs(doc, tc.css); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.css, got, tc.want)
		}
	}
	for _, f := range phoneFollows {
		parseSelector(f.css) // panics on a form the matcher does not know
	}
}

func TestPhoneRuleOn(t *testing.T) {
	for _, tc := range []struct {
		rule, page string
		want       bool
	}{
		{"/dashboard", "/dashboard", true},
		{"/dashboard", "/dashboard?theme=a", false},
		{"/dashboard/indicators/", "/dashboard/indicators/3", true},
		{"/campaigns", "/campaigns/1", false},
	} {
		if got := phoneRuleOn(tc.rule, tc.page); got != tc.want {
			t.Errorf("phoneRuleOn(%q, %q) = %v", tc.rule, tc.page, got)
		}
	}
}
