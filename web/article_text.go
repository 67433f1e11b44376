package web

import (
	"regexp"
	"strings"
)

// An article's body is Markdown of a small subset, turned here into blocks
// that the templates print with html/template's escaping — the same way as
// a plan's text (planLines): nothing of the stored text ever becomes
// markup, so <script> stays text. Understood: "## " and "### " headings,
// "- " or "* " list items, "1. " numbered items, paragraphs, **bold**,
// [links](url) to http(s) or to a path on this site, and a line that is
// only ![description](picture) for a picture of this site's public image
// route. A link or picture to anything else (javascript:, data:, another
// site's picture) keeps its text and loses its address.

// articleBlock is one block of an article.
type articleBlock struct {
	Kind  string // "h2", "h3", "p", "ul", "ol" or "img"
	Spans []articleSpan
	Items [][]articleSpan // list items of "ul" and "ol"
	Src   string          // "img": the picture's address
	Alt   string          // "img": its description
}

// articleSpan is a run of text, bold or not, a link when Href is set.
type articleSpan struct {
	Bold bool
	Text string
	Href string
}

var (
	articleImageLine = regexp.MustCompile(`^!\[([^\]]*)\]\(([^)\s]*)\)$`)
	articleImageSrc  = regexp.MustCompile(`^/public/[0-9]{12}/images/[0-9]+$`)
	articleLink      = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]*)\)`)
	articleNumbered  = regexp.MustCompile(`^[0-9]{1,3}[.、]\s*`)
)

// articleBlocks splits an article's Markdown into blocks; consecutive
// lines of text join into one paragraph, blank lines end it.
func articleBlocks(text string) []articleBlock {
	var out []articleBlock
	var para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, articleBlock{Kind: "p", Spans: articleSpans(strings.Join(para, ""))})
			para = nil
		}
	}
	item := func(kind, text string) {
		flush()
		if n := len(out); n > 0 && out[n-1].Kind == kind {
			out[n-1].Items = append(out[n-1].Items, articleSpans(text))
			return
		}
		out = append(out, articleBlock{Kind: kind, Items: [][]articleSpan{articleSpans(text)}})
	}
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
			flush()
		case strings.HasPrefix(l, "### "):
			flush()
			out = append(out, articleBlock{Kind: "h3", Spans: articleSpans(strings.TrimSpace(l[4:]))})
		case strings.HasPrefix(l, "## "), strings.HasPrefix(l, "# "):
			flush()
			_, rest, _ := strings.Cut(l, " ")
			out = append(out, articleBlock{Kind: "h2", Spans: articleSpans(strings.TrimSpace(rest))})
		case strings.HasPrefix(l, "- "), strings.HasPrefix(l, "* "):
			item("ul", strings.TrimSpace(l[2:]))
		case articleNumbered.MatchString(l):
			item("ol", articleNumbered.ReplaceAllString(l, ""))
		default:
			if m := articleImageLine.FindStringSubmatch(l); m != nil {
				flush()
				if articleImageSrc.MatchString(m[2]) {
					out = append(out, articleBlock{Kind: "img", Src: m[2], Alt: m[1]})
				} else if m[1] != "" {
					out = append(out, articleBlock{Kind: "p", Spans: []articleSpan{{Text: m[1]}}})
				}
				continue
			}
			para = append(para, l)
		}
	}
	flush()
	return out
}

// articleSpans splits a line into bold, plain and link runs.
func articleSpans(l string) []articleSpan {
	var out []articleSpan
	bold := false
	for _, seg := range strings.Split(l, "**") {
		for seg != "" {
			loc := articleLink.FindStringSubmatchIndex(seg)
			if loc == nil {
				out = append(out, articleSpan{Bold: bold, Text: seg})
				break
			}
			if loc[0] > 0 {
				out = append(out, articleSpan{Bold: bold, Text: seg[:loc[0]]})
			}
			out = append(out, articleSpan{Bold: bold, Text: seg[loc[2]:loc[3]], Href: safeArticleHref(seg[loc[4]:loc[5]])})
			seg = seg[loc[1]:]
		}
		bold = !bold
	}
	return out
}

// safeArticleHref returns href when it is an http(s) address or a path on
// this site, "" otherwise (javascript:, data:, protocol-relative //host).
func safeArticleHref(href string) string {
	lower := strings.ToLower(href)
	switch {
	case strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "http://"):
		return href
	case strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") && !strings.Contains(href, "\\"):
		return href
	}
	return ""
}

// articleExcerpt is the first paragraph's text, for an article without a
// summary, cut at max characters.
func articleExcerpt(blocks []articleBlock, max int) string {
	for _, b := range blocks {
		if b.Kind != "p" {
			continue
		}
		var s strings.Builder
		for _, sp := range b.Spans {
			s.WriteString(sp.Text)
		}
		r := []rune(s.String())
		if len(r) > max {
			return string(r[:max]) + "…"
		}
		return string(r)
	}
	return ""
}
