package standardfile

import (
	"sort"

	"github.com/healthcell/healthcell"
)

// sheetErrs collects the problems of a file, at most one per row and field.
type sheetErrs struct {
	list []sheetErr
	seen map[sheetErrKey]bool
}

// Groups order the problems: the whole file, then the 标准信息 sheet, then
// the table's sheet, each by row.
const (
	sheetGroupFile  = 0
	sheetGroupInfo  = 1
	sheetGroupTable = 2
)

type sheetErr struct {
	group int
	fe    healthcell.FieldError
}

type sheetErrKey struct {
	group, row int
	field      string
}

func (e *sheetErrs) add(group, row int, field, msg, value string) {
	if row == 0 {
		group = sheetGroupFile
	}
	k := sheetErrKey{group, row, field}
	if e.seen == nil {
		e.seen = map[sheetErrKey]bool{}
	}
	if e.seen[k] {
		return
	}
	e.seen[k] = true
	e.list = append(e.list, sheetErr{group, healthcell.FieldError{Field: field, Message: msg, Row: row, Value: value}})
}

func (e *sheetErrs) err() error {
	sort.SliceStable(e.list, func(i, j int) bool {
		a, b := e.list[i], e.list[j]
		if a.group != b.group {
			return a.group < b.group
		}
		return a.fe.Row < b.fe.Row
	})
	fe := make([]healthcell.FieldError, len(e.list))
	for i, x := range e.list {
		fe[i] = x.fe
	}
	return healthcell.Invalid(fe)
}

func sheetFileError(msg, value string) error {
	return healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: msg, Value: value}})
}
