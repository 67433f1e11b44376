package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/healthcell/healthcell"
)

// Status and residence history (migration 0015). persons.since is the day
// from which a person's household, village, status, relation, registered
// and resident flags hold; a write changing any of them on a later day
// first ends the current span: it copies the row into person_history
// (valid_from = since, valid_to = that day) and moves since to that day.
// A change on the day the span began replaces it (the state at the end of
// a day is what counts); a change dated before it (a death recorded after
// a later move) takes effect from the span's start. households.since and
// household_history keep a household's village and group the same way.
// Every write path that changes those columns of persons or households
// calls these statements first, in its transaction.

// personSpanSQL returns the two statements that end, on day $1, the span
// of the persons matching cond (a condition on persons whose own
// parameters start at $2) that began before that day.
func personSpanSQL(cond string) [2]string {
	return [2]string{
		`INSERT INTO person_history (person_id, household_id, village_code, status, relation, registered, resident, valid_from, valid_to)
		SELECT id, household_id, village_code, status, relation, registered, resident, since, $1 FROM persons
		WHERE since < $1 AND ` + cond,
		`UPDATE persons SET since = $1 WHERE since < $1 AND ` + cond,
	}
}

// householdSpanSQL is personSpanSQL for households.
func householdSpanSQL(cond string) [2]string {
	return [2]string{
		`INSERT INTO household_history (household_id, village_code, grp, active, valid_from, valid_to)
		SELECT id, village_code, grp, active, since, $1 FROM households WHERE since < $1 AND ` + cond,
		`UPDATE households SET since = $1 WHERE since < $1 AND ` + cond,
	}
}

// personChangedCond is the condition (parameters $2…$8) choosing person $2
// when any of its historical values differs from household $3, village
// $4, status $5, relation $6, registered $7 and resident $8.
const personChangedCond = `id = $2 AND (household_id <> $3 OR village_code <> $4 OR status <> $5 OR relation <> $6
	OR registered <> $7 OR resident <> $8)`

// endSpans runs the two statements of a span change with args after day.
// It returns the database's error.
func (tx *Tx) endSpans(ctx context.Context, stmts [2]string, day string, args ...any) error {
	all := append([]any{day}, args...)
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q, all...); err != nil {
			return fmt.Errorf("status history: %w", err)
		}
	}
	return nil
}

// endPersonSpan ends person p's span on day when the stored row's
// historical values differ from p's (household, village, status, relation,
// registered, resident). Call it before the update. It returns the
// database's error.
func (tx *Tx) endPersonSpan(ctx context.Context, p *healthcell.Person, village, day string) error {
	return tx.endSpans(ctx, personSpanSQL(personChangedCond), day,
		p.ID, p.HouseholdID, village, p.Status, p.Relation, p.Registered, p.Resident)
}

// changeDay is the day a person write takes effect: the status date when
// the write records a death or a move away with a valid date, else the
// day given (a checked Since), else the write's own day (Asia/Shanghai).
func changeDay(now time.Time, oldStatus string, p *healthcell.Person, given string) string {
	if p.Status != oldStatus && p.Status != healthcell.StatusActive && p.StatusDate != "" {
		if _, err := time.Parse(time.DateOnly, p.StatusDate); err == nil {
			return p.StatusDate
		}
	}
	if given != "" {
		return given
	}
	return healthcell.CampaignDay(now)
}

// updateDay is the day an update of old to p takes effect (changeDay): p.Since
// when it differs from the stored since. It returns EINVALID on since for a
// day that is not a date, is after today or before the stored since (the
// start of the current state).
func updateDay(now time.Time, old, p *healthcell.Person) (string, error) {
	given := ""
	if p.Since != "" && p.Since != old.Since {
		_, err := time.Parse(time.DateOnly, p.Since)
		if err != nil || p.Since > healthcell.CampaignDay(now) || p.Since < old.Since {
			return "", healthcell.Invalid([]healthcell.FieldError{{Field: "since", Message: "person.since.invalid", Value: p.Since}})
		}
		given = p.Since
	}
	return changeDay(now, old.Status, p, given), nil
}

// bulkStatusSpansSQL gives the persons with id > $1 written by a bulk load
// with a status other than active and its date the span before that date
// (active, where they are), as migration 0015 does for the rows it finds.
var bulkStatusSpansSQL = [2]string{
	`INSERT INTO person_history (person_id, household_id, village_code, status, relation, registered, resident, valid_from, valid_to)
	SELECT id, household_id, village_code, 'active', relation, registered, resident, '', status_date FROM persons
	WHERE id > $1 AND status <> 'active' AND status_date <> '' AND since = ''`,
	`UPDATE persons SET since = status_date WHERE id > $1 AND status <> 'active' AND status_date <> '' AND since = ''`,
}
