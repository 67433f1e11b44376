package sqlstore

import (
	"context"
	"fmt"
	"strconv"
)

// householdContracts counts the household's (id as text) active resident
// members, and those of them without a family-doctor contract in force on
// day (YYYY-MM-DD): the facts of guard members_contracted.
func householdContracts(ctx context.Context, q querier, household, day string) (members, uncontracted int, err error) {
	id, err := strconv.ParseInt(household, 10, 64)
	if err != nil {
		return 0, 0, nil // not a household id: no members
	}
	err = q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM reg_contracts c
			WHERE c.person_id = p.id AND c.active AND c.start_date <= $2 AND c.end_date >= $2) THEN 0 ELSE 1 END), 0)
		FROM persons p WHERE p.household_id = $1 AND p.status = 'active' AND p.resident`, id, day).Scan(&members, &uncontracted)
	if err != nil {
		return 0, 0, fmt.Errorf("household contracts: %w", err)
	}
	return members, uncontracted, nil
}

// passedBySample reports whether application id is a member not drawn in a
// passed sampling batch that has not yet passed with it (guard
// passed_by_sample): the batch's decision sets the member's passed_at
// right after its step, so the basis serves once.
func passedBySample(ctx context.Context, q querier, id int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM family_batch_members m JOIN family_batches b ON b.id = m.batch_id
		WHERE m.application_id = $1 AND NOT m.sampled AND m.passed_at IS NULL AND b.state = 'passed'`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("passed by sample: %w", err)
	}
	return n > 0, nil
}
