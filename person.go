package healthcell

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Person statuses. A person is never deleted: death and moving away are
// recorded as a status with its date, and the record stays for history.
const (
	StatusActive   = "active"
	StatusDeceased = "deceased"
	StatusMoved    = "moved"
)

// Relations to the head of household, as the household register writes them.
var Relations = []string{"户主", "配偶", "子", "女", "儿媳", "女婿", "孙子", "孙女", "父亲", "母亲", "兄弟姐妹", "其他"}

// Person is one resident.
type Person struct {
	ID          int64  `json:"id"`
	HouseholdID int64  `json:"household_id"`
	VillageCode string `json:"village_code"`
	Name        string `json:"name"`
	IDNumber    string `json:"id_number"`            // masked outside the owning scope
	Sex         string `json:"sex"`                  // "M" or "F"
	BirthDate   string `json:"birth_date,omitempty"` // YYYY-MM-DD; "" when masked
	// BirthYear replaces BirthDate when the person is masked: the full date
	// and the area code would narrow a masked ID number down too far.
	BirthYear  int    `json:"birth_year,omitempty"`
	Relation   string `json:"relation"`
	Phone      string `json:"phone"`      // masked outside the owning scope
	Registered bool   `json:"registered"` // 户籍人口
	Resident   bool   `json:"resident"`   // 常住人口
	Status     string `json:"status"`
	StatusDate string `json:"status_date,omitempty"`
	// Since is the day (YYYY-MM-DD) from which the household, village,
	// status, relation and flags hold; "" since the record began. An update
	// giving a later day, not after today, changes them from that day.
	Since     string    `json:"since,omitempty"`
	Masked    bool      `json:"masked,omitempty"` // personal fields are masked
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// MaxNameLen is the longest name accepted, in characters.
const MaxNameLen = 30

var phoneRE = regexp.MustCompile(`^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$`)
var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// PhoneValid reports whether s looks like a mainland mobile or landline number.
func PhoneValid(s string) bool { return phoneRE.MatchString(s) }

// IDChecker validates a resident ID number at time now and returns its birth
// date (YYYY-MM-DD), sex ("M"/"F") and the normalised number, or a message
// key. It is supplied by the idcard package so that this package imports
// only the standard library.
type IDChecker func(id string, now time.Time) (number, birth, sex, msgKey string)

// Validate normalises and checks p at time now; it returns EINVALID with the
// fields at fault. When an ID number is present, birth date and sex are
// derived from it, and a given birth date or sex that disagrees is an error.
func (p *Person) Validate(now time.Time, check IDChecker) error {
	var fe []FieldError
	p.Name = strings.TrimSpace(p.Name)
	p.Phone = strings.TrimSpace(p.Phone)
	switch n := len([]rune(p.Name)); {
	case n == 0:
		fe = append(fe, FieldError{Field: "name", Message: "field.required"})
	case n > MaxNameLen:
		fe = append(fe, FieldError{Field: "name", Message: "person.name.too_long"})
	}
	idGiven := p.IDNumber != ""
	if idGiven {
		num, birth, sex, key := check(p.IDNumber, now)
		if key != "" {
			fe = append(fe, FieldError{Field: "id_number", Message: key, Value: p.IDNumber})
		} else {
			p.IDNumber = num
			if p.BirthDate != "" && p.BirthDate != birth {
				fe = append(fe, FieldError{Field: "birth_date", Message: "person.birth_date.mismatch", Value: p.BirthDate})
			}
			if p.Sex != "" && p.Sex != sex {
				fe = append(fe, FieldError{Field: "sex", Message: "person.sex.mismatch", Value: p.Sex})
			}
			p.BirthDate, p.Sex = birth, sex
		}
	}
	// With an ID number given, sex and birth date come from it: when it is
	// wrong, the ID error alone is reported, not their absence.
	if p.Sex == "" && idGiven {
	} else if p.Sex != "M" && p.Sex != "F" {
		fe = append(fe, FieldError{Field: "sex", Message: "person.sex.invalid", Value: p.Sex})
	}
	if p.BirthDate == "" {
		if !idGiven {
			fe = append(fe, FieldError{Field: "birth_date", Message: "field.required"})
		}
	} else if t, err := time.Parse("2006-01-02", p.BirthDate); err != nil || !dateRE.MatchString(p.BirthDate) {
		fe = append(fe, FieldError{Field: "birth_date", Message: "person.birth_date.invalid", Value: p.BirthDate})
	} else if p.BirthDate > CampaignDay(now) {
		fe = append(fe, FieldError{Field: "birth_date", Message: "person.birth_date.future", Value: p.BirthDate})
	} else if t.Year() < 1880 {
		fe = append(fe, FieldError{Field: "birth_date", Message: "person.birth_date.invalid", Value: p.BirthDate})
	}
	if key := CheckText(p.Name); key != "" {
		fe = append(fe, FieldError{Field: "name", Message: key})
	}
	if p.Relation != "" && !validRelation(p.Relation) {
		fe = append(fe, FieldError{Field: "relation", Message: "person.relation.invalid", Value: p.Relation})
	}
	if p.Phone != "" && !PhoneValid(p.Phone) {
		fe = append(fe, FieldError{Field: "phone", Message: "person.phone.invalid", Value: p.Phone})
	}
	if p.HouseholdID == 0 {
		fe = append(fe, FieldError{Field: "household_id", Message: "field.required"})
	}
	switch p.Status {
	case "":
		p.Status = StatusActive
	case StatusActive, StatusDeceased, StatusMoved:
	default:
		fe = append(fe, FieldError{Field: "status", Message: "person.status.invalid", Value: p.Status})
	}
	return Invalid(fe)
}

func validRelation(r string) bool {
	for _, x := range Relations {
		if x == r {
			return true
		}
	}
	return false
}

// Age returns p's age in full years at date now, or -1 without a birth date.
// A masked person (birth year only) is aged as if born on 1 January. The
// day of now is taken in the campaign time zone.
func (p *Person) Age(now time.Time) int {
	now = now.In(shanghai)
	b, err := time.Parse("2006-01-02", p.BirthDate)
	if err != nil {
		if p.BirthDate == "" && p.BirthYear > 0 {
			return now.Year() - p.BirthYear
		}
		return -1
	}
	age := now.Year() - b.Year()
	if now.Month() < b.Month() || (now.Month() == b.Month() && now.Day() < b.Day()) {
		age--
	}
	return age
}

// PersonFilter selects persons.
type PersonFilter struct {
	Division    string // 12-digit code; everything under it (required unless HouseholdID)
	HouseholdID int64
	Query       string // a name fragment, or an ID number prefix
	Inactive    bool   // include deceased and moved persons
	Offset      int
	Limit       int
}

// PersonService manages residents inside the caller's scope. Out-of-scope
// records are ENOTFOUND; personal fields are masked when the caller does not
// own the record's scope.
type PersonService interface {
	// FindPerson returns ENOTFOUND when there is none in the caller's scope.
	FindPerson(ctx context.Context, id int64) (*Person, error)
	// FindPersons returns a page of persons and the total matching.
	FindPersons(ctx context.Context, f PersonFilter) ([]*Person, int, error)
	// CreatePerson stores p in its household; EINVALID for bad fields or an
	// ID number that is already registered.
	CreatePerson(ctx context.Context, p *Person) error
	// UpdatePerson saves p if p.Version is current (ECONFLICT otherwise); a
	// changed HouseholdID moves the person.
	UpdatePerson(ctx context.Context, p *Person) error
	// SetPersonStatus records death or moving away (or a return), with a date.
	SetPersonStatus(ctx context.Context, id int64, version int, status, date string) (*Person, error)
	// PersonSpans returns the person's status history, oldest first, ending
	// with the current state; ENOTFOUND as FindPerson.
	PersonSpans(ctx context.Context, id int64) ([]PersonSpan, error)
}

// PersonSpan is a stretch of days during which a person's village,
// household, status, relation and flags held: what indicators of past
// periods count.
type PersonSpan struct {
	From        string `json:"from"` // YYYY-MM-DD, first day; "" since the record began
	To          string `json:"to"`   // YYYY-MM-DD, the day it ended (exclusive); "" for the current state
	VillageCode string `json:"village"`
	VillageName string `json:"village_name"`
	HouseholdID int64  `json:"household_id"`
	Status      string `json:"status"`
	Relation    string `json:"relation"`
	Registered  bool   `json:"registered"`
	Resident    bool   `json:"resident"`
}

// MaskPhone hides the middle of a phone number for display outside the
// owning scope: 13812345678 → 138****5678. Short strings become all '*'.
func MaskPhone(s string) string {
	r := []rune(s)
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}
