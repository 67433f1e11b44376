package healthcell

import (
	"context"
	"strings"
	"time"
)

// Household is one 户 in a village, from the baseline survey.
type Household struct {
	ID          int64     `json:"id"`
	Number      string    `json:"number"`       // 户编号, unique within the village
	VillageCode string    `json:"village_code"` // 12-digit village or community code
	Group       string    `json:"group"`        // 村民小组 / 组
	Address     string    `json:"address"`
	HeadID      int64     `json:"head_id,omitempty"` // the person who is 户主, 0 when none yet
	HeadName    string    `json:"head_name,omitempty"`
	Members     int       `json:"members"` // active members, filled on reads
	Active      bool      `json:"active"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks a household before it is stored; it returns EINVALID with
// the fields at fault.
func (h *Household) Validate() error {
	var fe []FieldError
	h.Number = strings.TrimSpace(h.Number)
	h.Group = strings.TrimSpace(h.Group)
	h.Address = strings.TrimSpace(h.Address)
	switch n := len([]rune(h.Number)); {
	case n == 0:
		fe = append(fe, FieldError{Field: "number", Message: "field.required"})
	case n > 30:
		fe = append(fe, FieldError{Field: "number", Message: "field.too_long"})
	}
	if CodeLevel(h.VillageCode) != LevelVillage {
		fe = append(fe, FieldError{Field: "village_code", Message: "division.village.invalid", Value: h.VillageCode})
	}
	if len([]rune(h.Group)) > 30 {
		fe = append(fe, FieldError{Field: "group", Message: "field.too_long"})
	}
	if len([]rune(h.Address)) > 200 {
		fe = append(fe, FieldError{Field: "address", Message: "field.too_long"})
	}
	fe = append(fe, textErrors(map[string]string{"number": h.Number, "group": h.Group, "address": h.Address})...)
	return Invalid(fe)
}

// HouseholdFilter selects households.
type HouseholdFilter struct {
	Division string // 12-digit code; everything under it
	Number   string // exact household number (户编号), when set
	Offset   int
	Limit    int
	// Brief leaves out what a list of households does not show (address,
	// version, times), which makes a long list cheaper to read.
	Brief bool
}

// HouseholdService manages households inside the caller's scope.
type HouseholdService interface {
	// FindHousehold returns ENOTFOUND when there is none in the caller's scope.
	FindHousehold(ctx context.Context, id int64) (*Household, error)
	// FindHouseholds returns a page of households and the total matching.
	FindHouseholds(ctx context.Context, f HouseholdFilter) ([]*Household, int, error)
	// CreateHousehold stores h; EINVALID for bad fields or a village outside
	// the caller's scope or a number already taken in the village.
	CreateHousehold(ctx context.Context, h *Household) error
	// UpdateHousehold saves h if h.Version is current; ECONFLICT otherwise.
	UpdateHousehold(ctx context.Context, h *Household) error
}
