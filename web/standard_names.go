package web

import (
	"context"

	"github.com/healthcell/healthcell"
)

// Pages name a standard by its Chinese name, never by its code
// (healthy-village): the codes are for files and developers.

// standardNames maps the code of every standard to its name. It returns the
// store's error when the standards cannot be listed.
func (s *Server) standardNames(ctx context.Context) (stdNames, error) {
	all, err := s.svc.Standards.FindStandards(ctx)
	if err != nil {
		return nil, err
	}
	return namesOf(all), nil
}

// namesOf maps the code of each standard of list to its name.
func namesOf(list []*healthcell.Standard) stdNames {
	m := stdNames{}
	for _, s := range list {
		m[s.Code] = s.Name
	}
	return m
}

// stdNames maps standard codes to names.
type stdNames map[string]string

// Of returns the name of the standard with code, or the code itself when no
// standard has it (a standard since removed).
func (n stdNames) Of(code string) string {
	if name, ok := n[code]; ok && name != "" {
		return name
	}
	return code
}
