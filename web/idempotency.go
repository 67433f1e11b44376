package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/healthcell/healthcell"
)

// maxIdempotentBody is the largest request body an idempotent create reads
// (an evidence photo with its multipart envelope).
const maxIdempotentBody = healthcell.MaxEvidenceBytes + 1<<20

// idempotencyHeader names the client's key of a create.
const idempotencyHeader = "Idempotency-Key"

// replayedHeader marks an answer given again for a retried key.
const replayedHeader = "Idempotent-Replayed"

// idempotent makes a create safe to retry: with an Idempotency-Key header,
// the first successful answer is stored with the user and the key (first in
// the transaction that makes the record, then in full), and a
// request sent again with the same key gets that answer back (with
// Idempotent-Replayed: true) without a second record. A failed request
// stores nothing and may be sent again. Once a key is reserved the create
// runs to its end even if the client goes away, so that its answer is
// there for the retry. Without the header h runs as it is.
func (s *Server) idempotent(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		key := r.Header.Get(idempotencyHeader)
		if key == "" || s.svc.Idempotency == nil {
			return h(w, r)
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxIdempotentBody))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "evidence.too_large"}})
			}
			return errBadRequest
		}
		ctx := context.WithoutCancel(r.Context())
		prev, claim, err := s.svc.Idempotency.ReserveKey(ctx, key, fingerprint(r, body))
		if err != nil {
			return err
		}
		if prev != nil {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set(replayedHeader, "true")
			w.WriteHeader(prev.Status)
			w.Write(prev.Body)
			return nil
		}
		claim.Status = http.StatusCreated
		if r.Method == http.MethodPut {
			claim.Status = http.StatusOK
		}
		r = r.WithContext(healthcell.WithIdempotencyClaim(ctx, claim))
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := newBufferedResponse()
		if err := h(rec, r); err != nil {
			// A key whose record committed keeps its answer; ReleaseKey
			// forgets only an unanswered one.
			if rerr := s.svc.Idempotency.ReleaseKey(ctx, key); rerr != nil {
				s.log.Error("release idempotency key", "err", rerr)
			}
			return err
		}
		if rec.status >= 200 && rec.status < 300 {
			if err := s.svc.Idempotency.FinishKey(ctx, key, healthcell.IdempotentResult{Status: rec.status, Body: rec.body.Bytes()}); err != nil {
				// The record and a shorter answer are stored with the
				// key in one transaction; only the full answer is lost.
				s.log.Error("finish idempotency key", "err", err)
			}
		} else if err := s.svc.Idempotency.ReleaseKey(ctx, key); err != nil {
			s.log.Error("release idempotency key", "err", err)
		}
		rec.copyTo(w)
		return nil
	}
}

// fingerprint names a request by method, path and body digest, so that a
// key sent again with another request is recognised. A multipart upload is
// digested by its parts (names, file names, contents), not its bytes: the
// boundary differs from one sending to the next.
func fingerprint(r *http.Request, body []byte) string {
	h := sha256.New()
	io.WriteString(h, r.Method+" "+r.URL.Path+"\n")
	if mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "multipart/form-data" && params["boundary"] != "" {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break // the end, or a broken body the handler refuses
			}
			fmt.Fprintf(h, "%q %q\n", p.FormName(), p.FileName())
			io.Copy(h, p)
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// bufferedResponse holds an answer in memory, to be stored before it is sent.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedResponse() *bufferedResponse { return &bufferedResponse{header: http.Header{}} }

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// copyTo sends the buffered answer to w.
func (b *bufferedResponse) copyTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	w.Write(b.body.Bytes())
}
