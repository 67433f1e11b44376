package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// inlineHandler matches an inline event handler attribute (onclick=,
// onchange= …); the content security policy blocks them.
var inlineHandler = regexp.MustCompile(`(?i)[\s"'/]on[a-z]+\s*=`)

// scriptTag matches the opening tag of a <script> element.
var scriptTag = regexp.MustCompile(`(?i)<script\b[^>]*>`)

// inlineBehaviour returns the inline handlers and inline scripts (a <script>
// without src) in src, as the offending text.
func inlineBehaviour(src string) []string {
	var out []string
	out = append(out, inlineHandler.FindAllString(src, -1)...)
	for _, tag := range scriptTag.FindAllString(src, -1) {
		if !regexp.MustCompile(`(?i)\ssrc\s*=`).MatchString(tag) {
			out = append(out, tag)
		}
	}
	return out
}

func TestInlineBehaviourDetected(t *testing.T) {
	tests := []struct {
		src  string
		want int
	}{
		{`<select name="state" onchange="this.form.submit()">`, 1},
		{`<button ONCLICK='window.print()'>`, 1},
		{`<input type=checkbox onclick=x()>`, 1},
		{`<form onsubmit="return false">`, 1},
		{`<body onload="go()">`, 1},
		{`<script>alert(1)</script>`, 1},
		{`<script type="module">x()</script>`, 1},
		{`<script src="/static/controls.js" defer></script>`, 0},
		{`<noscript><button>筛选</button></noscript>`, 0},
		{`<select data-autosubmit name="state">`, 0},
		{`<p>only one item</p><a href="/x?on=1">`, 0},
		{`<input name="done" aria-label="on=">`, 0},
	}
	for _, tt := range tests {
		if got := inlineBehaviour(tt.src); len(got) != tt.want {
			t.Errorf("inlineBehaviour(%q) = %q, want %d finds", tt.src, got, tt.want)
		}
	}
}

// TestTemplatesHoldNoInlineBehaviour fails when a template carries an inline
// handler or an inline script: all behaviour lives in web/static/*.js.
func TestTemplatesHoldNoInlineBehaviour(t *testing.T) {
	n := 0
	err := fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := fs.ReadFile(assets, path)
		if err != nil {
			return err
		}
		n++
		for _, bad := range inlineBehaviour(string(b)) {
			t.Errorf("%s: inline behaviour %q; move it to a script under web/static", path, bad)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("walked only %d templates", n)
	}
}
