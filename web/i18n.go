package web

import (
	"net/http"

	"github.com/healthcell/healthcell/locale"
)

// langOf returns the request's language: the lang cookie when it names one
// we offer, otherwise Chinese (the users' language, whatever the browser says).
func langOf(r *http.Request) string {
	if c, err := r.Cookie("lang"); err == nil {
		if l := locale.Supported(c.Value); l != "" {
			return l
		}
	}
	return locale.Default
}
