package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
)

// The quiz page is what a village's QR code opens, so it is the public page
// most read (issue 15). A view costs no query and no template: the survey,
// the village's name and the bank are kept per village for publicTTL
// (emptied when a survey is published or closed through this server), the
// page around the form per language, and each question's HTML per bank and
// language; a view draws the items and joins the pieces.

// quizState is what a village's quiz page needs from storage.
type quizState struct {
	at     time.Time
	survey *healthcell.Survey
	bank   *questionnaire.Questionnaire
	name   string   // the village's name
	frames sync.Map // language → [3]string: the page before the drawn codes, between them and the questions, after
}

// quizItemKey names a bank's questions in one language.
type quizItemKey struct {
	lang string
	bank *questionnaire.Questionnaire
}

// quizItemParts is one question's HTML around its number (itemParts).
type quizItemParts struct{ head, tail string }

// Markers the frame is rendered with and cut at.
const (
	quizDrawnMark = "\x00drawn\x00"
	quizItemsMark = "\x00items\x00"
)

// quizState returns the quiz of village while the public may answer it,
// from the cache when fresh (only open quizzes of real villages are kept).
// On ENOTFOUND the survey (when there is one) and the village's name come
// back for the closed page.
func (s *Server) quizState(ctx context.Context, village string) (*quizState, error) {
	now := s.now()
	if e, ok := s.public.quiz.Load(village); ok && now.Sub(e.(*quizState).at) < publicTTL {
		return e.(*quizState), nil
	}
	sv, q, name, err := s.svc.Surveys.PublicQuestionnaire(ctx, healthcell.QuizCode, village)
	if err != nil {
		return &quizState{survey: sv, name: name}, err
	}
	st := &quizState{at: now, survey: sv, bank: q, name: name}
	s.public.quiz.Store(village, st)
	return st, nil
}

// quizFrame returns the quiz page of st in the request's language cut around the drawn
// codes and the questions.
func (s *Server) quizFrame(r *http.Request, st *quizState, village string) ([3]string, error) {
	lang := langOf(r)
	if f, ok := st.frames.Load(lang); ok {
		return f.([3]string), nil
	}
	v := s.quizView(r, st.name, village, nil, quizDrawnMark)
	v.itemsHTML = quizItemsMark
	var b bytes.Buffer
	if err := s.execute(&b, "quiz_public", "quizlayout", v); err != nil {
		return [3]string{}, err
	}
	page := b.String()
	i, j := strings.Index(page, quizDrawnMark), strings.Index(page, quizItemsMark)
	if i < 0 || j < i {
		return [3]string{}, fmt.Errorf("quiz page: the markers are not in the page")
	}
	f := [3]string{page[:i], page[i+len(quizDrawnMark) : j], page[j+len(quizItemsMark):]}
	st.frames.Store(lang, f)
	return f, nil
}

// quizItems returns the HTML of every question of bank in p's language, by
// item code.
func (s *Server) quizItems(p Page, bank *questionnaire.Questionnaire) map[string]quizItemParts {
	key := quizItemKey{p.Lang, bank}
	if m, ok := s.quizParts.Load(key); ok {
		return m.(map[string]quizItemParts)
	}
	m := make(map[string]quizItemParts, len(bank.Items))
	for _, it := range formItems(p, bank.Items, nil, nil) {
		h, t := itemParts(p, it)
		m[it.Code] = quizItemParts{h, t}
	}
	s.quizParts.Store(key, m)
	return m
}

// writeQuizPage writes the quiz page of st with items drawn from its bank.
func (s *Server) writeQuizPage(w http.ResponseWriter, r *http.Request, st *quizState, village string) error {
	frame, err := s.quizFrame(r, st, village)
	if err != nil {
		return err
	}
	items := drawQuiz(st.bank, healthcell.QuizItems)
	parts := s.quizItems(s.newPage(r, "quiz.title"), st.bank)
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	buf.WriteString(frame[0])
	for i, it := range items {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(html.EscapeString(it.Code))
	}
	buf.WriteString(frame[1])
	for i, it := range items {
		pt := parts[it.Code]
		buf.WriteString(pt.head)
		buf.WriteString(strconv.Itoa(i + 1))
		buf.WriteString(pt.tail)
	}
	buf.WriteString(frame[2])
	w.Header().Set("Cache-Control", "no-store")
	return writePage(w, http.StatusOK, buf.Bytes())
}
