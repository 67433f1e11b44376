package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/healthcell/healthcell"
)

// entryFileUpload attaches a photo or PDF to an entry and comes back to it;
// a bad file shows the entry with the message.
func (s *Server) entryFileUpload(w http.ResponseWriter, r *http.Request) error {
	d, id, err := s.entryRef(r)
	if err != nil {
		return err
	}
	data, name, err := readUpload(w, r, "file", healthcell.MaxEvidenceBytes)
	if err == nil {
		_, err = s.svc.Registers.AddEntryFile(r.Context(), d.Code, id, name, data)
	}
	if healthcell.ErrorCode(err) == healthcell.EINVALID {
		e, ferr := s.svc.Registers.FindEntry(r.Context(), d.Code, id)
		if ferr != nil {
			return ferr
		}
		in := healthcell.EntryInput{Register: d.Code, Fields: rawValues(d, e), Version: e.Version}
		return s.entryForm(w, r, http.StatusUnprocessableEntity, d, e, in, err)
	}
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "notice", "register.saved")
	http.Redirect(w, r, fmt.Sprintf("/registers/%s/%d#files", d.Code, id), http.StatusSeeOther)
	return nil
}

// entryFileServe serves a file of an entry, or its thumbnail for /thumb.
func (s *Server) entryFileServe(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	thumb := r.PathValue("variant") == "thumb"
	f, data, err := s.svc.Registers.EntryFileData(r.Context(), id, thumb)
	if err != nil {
		return err
	}
	return sendFile(w, f.MIME, thumb && f.HasThumb, "file-"+strconv.FormatInt(f.ID, 10), f.Name, data, false)
}

// entryFileRemove detaches a file and comes back to its entry.
func (s *Server) entryFileRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, _, err := s.svc.Registers.EntryFileData(r.Context(), id, true)
	if err != nil {
		return err
	}
	if err := s.svc.Registers.RemoveEntryFile(r.Context(), id); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/registers/%s/%d#files", f.Register, f.EntryID), http.StatusSeeOther)
	return nil
}

// apiEntryFileCreate attaches the multipart field "file"; 201 with the file.
func (s *Server) apiEntryFileCreate(w http.ResponseWriter, r *http.Request) error {
	d, id, err := s.entryRef(r)
	if err != nil {
		return err
	}
	data, name, err := readUpload(w, r, "file", healthcell.MaxEvidenceBytes)
	if err != nil {
		return err
	}
	f, err := s.svc.Registers.AddEntryFile(r.Context(), d.Code, id, name, data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, f)
	return nil
}

// apiEntryFiles lists an entry's files.
func (s *Server) apiEntryFiles(w http.ResponseWriter, r *http.Request) error {
	d, id, err := s.entryRef(r)
	if err != nil {
		return err
	}
	fs, err := s.svc.Registers.EntryFiles(r.Context(), d.Code, id)
	if err != nil {
		return err
	}
	writeList(w, fs, len(fs), 0)
	return nil
}
