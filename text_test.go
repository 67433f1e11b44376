package healthcell

import (
	"testing"
	"time"
)

func TestCheckText(t *testing.T) {
	tests := []struct {
		name, in       string
		want, wantLong string
	}{
		{"plain", "张三", "", ""},
		{"latin and digits", "Team 2", "", ""},
		{"NUL", "张\x00三", "text.control", "text.control"},
		{"line break", "张\n三", "text.control", ""},
		{"tab", "a\tb", "text.control", ""},
		{"escape", "a\x1bb", "text.control", "text.control"},
		{"zero-width only", "\u200b\u200b", "text.invisible", "text.invisible"},
		{"zero-width inside", "张\u200d三", "text.invisible", "text.invisible"},
		{"right-to-left override", "\u202e三张", "text.invisible", "text.invisible"},
		{"isolate", "\u2067x", "text.invisible", "text.invisible"},
		{"byte order mark", "\ufeff张三", "text.invisible", "text.invisible"},
		{"invalid UTF-8", "\xff", "text.control", "text.control"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckText(tt.in); got != tt.want {
				t.Errorf("CheckText(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := CheckLongText(tt.in); got != tt.wantLong {
				t.Errorf("CheckLongText(%q) = %q, want %q", tt.in, got, tt.wantLong)
			}
		})
	}
}

// TestNamesRefuseHiddenCharacters checks that every kind of name goes
// through the shared text check, and that reserved usernames are refused.
func TestNamesRefuseHiddenCharacters(t *testing.T) {
	now := time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)
	noID := func(string, time.Time) (string, string, string, string) { return "", "", "", "" }
	tests := []struct {
		name, field, key string
		validate         func() error
	}{
		{"person NUL", "name", "text.control", func() error {
			return (&Person{Name: "张\x00三", Sex: "M", BirthDate: "1990-01-01", HouseholdID: 1}).Validate(now, noID)
		}},
		{"person zero-width only", "name", "text.invisible", func() error {
			return (&Person{Name: "\u200b\u200c", Sex: "M", BirthDate: "1990-01-01", HouseholdID: 1}).Validate(now, noID)
		}},
		{"person right-to-left override", "name", "text.invisible", func() error {
			return (&Person{Name: "\u202e三张", Sex: "M", BirthDate: "1990-01-01", HouseholdID: 1}).Validate(now, noID)
		}},
		{"household address", "address", "text.control", func() error {
			return (&Household{Number: "A-1", VillageCode: "510824100001", Address: "一组\x07"}).Validate()
		}},
		{"household number", "number", "text.invisible", func() error {
			return (&Household{Number: "A-1\u200b", VillageCode: "510824100001"}).Validate()
		}},
		{"unit name", "name", "text.invisible", func() error {
			return (&Unit{Kind: "school", Name: "\u202e校学", Division: "510824100001"}).Validate()
		}},
		{"user display name", "display_name", "text.control", func() error {
			return (&User{Username: "li", DisplayName: "李\x00", Role: RoleViewer, Scope: "510824000000"}).Validate()
		}},
		{"username system", "username", "user.username.reserved", func() error {
			return (&User{Username: "system", Role: RoleViewer, Scope: "510824000000"}).Validate()
		}},
		{"username SYSTEM", "username", "user.username.reserved", func() error {
			return (&User{Username: "SYSTEM", Role: RoleViewer, Scope: "510824000000"}).Validate()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fe := ErrorFields(tt.validate())
			if len(fe) != 1 || fe[0].Field != tt.field || fe[0].Message != tt.key {
				t.Errorf("got %+v, want one %s on %s", fe, tt.key, tt.field)
			}
		})
	}
}
