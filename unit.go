package healthcell

import (
	"context"
	"strings"
	"time"
)

// Kinds of institutional units. A unit's kind is also the unit_kind of the
// standards it is scored against.
var InstitutionKinds = []string{"school", "hospital", "agency", "enterprise"}

// Unit is an institution — a school, a hospital or township health centre, a
// government agency, an enterprise — on the division it is in.
type Unit struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	Name       string    `json:"name"`
	Division   string    `json:"division"`             // 12-digit code of the village or township it is in
	Department string    `json:"department,omitempty"` // the county department responsible for it, e.g. 教科体局
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
}

// Validate checks a unit; it returns EINVALID with the fields at fault.
func (u *Unit) Validate() error {
	var fe []FieldError
	u.Name = strings.TrimSpace(u.Name)
	if !containsString(InstitutionKinds, u.Kind) {
		fe = append(fe, FieldError{Field: "kind", Message: "unit.kind.invalid", Value: u.Kind})
	}
	switch n := len([]rune(u.Name)); {
	case n == 0:
		fe = append(fe, FieldError{Field: "name", Message: "field.required"})
	case n > 60:
		fe = append(fe, FieldError{Field: "name", Message: "field.too_long"})
	}
	if l := CodeLevel(u.Division); l != LevelVillage && l != LevelTownship && l != LevelCounty {
		fe = append(fe, FieldError{Field: "division", Message: "division.code.invalid", Value: u.Division})
	}
	fe = append(fe, textErrors(map[string]string{"name": u.Name})...)
	return Invalid(fe)
}

// UnitService keeps institutional units inside the caller's scope.
type UnitService interface {
	// CreateUnit stores u; EINVALID for bad fields, an unknown division or
	// one outside the caller's scope, or a name already used there.
	CreateUnit(ctx context.Context, u *Unit) error
	// FindUnit returns ENOTFOUND when there is none in the caller's scope.
	FindUnit(ctx context.Context, id int64) (*Unit, error)
	// FindUnits lists the units under a division (the caller's scope when empty).
	FindUnits(ctx context.Context, division string) ([]*Unit, error)
}
