package main

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
)

// The public quiz workload (issue 15): with -anon the readers are anonymous
// residents (no login; one login of -user only lists the villages), and with
// -quiz-submit P a reader that has just opened a quiz page (a path ending in
// /quiz) answers it with probability P — POST of the form, first option of
// every item — timed as the "submit" group. P = 0.111 makes one request in
// ten a submission. The server's per-address and per-device limit (20 an
// hour) would refuse nearly all of them from one machine: start it with
// `healthcell serve --public-submit-limit -1` for the run.

var (
	drawnItemsRE = regexp.MustCompile(`name="items" value="([^"]+)"`)
	optionRE     = regexp.MustCompile(`name="a_([^"]+)" value="([^"]+)"`)
)

// quizAnswers builds the answer form of a quiz page: the drawn items and the
// first option of each; nil when the page has no quiz form.
func quizAnswers(page []byte) []byte {
	m := drawnItemsRE.FindSubmatch(page)
	if m == nil {
		return nil
	}
	form := url.Values{"items": {string(m[1])}}
	for _, o := range optionRE.FindAllSubmatch(page, -1) {
		k := "a_" + string(o[1])
		if _, done := form[k]; !done {
			form[k] = []string{string(o[2])}
		}
	}
	return []byte(form.Encode())
}

// anonClient is a client without a session: a resident's phone.
func anonClient(cfg *config, tr *http.Transport) *client {
	jar, _ := cookiejar.New(nil)
	return &client{base: cfg.base, jar: jar, prefix: cfg.base.String(), hc: &http.Client{
		Transport:     tr,
		Timeout:       cfg.timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// maybeSubmit answers the quiz page c has just read, with probability
// -quiz-submit, recording the POST in s.
func (w *workload) maybeSubmit(ctx context.Context, c *client, s *stats, path string, draw float64) {
	if w.cfg.quizSubmit <= 0 || draw >= w.cfg.quizSubmit || !strings.HasSuffix(path, "/quiz") {
		return
	}
	form := quizAnswers(c.body.Bytes())
	if form == nil {
		return
	}
	c.form = true
	w.request(ctx, c, s, http.MethodPost, path, form, http.StatusSeeOther)
	c.form = false
}
