package web

import (
	"net/http"
	"net/url"

	"github.com/healthcell/healthcell"
)

// reconcileKinds are the kinds of differences in the order shown.
var reconcileKinds = []string{healthcell.DiffUnmatched, healthcell.DiffNames, healthcell.DiffTwoHouseholds, healthcell.DiffVillage, healthcell.DiffIDClaim}

type reconcileView struct {
	Page
	Division *healthcell.DivisionView
	Kind     string
	All      bool
	Kinds    []string
	Counts   map[string]int
	Diffs    []*healthcell.Difference
	Errors   formErrors
	Error    string
	Failed   string // the key whose resolution failed
}

// SourceName names a difference's source: a register, the residents, or
// a resident whose ID number is a claim.
func (v reconcileView) SourceName(src string) string {
	if d := v.defs.Registers.Get(src); d != nil {
		return d.Name(v.Lang)
	}
	if src == healthcell.DiffIDClaim {
		return v.T("reconcile.claimed")
	}
	return v.T("reconcile.residents")
}

// reconcilePage lists the differences between the registers and the
// residents under a division, with a form to settle each.
func (s *Server) reconcilePage(w http.ResponseWriter, r *http.Request) error {
	return s.reconcileRender(w, r, http.StatusOK, nil, "")
}

func (s *Server) reconcileRender(w http.ResponseWriter, r *http.Request, status int, err error, failed string) error {
	ctx := r.Context()
	q := r.URL.Query()
	code := q.Get("division")
	if code == "" {
		code = healthcell.ActorFrom(ctx).Scope
	}
	div, derr := s.svc.Divisions.FindDivision(ctx, code)
	if derr != nil {
		return derr
	}
	v := reconcileView{Page: s.newPage(r, "reconcile.title"), Division: div, Kind: q.Get("kind"), All: q.Get("all") == "1",
		Kinds: reconcileKinds, Counts: map[string]int{}, Failed: failed}
	ds, rerr := s.svc.Reconcile.Reconcile(ctx, healthcell.ReconcileFilter{Division: div.Code, Resolved: v.All})
	if rerr != nil {
		return rerr
	}
	for _, d := range ds {
		if !d.Resolved {
			v.Counts[d.Kind]++
		}
		if v.Kind == "" || d.Kind == v.Kind {
			v.Diffs = append(v.Diffs, d)
		}
	}
	if err != nil {
		v.Errors = s.formErrors(v.Lang, err)
		if healthcell.ErrorCode(err) != healthcell.EINVALID {
			v.Error = v.T(healthcell.ErrorMessage(err))
		}
	}
	var who []string
	for _, d := range v.Diffs {
		who = append(who, d.ResolvedBy)
	}
	v.Page = s.withNames(r.Context(), v.Page, who...)
	return s.render(w, r, status, "reconcile", v)
}

// reconcileResolve settles one difference and comes back to the list.
func (s *Server) reconcileResolve(w http.ResponseWriter, r *http.Request) error {
	key := r.PostFormValue("key")
	err := s.svc.Reconcile.ResolveDifference(r.Context(), key, r.PostFormValue("fingerprint"), r.PostFormValue("note"))
	switch healthcell.ErrorCode(err) {
	case "":
	case healthcell.EINVALID:
		return s.reconcileRender(w, r, http.StatusUnprocessableEntity, err, key)
	case healthcell.ECONFLICT:
		return s.reconcileRender(w, r, http.StatusConflict, err, key)
	default:
		return err
	}
	s.sessions.Put(r.Context(), "notice", "reconcile.resolved")
	back := url.URL{Path: "/reconcile", RawQuery: r.URL.RawQuery}
	http.Redirect(w, r, back.String(), http.StatusSeeOther)
	return nil
}

func (s *Server) apiReconcile(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	kind, err := queryChoice(r, "kind", reconcileKinds)
	if err != nil {
		return err
	}
	ds, err := s.svc.Reconcile.Reconcile(r.Context(), healthcell.ReconcileFilter{Division: q.Get("division"), Kind: kind, Resolved: q.Get("resolved") == "true"})
	if err != nil {
		return err
	}
	writeList(w, ds, len(ds), 0)
	return nil
}

// resolutionBody is the body of POST /api/v1/reconcile/resolutions.
type resolutionBody struct {
	Key         string `json:"key"`
	Fingerprint string `json:"fingerprint"`
	Note        string `json:"note"`
}

func (s *Server) apiResolve(w http.ResponseWriter, r *http.Request) error {
	var b resolutionBody
	if err := readJSON(r, &b); err != nil {
		return err
	}
	if err := s.svc.Reconcile.ResolveDifference(r.Context(), b.Key, b.Fingerprint, b.Note); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, b)
	return nil
}
