package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/healthcell/healthcell"
)

// ID-number claims. persons.id_number is unique. When a user saves a
// resident with a number that another person already holds (or claims) and
// the user may read that person, the save is refused with
// person.id_number.taken: the user can open the other record. When only
// persons the user cannot see hold it, telling the user so would reveal
// that the number lives elsewhere in the county; instead the resident is
// stored with the number in id_claim (id_number NULL), read back as its ID
// number by everyone who may read it, and the answer is the one a number
// nobody has gets. The county office sees every claim with the records it
// collides with in reconciliation (DiffIDClaim, reconcile_claims.go).

// placeIDNumber decides where the ID number id of the person self (0 for a
// new one) saved by a goes. It returns the values of id_number and id_claim
// (each nil or id): id_number when no other person holds or claims it,
// id_claim when only persons a cannot read do. It returns EINVALID
// person.id_number.taken when a person a may read holds or claims it. When
// lookup is set (a new number), the number counts against a's lookup budget
// unless a person a may read has it — whether someone else holds it or
// nobody does, so that even the throttle says nothing — and ETHROTTLED is
// returned once the budget is spent.
func (tx *Tx) placeIDNumber(ctx context.Context, a *healthcell.Actor, id string, self int64, lookup bool) (number, claim any, err error) {
	if id == "" {
		return nil, nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT village_code FROM persons WHERE (id_number = $1 OR id_claim = $1) AND id <> $2`, id, self)
	if err != nil {
		return nil, nil, fmt.Errorf("check id number: %w", err)
	}
	var held, seen bool
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var village string
		if err := rows.Scan(&village); err != nil {
			return err
		}
		held = true
		seen = seen || a.CanReadPersons(village)
		return nil
	}); err != nil {
		return nil, nil, fmt.Errorf("check id number: %w", err)
	}
	if seen {
		return nil, nil, healthcell.Invalid([]healthcell.FieldError{{Field: "id_number", Message: "person.id_number.taken", Value: id}})
	}
	if lookup {
		if err := tx.db.lookups.charge(a, []string{id}, tx.db.Now()); err != nil {
			return nil, nil, err
		}
	}
	if held {
		return nil, id, nil
	}
	return id, nil, nil
}
