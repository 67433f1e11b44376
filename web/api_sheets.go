package web

import (
	"net/http"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/score"
)

// sheetResponse is a score sheet with its computed result.
type sheetResponse struct {
	*healthcell.ScoreSheet
	Result resultJSON                `json:"result"`
	Flags  []healthcell.EvidenceFlag `json:"flags,omitempty"` // evidence a checker should doubt
}

// resultJSON is a score.Result with the API's snake_case names (score.Result
// has no JSON tags and would come out as Items, Max, VetoPassed, …).
type resultJSON struct {
	Max        float64            `json:"max"`
	Base       float64            `json:"base"`
	Bonus      float64            `json:"bonus"`
	Total      float64            `json:"total"`
	Answered   int                `json:"answered"`
	Required   int                `json:"required"`
	Complete   bool               `json:"complete"`
	VetoCount  int                `json:"veto_count"`
	VetoMet    int                `json:"veto_met"`
	VetoRate   float64            `json:"veto_rate"`
	VetoPassed bool               `json:"veto_passed"`
	Passed     bool               `json:"passed"`
	Level      string             `json:"level,omitempty"`
	Missing    []string           `json:"missing"`
	Items      []itemResultJSON   `json:"items"`
	Sections   []sectionTotalJSON `json:"sections"`
}

type itemResultJSON struct {
	Code       string  `json:"code"`
	Section    string  `json:"section"`
	Subsection string  `json:"subsection,omitempty"`
	Max        float64 `json:"max"`
	Score      float64 `json:"score"`
	Answered   bool    `json:"answered"`
	Met        bool    `json:"met"`
	Veto       bool    `json:"veto,omitempty"`
	Bonus      bool    `json:"bonus,omitempty"`
}

type sectionTotalJSON struct {
	Section     string                `json:"section"`
	Max         float64               `json:"max"`
	Score       float64               `json:"score"`
	Subsections []subsectionTotalJSON `json:"subsections"`
}

type subsectionTotalJSON struct {
	Subsection string  `json:"subsection"`
	Max        float64 `json:"max"`
	Score      float64 `json:"score"`
}

// newResultJSON converts a computed result for the API.
func newResultJSON(r score.Result) resultJSON {
	out := resultJSON{Max: r.Max, Base: r.Base, Bonus: r.Bonus, Total: r.Total, Answered: r.Answered, Required: r.Required,
		Complete: r.Complete, VetoCount: r.VetoCount, VetoMet: r.VetoMet, VetoRate: r.VetoRate, VetoPassed: r.VetoPassed,
		Passed: r.Passed, Level: r.Level, Missing: append([]string{}, r.Missing...),
		Items: make([]itemResultJSON, 0, len(r.Items)), Sections: make([]sectionTotalJSON, 0, len(r.Sections))}
	for _, it := range r.Items {
		out.Items = append(out.Items, itemResultJSON{Code: it.Code, Section: it.Section, Subsection: it.Subsection, Max: it.Max,
			Score: it.Score, Answered: it.Answered, Met: it.Met, Veto: it.Veto, Bonus: it.Bonus})
	}
	for _, st := range r.Sections {
		sec := sectionTotalJSON{Section: st.Section, Max: st.Max, Score: st.Score, Subsections: make([]subsectionTotalJSON, 0, len(st.Subsections))}
		for _, sub := range st.Subsections {
			sec.Subsections = append(sec.Subsections, subsectionTotalJSON{Subsection: sub.Subsection, Max: sub.Max, Score: sub.Score})
		}
		out.Sections = append(out.Sections, sec)
	}
	return out
}

type sheetInput struct {
	Standard string `json:"standard"`
	Kind     string `json:"kind"`
	UnitKind string `json:"unit_kind"`
	UnitRef  string `json:"unit_ref"`
	Year     int    `json:"year"`
	Region   string `json:"region"`
}

// apiSheetCreate opens (or finds) a score sheet: 201 with the sheet.
func (s *Server) apiSheetCreate(w http.ResponseWriter, r *http.Request) error {
	var in sheetInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	sh := &healthcell.ScoreSheet{StandardCode: in.Standard, Kind: in.Kind, UnitKind: in.UnitKind, UnitRef: in.UnitRef, Year: in.Year, Region: in.Region}
	if err := s.svc.Sheets.CreateScoreSheet(r.Context(), sh); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sh)
	return nil
}

func (s *Server) apiSheets(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := listParams(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	kind, err := queryChoice(r, "kind", healthcell.SheetKinds)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Sheets.FindScoreSheets(r.Context(), healthcell.SheetFilter{Division: q.Get("division"), StandardCode: q.Get("standard"), Kind: kind, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	writeList(w, list, total, offset)
	return nil
}

// apiSheet returns a sheet with its answers, evidence and result.
func (s *Server) apiSheet(w http.ResponseWriter, r *http.Request) error {
	sh, std, err := s.loadSheet(r)
	if err != nil {
		return err
	}
	flags, err := s.svc.Sheets.SheetEvidenceFlags(r.Context(), sh.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sheetResponse{ScoreSheet: sh, Result: newResultJSON(score.Compute(std, sh)), Flags: flags})
	return nil
}

// apiSheetEdition starts the next edition of a frozen sheet: 201 with it,
// 409 sheet.not_frozen or sheet.not_latest.
func (s *Server) apiSheetEdition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := s.svc.Sheets.NewSheetEdition(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, n)
	return nil
}

// apiSnapshot returns the frozen copy of a sheet a step relied on.
func (s *Server) apiSnapshot(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sn, err := s.svc.Sheets.FindSheetSnapshot(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sn)
	return nil
}

type answerInput struct {
	Yes   *bool    `json:"yes"`
	Grade string   `json:"grade"`
	Value *float64 `json:"value"`
	Count *int     `json:"count"`
	Note  string   `json:"note"`
	// Reason of an override: a value or count other than the one computed
	// from the registers.
	Reason string `json:"reason"`
}

// apiSheetAnswer saves one item's answer and returns the sheet with its result.
func (s *Server) apiSheetAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in answerInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	a := &healthcell.Answer{ItemCode: r.PathValue("item"), Yes: in.Yes, Grade: in.Grade, Value: in.Value, Count: in.Count, Note: in.Note, Reason: in.Reason}
	if err := s.svc.Sheets.SaveAnswer(r.Context(), id, a); err != nil {
		return err
	}
	return s.apiSheet(w, r)
}

// apiSheetEvidence uploads a file (multipart field "file") for an item: 201
// with the evidence record, 422 for a file too large or of the wrong type.
func (s *Server) apiSheetEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, name, err := readUpload(w, r, "file", healthcell.MaxEvidenceBytes)
	if err != nil {
		return err
	}
	e, err := s.svc.Sheets.AddEvidence(r.Context(), id, r.PathValue("item"), name, data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}
