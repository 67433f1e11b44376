package officedoc

import (
	"strconv"
	"strings"
)

// Markdown returns the blocks of a text written in the small Markdown subset
// the campaign plans use: every non-blank line is a paragraph; lines that
// start with "- " or "* " are list items, numbered （1）（2）… (the fourth
// level of GB/T 9704) and renumbered after any other line; **text** is bold.
// Anything else, an unpaired ** included, is kept as typed. It never fails.
func Markdown(text string) []Block {
	var out []Block
	item := 0
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		prefix := ""
		if rest, ok := cutListMark(line); ok {
			item++
			prefix, line = "（"+strconv.Itoa(item)+"）", rest
		} else {
			item = 0
		}
		runs := boldRuns(line)
		if prefix != "" {
			runs = append([]Run{{Text: prefix}}, runs...)
		}
		out = append(out, Paragraph{Runs: runs})
	}
	return out
}

func cutListMark(line string) (string, bool) {
	for _, m := range []string{"- ", "* ", "-\u3000", "*\u3000"} {
		if rest, ok := strings.CutPrefix(line, m); ok {
			return strings.TrimSpace(rest), true
		}
	}
	return line, false
}

// boldRuns splits a line at paired ** marks into plain and bold runs.
func boldRuns(line string) []Run {
	var runs []Run
	for {
		i := strings.Index(line, "**")
		if i < 0 {
			break
		}
		j := strings.Index(line[i+2:], "**")
		if j < 0 {
			break
		}
		if i > 0 {
			runs = append(runs, Run{Text: line[:i]})
		}
		if bold := line[i+2 : i+2+j]; bold != "" {
			runs = append(runs, Run{Text: bold, Bold: true})
		}
		line = line[i+2+j+2:]
	}
	if line != "" || len(runs) == 0 {
		runs = append(runs, Run{Text: line})
	}
	return runs
}
