package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/report"
	"github.com/healthcell/healthcell/score"
)

// sheetView is a score sheet page: the whole sheet, or one item at a time.
type sheetView struct {
	Page
	Sheet      *healthcell.ScoreSheet
	Standard   *healthcell.Standard
	Result     score.Result
	Sections   []sheetSection
	CanScore   bool
	One        *sheetItem // one-item mode
	PrevItem   string
	NextItem   string
	ItemErrors map[string]string // item code → message, after a failed save
	Index      int               // 1-based position of One
	// Frozen: submitted with a step of an application; CanEdition: the
	// user may start its next edition.
	Frozen     bool
	CanEdition bool
	Overrides  int                                  // data-bound items whose computed value was replaced
	Flags      map[string][]healthcell.EvidenceFlag // evidence flags by item code
	FlagCount  int
	Snapshot   *healthcell.SheetSnapshot // the frozen copy shown, on the snapshot page
}

type sheetSection struct {
	Name  string
	Max   float64
	Score float64
	Items []*sheetItem
}

// sheetItem is one item of a sheet with its answer and score.
type sheetItem struct {
	healthcell.Item
	Answer *healthcell.Answer
	Result score.ItemResult
	Target float64
}

// YesChecked and NoChecked tell the radio buttons which is chosen.
func (i *sheetItem) YesChecked() bool { return i.Answer != nil && i.Answer.Yes != nil && *i.Answer.Yes }
func (i *sheetItem) NoChecked() bool  { return i.Answer != nil && i.Answer.Yes != nil && !*i.Answer.Yes }

// ValueText and CountText are the entered numbers, or "".
func (i *sheetItem) ValueText() string {
	if i.Answer == nil || i.Answer.Value == nil {
		return ""
	}
	return strconv.FormatFloat(*i.Answer.Value, 'f', -1, 64)
}

func (i *sheetItem) CountText() string {
	if i.Answer == nil || i.Answer.Count == nil {
		return ""
	}
	return strconv.Itoa(*i.Answer.Count)
}

// GradeOf is the chosen grade label, or "".
func (i *sheetItem) GradeOf() string {
	if i.Answer == nil {
		return ""
	}
	return i.Answer.Grade
}

// NoteOf is the answer's note.
func (i *sheetItem) NoteOf() string {
	if i.Answer == nil {
		return ""
	}
	return i.Answer.Note
}

// EvidenceOf lists the item's evidence files.
func (i *sheetItem) EvidenceOf() []*healthcell.Evidence {
	if i.Answer == nil {
		return nil
	}
	return i.Answer.Evidence
}

// buildSheet scores a sheet and groups its items for display.
func buildSheet(std *healthcell.Standard, sh *healthcell.ScoreSheet) (score.Result, []sheetSection, []*sheetItem) {
	res := score.Compute(std, sh)
	var sections []sheetSection
	var all []*sheetItem
	for i, it := range std.Items {
		si := &sheetItem{Item: it, Answer: sh.Answers[it.Code], Result: res.Items[i], Target: it.TargetFor(sh.Region)}
		all = append(all, si)
		if len(sections) == 0 || sections[len(sections)-1].Name != it.Section {
			sections = append(sections, sheetSection{Name: it.Section})
		}
		sections[len(sections)-1].Items = append(sections[len(sections)-1].Items, si)
	}
	for i := range sections {
		for _, st := range res.Sections {
			if st.Section == sections[i].Name {
				sections[i].Max, sections[i].Score = st.Max, st.Score
			}
		}
	}
	return res, sections, all
}

// loadSheet reads the sheet of {id} and its standard version.
func (s *Server) loadSheet(r *http.Request) (*healthcell.ScoreSheet, *healthcell.Standard, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, nil, err
	}
	sh, err := s.svc.Sheets.FindScoreSheet(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	std, err := s.svc.Standards.FindStandardByID(r.Context(), sh.StandardID)
	if err != nil {
		return nil, nil, err
	}
	return sh, std, nil
}

// sheetPage shows a score sheet; ?item=CODE shows that item alone, for phones.
func (s *Server) sheetPage(w http.ResponseWriter, r *http.Request) error {
	sh, std, err := s.loadSheet(r)
	if err != nil {
		return err
	}
	return s.renderSheet(w, r, http.StatusOK, sh, std, r.URL.Query().Get("item"), nil)
}

// renderSheet renders the sheet page, with itemErr shown at item code when set.
func (s *Server) renderSheet(w http.ResponseWriter, r *http.Request, status int, sh *healthcell.ScoreSheet, std *healthcell.Standard, one string, itemErr map[string]string) error {
	res, sections, all := buildSheet(std, sh)
	a := healthcell.ActorFrom(r.Context())
	may := a.CanScore(sh.Kind, sh.Division, sh.UnitKind, sh.UnitRef)
	flags, err := s.svc.Sheets.SheetEvidenceFlags(r.Context(), sh.ID)
	if err != nil {
		return err
	}
	v := sheetView{Page: s.newPage(r, "sheet.title"), Sheet: sh, Standard: std, Result: res, Sections: sections,
		CanScore: may && sh.FrozenAt == nil, ItemErrors: itemErr, Frozen: sh.FrozenAt != nil, CanEdition: may && sh.FrozenAt != nil,
		Overrides: sheetOverrides(sh), Flags: flagsByItem(flags), FlagCount: len(flags)}
	v.Title = sh.UnitName + " · " + std.Name
	for i, it := range all {
		if it.Code == one {
			v.One, v.Index = it, i+1
			if i > 0 {
				v.PrevItem = all[i-1].Code
			}
			if i+1 < len(all) {
				v.NextItem = all[i+1].Code
			}
		}
	}
	if r.Header.Get("HX-Request") == "true" {
		status = http.StatusOK // htmx swaps only successful answers; errors are shown in the fragment
	}
	return s.render(w, r, status, "sheet", v)
}

// answerFromForm reads the answer to item from a form, by its method.
// It returns EINVALID when a number does not parse.
func answerFromForm(r *http.Request, it *healthcell.Item) (*healthcell.Answer, error) {
	a := &healthcell.Answer{ItemCode: it.Code, Note: r.PostFormValue("note")}
	bad := func(field, v string) error {
		return healthcell.Invalid([]healthcell.FieldError{{Field: field, Message: "standard.number.invalid", Value: v}})
	}
	switch it.Method {
	case healthcell.MethodYes, healthcell.MethodNo:
		switch r.PostFormValue("yes") {
		case "1":
			a.Yes = new(bool)
			*a.Yes = true
		case "0":
			a.Yes = new(bool)
		}
	case healthcell.MethodGraded:
		a.Grade = r.PostFormValue("grade")
	case healthcell.MethodEGT, healthcell.MethodELT:
		if v := strings.TrimSuffix(strings.TrimSpace(r.PostFormValue("value")), "%"); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, bad("value", v)
			}
			a.Value = &f
		}
	case healthcell.MethodCount:
		if v := strings.TrimSpace(r.PostFormValue("count")); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, bad("count", v)
			}
			a.Count = &n
		}
	}
	return a, nil
}

// sheetAnswer saves one item's answer from the sheet page.
func (s *Server) sheetAnswer(w http.ResponseWriter, r *http.Request) error {
	sh, std, err := s.loadSheet(r)
	if err != nil {
		return err
	}
	code := r.PathValue("item")
	it := std.Item(code)
	if it == nil {
		return healthcell.Errorf(healthcell.ENOTFOUND, "sheet.item.unknown")
	}
	a, err := answerFromForm(r, it)
	var file *healthcell.SheetFile
	if err == nil {
		file, err = overrideFromForm(w, r, a)
	}
	switch {
	case err != nil:
	case file != nil: // an override with its photo, in one transaction
		err = s.svc.Sheets.FillScoreSheet(r.Context(), sh.ID, []*healthcell.Answer{a}, []healthcell.SheetFile{*file})
	default:
		err = s.svc.Sheets.SaveAnswer(r.Context(), sh.ID, a)
	}
	return s.afterSheetChange(w, r, sh.ID, code, err)
}

// afterSheetChange answers a change to a sheet: the re-rendered sheet for
// htmx, or a redirect back to the item; a fixable error is shown at the item.
func (s *Server) afterSheetChange(w http.ResponseWriter, r *http.Request, id int64, code string, err error) error {
	var itemErr map[string]string
	if err != nil {
		if healthcell.ErrorCode(err) != healthcell.EINVALID {
			return err
		}
		itemErr = map[string]string{code: s.i18n.T(langOf(r), firstMessage(err), nil)}
	}
	if r.Header.Get("HX-Request") == "true" || err != nil {
		sh, std, lerr := s.loadSheet(r)
		if lerr != nil {
			return lerr
		}
		status := http.StatusOK
		if err != nil {
			status = http.StatusUnprocessableEntity
		}
		return s.renderSheet(w, r, status, sh, std, r.URL.Query().Get("one"), itemErr)
	}
	target := fmt.Sprintf("/sheets/%d", id)
	if one := r.URL.Query().Get("one"); one != "" {
		target += "?item=" + one
	}
	http.Redirect(w, r, target+"#item-"+code, http.StatusSeeOther)
	return nil
}

// sheetPrint is the printable score sheet.
func (s *Server) sheetPrint(w http.ResponseWriter, r *http.Request) error {
	sh, std, err := s.loadSheet(r)
	if err != nil {
		return err
	}
	res, sections, _ := buildSheet(std, sh)
	v := sheetView{Page: s.newPage(r, "sheet.title"), Sheet: sh, Standard: std, Result: res, Sections: sections,
		Frozen: sh.FrozenAt != nil, Overrides: sheetOverrides(sh)}
	v.Title = sh.UnitName + " · " + std.Name
	return s.render(w, r, http.StatusOK, "sheet_print", v)
}

// sheetExport downloads the score sheet as an Excel workbook.
func (s *Server) sheetExport(w http.ResponseWriter, r *http.Request) error {
	sh, std, err := s.loadSheet(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.ScoreSheetXLSX(&buf, std, sh, score.Compute(std, sh)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	setDownload(w, fmt.Sprintf("score-sheet-%d.xlsx", sh.ID), downloadName("xlsx", "评分表", healthcell.ShortVillageName(sh.UnitName), shortStandardName(std.Name)))
	_, err = buf.WriteTo(w)
	return err
}
