package web

import "strings"

// planLine is one line of a plan section as shown: a paragraph or a list
// item ("- " in the stored text), in parts that are bold (**…**) or not.
// The template escapes every part: nothing of the stored text is markup.
type planLine struct {
	Item  bool
	Parts []planPart
}

type planPart struct {
	Bold bool
	Text string
}

// planLines splits a section's text into lines for display; blank lines
// are dropped.
func planLines(text string) []planLine {
	var out []planLine
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		line := planLine{}
		if rest, ok := strings.CutPrefix(l, "- "); ok {
			line.Item, l = true, strings.TrimSpace(rest)
		}
		bold := false
		for _, seg := range strings.Split(l, "**") {
			if seg != "" {
				line.Parts = append(line.Parts, planPart{Bold: bold, Text: seg})
			}
			bold = !bold
		}
		out = append(out, line)
	}
	return out
}

// fval formats an amount or percentage: whole numbers without decimals,
// others with two.
func fval(x float64) string { return fnum(&x) }
