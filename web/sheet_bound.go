package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

// Computed is the item's value computed from the registers, or nil for an
// item that is not data-bound.
func (i *sheetItem) Computed() *healthcell.Computed {
	if i.Answer == nil {
		return nil
	}
	return i.Answer.Computed
}

// Override is the officer's own value replacing the computed one, or nil.
func (i *sheetItem) Override() *healthcell.Override {
	if i.Answer == nil {
		return nil
	}
	return i.Answer.Override
}

// HasComputedValue reports whether the registers gave a value.
func (i *sheetItem) HasComputedValue() bool {
	c := i.Computed()
	return c != nil && c.Value != nil
}

// ComputedValue is the computed value as text ("—" when none).
func (i *sheetItem) ComputedValue() string { return numText(i.Computed().Value) }

// ComputedNumerator and ComputedDenominator are the counts behind a rate.
func (i *sheetItem) ComputedNumerator() string   { return numText(i.Computed().Numerator) }
func (i *sheetItem) ComputedDenominator() string { return numText(i.Computed().Denominator) }

// ComputedAsOf is when the value was computed, in the campaign's time zone.
func (i *sheetItem) ComputedAsOf() string {
	return i.Computed().AsOf.In(healthcell.CampaignLocation()).Format("2006-01-02 15:04")
}

// IsRate reports whether the computed value is a rate with a denominator.
func (i *sheetItem) IsRate() bool {
	c := i.Computed()
	return c != nil && c.Denominator != nil
}

// OverrideText is the overriding value as text.
func (i *sheetItem) OverrideText() string {
	o := i.Override()
	if o == nil {
		return ""
	}
	return strconv.FormatFloat(o.Value, 'f', -1, 64)
}

// ReasonOf is the override's reason, "".
func (i *sheetItem) ReasonOf() string {
	if o := i.Override(); o != nil {
		return o.Reason
	}
	return ""
}

// RowsLink is the page listing the rows behind a computed value: the
// indicator's page of the division and year (the unit's dashboard for an
// institution), or the unit's activity register in the year.
func (i *sheetItem) RowsLink(sh *healthcell.ScoreSheet) string {
	c := i.Computed()
	if c == nil {
		return ""
	}
	unit := ""
	switch sh.UnitKind {
	case "village", "community", "township", "household":
	default:
		unit = sh.UnitRef
	}
	if c.Source == healthcell.ComputedActivity {
		return fmt.Sprintf("/registers/activities?division=%s&from=%d-01-01&to=%d-12-31", sh.Division, sh.Year, sh.Year)
	}
	if unit != "" {
		return fmt.Sprintf("/dashboard?unit=%s&period=%d#own-%s", unit, sh.Year, c.Code)
	}
	return indicatorPath(c.Code, sh.Division, strconv.Itoa(sh.Year))
}

// MissingLink is the list of the residents or households of the sheet's
// unit that the item's indicator does not yet count, or "" when its rows
// cannot be listed.
func (i *sheetItem) MissingLink(sh *healthcell.ScoreSheet) string {
	c := i.Computed()
	if c == nil || c.Lists == "" || c.Source != healthcell.ComputedIndicator {
		return ""
	}
	return fmt.Sprintf("/indicators/%s/missing?division=%s&period=%d", c.Code, sh.Division, sh.Year)
}

// FlagsOf lists the evidence flags of the item.
func (v sheetView) FlagsOf(code string) []healthcell.EvidenceFlag { return v.Flags[code] }

// numText writes a number without trailing zeros, "—" for nil.
func numText(x *float64) string {
	if x == nil {
		return "—"
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

// sheetOverrides counts the overrides of a sheet.
func sheetOverrides(sh *healthcell.ScoreSheet) int {
	n := 0
	for _, a := range sh.Answers {
		if a.Override != nil {
			n++
		}
	}
	return n
}

// flagsByItem groups evidence flags by item code.
func flagsByItem(fl []healthcell.EvidenceFlag) map[string][]healthcell.EvidenceFlag {
	out := map[string][]healthcell.EvidenceFlag{}
	for _, f := range fl {
		out[f.ItemCode] = append(out[f.ItemCode], f)
	}
	return out
}

// overrideFromForm reads an answer's reason and the optional file sent with
// it; the file is nil when none was chosen.
func overrideFromForm(w http.ResponseWriter, r *http.Request, a *healthcell.Answer) (*healthcell.SheetFile, error) {
	a.Reason = strings.TrimSpace(r.PostFormValue("reason"))
	if r.MultipartForm == nil || r.MultipartForm.File["file"] == nil {
		return nil, nil
	}
	data, name, err := readUpload(w, r, "file", healthcell.MaxEvidenceBytes)
	if err != nil {
		return nil, err
	}
	return &healthcell.SheetFile{ItemCode: a.ItemCode, Name: name, Data: data}, nil
}

// sheetEdition starts the next edition of a frozen sheet and opens it.
func (s *Server) sheetEdition(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := s.svc.Sheets.NewSheetEdition(r.Context(), id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/sheets/%d", n.ID), http.StatusSeeOther)
	return nil
}

// snapshotPage shows the frozen copy a step of an application relied on,
// read-only, laid out as the printed sheet.
func (s *Server) snapshotPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sn, err := s.svc.Sheets.FindSheetSnapshot(r.Context(), id)
	if err != nil {
		return err
	}
	std, err := s.svc.Standards.FindStandardByID(r.Context(), sn.Sheet.StandardID)
	if err != nil {
		return err
	}
	res, sections, _ := buildSheet(std, sn.Sheet)
	v := sheetView{Page: s.newPage(r, "sheet.title"), Sheet: sn.Sheet, Standard: std, Result: res, Sections: sections, Snapshot: sn,
		Overrides: sn.Overrides}
	v.Title = sn.Sheet.UnitName + " · " + std.Name
	v.Page = s.withNames(r.Context(), v.Page, sn.CreatedBy)
	return s.render(w, r, http.StatusOK, "sheet_print", v)
}
