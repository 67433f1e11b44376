package web

import (
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
)

// rectificationAnswer records the unit's answer to an item, with an
// optional photo, and goes back to the application.
func (s *Server) rectificationAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, name, uerr := readUpload(w, r, "file", healthcell.MaxEvidenceBytes)
	ctx := r.Context()
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	app := r.PostFormValue("application")
	var rerr error
	if uerr == nil {
		_, rerr = s.svc.Rectifications.AddRectificationFile(ctx, id, name, data)
	} else if healthcell.ErrorFields(uerr)[0].Message != "evidence.empty" {
		rerr = uerr // a file that is too large; no file at all is fine
	}
	if rerr == nil {
		_, rerr = s.svc.Rectifications.AnswerRectification(ctx, id, r.PostFormValue("note"), version)
	}
	return s.afterRectification(w, r, app, rerr)
}

// rectificationCheck accepts an answered item or reopens it.
func (s *Server) rectificationCheck(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err = s.svc.Rectifications.CheckRectification(r.Context(), id, r.PostFormValue("verdict") == "accept", r.PostFormValue("note"), version)
	return s.afterRectification(w, r, r.PostFormValue("application"), err)
}

// afterRectification goes back to the application page (or the queue),
// showing a refusal there.
func (s *Server) afterRectification(w http.ResponseWriter, r *http.Request, app string, err error) error {
	if _, perr := strconv.ParseInt(app, 10, 64); perr != nil {
		if err != nil {
			return err
		}
		back := "/queue"
		if insp, perr := strconv.ParseInt(r.PostFormValue("inspection"), 10, 64); perr == nil {
			back = "/inspections/" + strconv.FormatInt(insp, 10)
		}
		s.sessions.Put(r.Context(), "notice", "common.saved")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	if err != nil {
		code := healthcell.ErrorCode(err)
		if code == healthcell.EINTERNAL || code == healthcell.ENOTFOUND {
			return err
		}
		r.SetPathValue("id", app)
		return s.renderApplication(w, r, statusOf[code], err)
	}
	s.sessions.Put(r.Context(), "notice", "common.saved")
	http.Redirect(w, r, "/applications/"+app+"#rectifications", http.StatusSeeOther)
	return nil
}

// workflowFile serves a rectification or inspection photo (or its
// thumbnail) to users who see what it belongs to.
func (s *Server) workflowFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	thumb := r.PathValue("variant") == "thumb"
	e, data, err := s.svc.Rectifications.WorkflowFile(r.Context(), id, thumb)
	if err != nil {
		return err
	}
	return sendFile(w, e.MIME, thumb && e.HasThumb, "file-"+strconv.FormatInt(e.ID, 10), e.Name, data, false)
}

// queueView is what waits for the user.
type queueView struct {
	Page
	Queue *healthcell.Queue
	Today string
}

// queuePage shows what waits for the user: applications to act on, items
// to fix or to check, and overdue items.
func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) error {
	q, err := s.svc.Applications.Queue(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "queue", queueView{Page: s.newPage(r, "queue.title"), Queue: q, Today: healthcell.CampaignDay(s.now())})
}

// ActionsOf lists the actions waiting on an application in the queue.
func (v queueView) ActionsOf(id int64) []string { return v.Queue.Actions[id] }
