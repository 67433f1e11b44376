package web

import (
	"net/http"
	"net/url"
	"strconv"
)

// pageSize is the number of rows on a list page.
const pageSize = 50

// pager is the pagination of a list page.
type pager struct {
	Page, Pages, Total int
	PrevURL, NextURL   string
}

// offsetOf reads the page parameter "p" (1-based) and returns the row offset.
func offsetOf(r *http.Request) (page, offset int) {
	page, _ = strconv.Atoi(r.URL.Query().Get("p"))
	if page < 1 {
		page = 1
	}
	return page, (page - 1) * pageSize
}

func newPager(r *http.Request, page, total int) pager {
	p := pager{Page: page, Total: total, Pages: max(1, (total+pageSize-1)/pageSize)}
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("p", strconv.Itoa(n))
		u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		return u.String()
	}
	if page > 1 {
		p.PrevURL = link(page - 1)
	}
	if page < p.Pages {
		p.NextURL = link(page + 1)
	}
	return p
}
