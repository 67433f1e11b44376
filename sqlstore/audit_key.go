package sqlstore

import (
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/idcard"
)

// maskAuditKey masks the entity id of an audit entry for a caller who does
// not see personal data. Only a reconciliation difference's key carries
// any: "names:" and "id_claim:" keys end in an ID number (masked as
// idcard.Mask), a "two_households:" key in name|sex|birth date (the date
// becomes its year); "unmatched:" and "village:" keys hold only ids. A key
// of any other kind keeps only its kind, so that a new kind shows nothing
// until it is added here.
func maskAuditKey(entity, id string) string {
	if entity != "reconcile" {
		return id
	}
	kind, rest, _ := strings.Cut(id, ":")
	switch kind {
	case healthcell.DiffNames, healthcell.DiffIDClaim:
		return kind + ":" + idcard.Mask(rest)
	case healthcell.DiffTwoHouseholds:
		if i := strings.LastIndexByte(rest, '|'); i >= 0 && len(rest)-i-1 >= 4 {
			return kind + ":" + rest[:i+1] + rest[i+1:i+5]
		}
		return kind + ":"
	case healthcell.DiffUnmatched, healthcell.DiffVillage:
		return id
	}
	return kind + ":"
}
