package sqlstore

import (
	"context"
	"strconv"

	"github.com/healthcell/healthcell"
)

// eachBatchCandidate reads, in order, the applications a sampling batch
// (a township's family batch or a naming office's batch) is asked to hold
// and calls check with each one the actor may read; check rejects an
// application by calling bad with a message key. A repeated id is rejected
// with repeatedKey and one that is missing or out of scope as not found,
// all as field errors of field with the id's row. It returns the field
// errors and the first storage error (of a read, or of check).
func eachBatchCandidate(ctx context.Context, tx *Tx, ids []int64, field, repeatedKey string,
	check func(a *healthcell.Application, bad func(key string)) error) ([]healthcell.FieldError, error) {
	var fe []healthcell.FieldError
	seen := map[int64]bool{}
	for i, id := range ids {
		bad := func(key string) {
			fe = append(fe, healthcell.FieldError{Field: field, Row: i + 1, Value: strconv.FormatInt(id, 10), Message: key})
		}
		if seen[id] {
			bad(repeatedKey)
			continue
		}
		seen[id] = true
		a, err := findApplication(ctx, tx, id)
		if err != nil || !readable(tx.actor, a) {
			if err != nil && healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				return nil, err
			}
			bad("error.not_found.application")
			continue
		}
		if err := check(a, bad); err != nil {
			return nil, err
		}
	}
	return fe, nil
}
