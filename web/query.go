package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/healthcell/healthcell"
)

// Query values that pick one of a closed set (a kind, a version) are
// checked: an unknown one is EINVALID (422) on its name, never silently
// the default.

// queryChoice returns the query value name when it is empty or one of
// allowed, and EINVALID (query.invalid) otherwise.
func queryChoice(r *http.Request, name string, allowed []string) (string, error) {
	v := r.URL.Query().Get(name)
	if v == "" || slices.Contains(allowed, v) {
		return v, nil
	}
	return "", healthcell.Invalid([]healthcell.FieldError{{Field: name, Message: "query.invalid", Value: v}})
}

// queryVersion returns the query value "version" as a positive number, 0
// when absent, and EINVALID (query.invalid) for anything else.
func queryVersion(r *http.Request) (int, error) {
	v := r.URL.Query().Get("version")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, healthcell.Invalid([]healthcell.FieldError{{Field: "version", Message: "query.invalid", Value: v}})
	}
	return n, nil
}
