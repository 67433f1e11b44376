package web

import (
	"context"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/register"
)

// subjectRegisters returns, for each register about subject, how many
// active entries f's person or household has; registers the caller may not
// read are left out.
func (s *Server) subjectRegisters(ctx context.Context, subject register.Subject, f healthcell.EntryFilter, lang string) ([]registerCard, error) {
	var out []registerCard
	for _, d := range s.cfg.Definitions.Registers.All() {
		if d.Subject != subject {
			continue
		}
		f.Register, f.Limit = d.Code, 1
		_, total, err := s.svc.Registers.FindEntries(ctx, f)
		if c := healthcell.ErrorCode(err); c == healthcell.EFORBIDDEN || c == healthcell.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, registerCard{Def: d, Name: d.Name(lang), Total: total})
	}
	return out, nil
}
