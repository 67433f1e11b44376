package web

import (
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/locale"
	"github.com/healthcell/healthcell/register"
)

// offlineRegisters are the registers an officer fills in house to house:
// check-ups and follow-ups of residents, a household's toilet and water,
// and the village's activities.
var offlineRegisters = []string{"checkups", "followups", "sanitation", "activities"}

// offlineMessagePrefixes are the message keys the offline page's script
// shows: its own texts, and the field errors of register values and
// answers, checked on the phone with the definitions' rules.
var offlineMessagePrefixes = []string{"offline.", "register.", "field.", "sync.", "idempotency.", "text."}

// offlinePage serves the offline work page: a shell without data and
// without the user (the service worker keeps it for use without a
// network); its script reads the work set from the browser's storage and
// the API.
func (s *Server) offlinePage(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "offline.title")
	p.User = nil // the shell is the same for everyone: it may be cached
	w.Header().Set("Cache-Control", "no-cache")
	return s.render(w, r, http.StatusOK, "offline", struct{ Page }{p})
}

// offlineMessages serves the texts of the offline page's script in the
// page's language, as a JSON object of key → text.
func (s *Server) offlineMessages(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	out := map[string]string{}
	for _, k := range locale.Keys(offlineMessagePrefixes...) {
		out[k] = s.i18n.T(lang, k, nil)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, out)
}

// serveStaticAt serves the embedded static file name with its content
// type and no-cache (a new build's copy is fetched at once): the service
// worker must sit at the root to control every page, and the manifest
// beside it.
func serveStaticAt(name, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := fs.ReadFile(staticFS(), name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(b)
	}
}

// offlineChoices are what an officer may take along: the villages of the
// scope, the questionnaires, and the open (not frozen) score sheets.
type offlineChoices struct {
	Villages       []healthcell.Division              `json:"villages"`
	Questionnaires []*healthcell.QuestionnaireVersion `json:"questionnaires"`
	Sheets         []*healthcell.ScoreSheet           `json:"sheets"`
}

// apiOfflineChoices lists what the caller may take offline.
func (s *Server) apiOfflineChoices(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	var out offlineChoices
	var err error
	if out.Villages, err = s.svc.Villages(ctx, u.Scope); err != nil {
		return err
	}
	if out.Questionnaires, err = s.svc.Questionnaires.FindQuestionnaires(ctx); err != nil {
		return err
	}
	sheets, _, err := s.svc.Sheets.FindScoreSheets(ctx, healthcell.SheetFilter{Limit: 200})
	if err != nil {
		return err
	}
	for _, sh := range sheets {
		if sh.FrozenAt == nil {
			out.Sheets = append(out.Sheets, sh)
		}
	}
	if out.Villages == nil {
		out.Villages = []healthcell.Division{}
	}
	if out.Sheets == nil {
		out.Sheets = []*healthcell.ScoreSheet{}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// offlineWorkSet is what the phone stores for a village: everything its
// forms need and nothing beyond the caller's scope.
type offlineWorkSet struct {
	TakenAt    time.Time               `json:"taken_at"`
	Village    *healthcell.Division    `json:"village"`
	Registers  []*register.Def         `json:"registers"`
	Households []*healthcell.Household `json:"households"`
	Persons    []*healthcell.Person    `json:"persons"`
	// Entries are the current rows of the registers kept one per household
	// (toilets and water): the phone edits them with their version, and a
	// row changed on the server meanwhile answers 409.
	Entries       []*healthcell.Entry `json:"entries"`
	Questionnaire *questionnaireDoc   `json:"questionnaire,omitempty"`
	Sheet         *offlineSheet       `json:"sheet,omitempty"`
}

// offlineSheet is an open score sheet with its standard's items.
type offlineSheet struct {
	*healthcell.ScoreSheet
	StandardName string            `json:"standard_name"`
	Items        []healthcell.Item `json:"items"`
}

// clearSiteData is the Clear-Site-Data of a logout: the browser drops the
// offline work set and queue (IndexedDB), the shell cache and the service
// worker, and its HTTP cache, so that nothing of the officer's stays on
// the phone.
const clearSiteData = `"cache", "storage"`

// offlinePageSize is the page size of the work set's reads.
const offlinePageSize = 500

// apiOfflineWorkSet returns the work set of ?village= (required), with
// ?households=, ?questionnaire= and ?sheet= when given: the register
// definitions (the rules the server checks with), the village's households
// and residents as the caller may see them (masked as the role requires) —
// only the listed households and their residents and records when
// ?households= names some (comma-separated ids) —, the questionnaire
// without its answer key for those who do not manage questionnaires, and
// the sheet's items. ENOTFOUND for a village, sheet or questionnaire
// outside the caller's scope; EINVALID households offline.household_unknown
// for a listed household that is not one of the village's the caller sees.
func (s *Server) apiOfflineWorkSet(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	code := q.Get("village")
	if code == "" {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "village", Message: "field.required"}})
	}
	d, err := s.svc.Divisions.FindDivision(ctx, code)
	if err != nil {
		return err
	}
	if len(d.Code) != 12 {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "village", Message: "offline.not_village", Value: code}})
	}
	only, err := householdList(q.Get("households"))
	if err != nil {
		return err
	}
	ws := offlineWorkSet{TakenAt: s.now().UTC(), Village: &healthcell.Division{Code: d.Code, Name: d.Name, Level: d.Level, Parent: d.Parent}, Households: []*healthcell.Household{}, Persons: []*healthcell.Person{}}
	for _, c := range offlineRegisters {
		if def := s.cfg.Definitions.Registers.Get(c); def != nil {
			ws.Registers = append(ws.Registers, def)
		}
	}
	for off := 0; ; off += offlinePageSize {
		hs, total, err := s.svc.Households.FindHouseholds(ctx, healthcell.HouseholdFilter{Division: d.Code, Limit: offlinePageSize, Offset: off})
		if err != nil {
			return err
		}
		for _, h := range hs {
			if only == nil || only[h.ID] {
				ws.Households = append(ws.Households, h)
			}
		}
		if len(hs) == 0 || off+len(hs) >= total {
			break
		}
	}
	for off := 0; ; off += offlinePageSize {
		ps, total, err := s.svc.Persons.FindPersons(ctx, healthcell.PersonFilter{Division: d.Code, Limit: offlinePageSize, Offset: off})
		if err != nil {
			return err
		}
		for _, p := range ps {
			if only == nil || only[p.HouseholdID] {
				ws.Persons = append(ws.Persons, p)
			}
		}
		if len(ps) == 0 || off+len(ps) >= total {
			break
		}
	}
	if only != nil && len(ws.Households) != len(only) {
		found := map[int64]bool{}
		for _, h := range ws.Households {
			found[h.ID] = true
		}
		for id := range only {
			if !found[id] {
				return healthcell.Invalid([]healthcell.FieldError{{Field: "households", Message: "offline.household_unknown", Value: strconv.FormatInt(id, 10)}})
			}
		}
	}
	ws.Entries = []*healthcell.Entry{}
	for _, def := range ws.Registers {
		if len(def.Unique) != 1 || def.Unique[0] != "household_id" {
			continue
		}
		for off := 0; ; off += offlinePageSize {
			es, total, err := s.svc.Registers.FindEntries(ctx, healthcell.EntryFilter{Register: def.Code, Division: d.Code, Limit: offlinePageSize, Offset: off})
			if err != nil {
				return err
			}
			for _, e := range es {
				if only == nil || only[e.HouseholdID] {
					ws.Entries = append(ws.Entries, e)
				}
			}
			if len(es) == 0 || off+len(es) >= total {
				break
			}
		}
	}
	if c := q.Get("questionnaire"); c != "" {
		v, qn, err := s.svc.Questionnaires.FindQuestionnaire(ctx, c)
		if err != nil {
			return err
		}
		doc := newQuestionnaireDoc(v, qn, healthcell.ActorFrom(ctx).CanManageQuestionnaires())
		ws.Questionnaire = &doc
	}
	if v := q.Get("sheet"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return healthcell.Invalid([]healthcell.FieldError{{Field: "sheet", Message: "field.invalid", Value: v}})
		}
		sh, err := s.svc.Sheets.FindScoreSheet(ctx, id)
		if err != nil {
			return err
		}
		std, err := s.svc.Standards.FindStandardByID(ctx, sh.StandardID)
		if err != nil {
			return err
		}
		ws.Sheet = &offlineSheet{ScoreSheet: sh, StandardName: std.Name, Items: std.Items}
	}
	writeJSON(w, http.StatusOK, ws)
	return nil
}

// maxOfflineHouseholds is the most households ?households= may list.
const maxOfflineHouseholds = 2000

// householdList parses ?households= (comma-separated ids) into a set; nil
// for an empty list (the whole village). It returns EINVALID households
// for an id that is not a positive number or for too many ids.
func householdList(v string) (map[int64]bool, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) > maxOfflineHouseholds {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "households", Message: "offline.too_many_households"}})
	}
	out := make(map[int64]bool, len(parts))
	for _, p := range parts {
		id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil || id <= 0 {
			return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "households", Message: "field.invalid", Value: p}})
		}
		out[id] = true
	}
	return out, nil
}
