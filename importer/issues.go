package importer

import (
	"io"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/tablefile"
)

// MaxIssues is how many problems an import keeps for its report; beyond it
// they are only counted (a file where every one of a million rows is wrong
// needs fixing at the source, not a million-line report).
const MaxIssues = 100000

// Issue is one problem of an imported file: an error, or a warning that
// does not stop the import.
type Issue struct {
	healthcell.FieldError
	Warning bool `json:"warning,omitempty"`
}

// Issues collects the problems of one import.
type Issues struct {
	Errors   int // every error, kept or not
	Warnings int
	List     []Issue // the first MaxIssues problems, in the order found
}

// Error records an error.
func (is *Issues) Error(fe healthcell.FieldError) {
	is.Errors++
	is.add(Issue{FieldError: fe})
}

// Warn records a warning.
func (is *Issues) Warn(fe healthcell.FieldError) {
	is.Warnings++
	is.add(Issue{FieldError: fe, Warning: true})
}

func (is *Issues) add(i Issue) {
	if len(is.List) < MaxIssues {
		is.List = append(is.List, i)
	}
}

// FieldErrors returns the kept errors (not the warnings).
func (is *Issues) FieldErrors() []healthcell.FieldError {
	var out []healthcell.FieldError
	for _, i := range is.List {
		if !i.Warning {
			out = append(out, i.FieldError)
		}
	}
	return out
}

// ReportHeader is the header row of an error report.
var ReportHeader = []string{"行号", "列", "值", "错误"}

// WriteReport writes the issues as a table of kind "xlsx" or "csv" with the
// columns 行号, 列, 值, 错误; text turns a message key into the sentence
// shown (the user's language), and warnings are prefixed with the text of
// "import.warning". It returns tablefile.ErrType for another kind, or the
// error of writing.
func WriteReport(w io.Writer, kind string, issues []Issue, text func(key string) string) error {
	tw, err := tablefile.NewWriter(w, kind, "错误报告", ReportHeader)
	if err != nil {
		return err
	}
	warn := text("import.warning")
	for _, i := range issues {
		var row any = ""
		if i.Row > 0 {
			row = i.Row
		}
		msg := text(i.Message)
		if i.Warning {
			msg = warn + msg
		}
		if err := tw.Write([]any{row, i.Field, i.Value, msg}); err != nil {
			return err
		}
	}
	return tw.Close()
}
