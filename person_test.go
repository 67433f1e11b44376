package healthcell

import (
	"slices"
	"testing"
	"time"
)

// fakeCheck accepts two fixed numbers so the domain test needs no idcard.
func fakeCheck(id string, now time.Time) (string, string, string, string) {
	switch id {
	case "11010519491231002X", "11010519491231002x":
		return "11010519491231002X", "1949-12-31", "F", ""
	case "510824199001011234":
		return id, "1990-01-01", "M", ""
	}
	return "", "", "", "idcard.check"
}

func TestPersonValidate(t *testing.T) {
	now := time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		p          Person
		wantFields []string
		wantBirth  string
		wantSex    string
	}{
		{"ID gives birth and sex", Person{HouseholdID: 1, Name: "张三", IDNumber: "11010519491231002x"}, nil, "1949-12-31", "F"},
		{"no ID, explicit fields", Person{HouseholdID: 1, Name: "李四", Sex: "M", BirthDate: "2020-02-29"}, nil, "2020-02-29", "M"},
		{"bad ID reports only the ID", Person{HouseholdID: 1, Name: "王五", IDNumber: "510824199001011235"}, []string{"id_number"}, "", ""},
		{"sex disagrees with ID", Person{HouseholdID: 1, Name: "赵六", IDNumber: "510824199001011234", Sex: "F"}, []string{"sex"}, "", ""},
		{"birth disagrees with ID", Person{HouseholdID: 1, Name: "赵六", IDNumber: "510824199001011234", BirthDate: "1990-01-02"}, []string{"birth_date"}, "", ""},
		{"no ID and nothing else", Person{HouseholdID: 1, Name: "孙七"}, []string{"sex", "birth_date"}, "", ""},
		{"future birth", Person{HouseholdID: 1, Name: "周八", Sex: "M", BirthDate: "2025-06-16"}, []string{"birth_date"}, "", ""},
		{"impossible date", Person{HouseholdID: 1, Name: "周八", Sex: "M", BirthDate: "2025-02-30"}, []string{"birth_date"}, "", ""},
		{"empty name", Person{HouseholdID: 1, Name: "  ", Sex: "M", BirthDate: "2000-01-01"}, []string{"name"}, "", ""},
		{"31-character name", Person{HouseholdID: 1, Name: "阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿", Sex: "M", BirthDate: "2000-01-01"}, []string{"name"}, "", ""},
		{"30-character name", Person{HouseholdID: 1, Name: "阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿阿", Sex: "M", BirthDate: "2000-01-01"}, nil, "2000-01-01", "M"},
		{"bad phone", Person{HouseholdID: 1, Name: "吴九", Sex: "F", BirthDate: "2000-01-01", Phone: "12345"}, []string{"phone"}, "", ""},
		{"landline", Person{HouseholdID: 1, Name: "吴九", Sex: "F", BirthDate: "2000-01-01", Phone: "0839-5222222"}, nil, "2000-01-01", "F"},
		{"unknown relation", Person{HouseholdID: 1, Name: "郑十", Sex: "F", BirthDate: "2000-01-01", Relation: "老板"}, []string{"relation"}, "", ""},
		{"no household", Person{Name: "郑十", Sex: "F", BirthDate: "2000-01-01"}, []string{"household_id"}, "", ""},
		{"unknown status", Person{HouseholdID: 1, Name: "郑十", Sex: "F", BirthDate: "2000-01-01", Status: "gone"}, []string{"status"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			err := p.Validate(now, fakeCheck)
			var got []string
			for _, f := range ErrorFields(err) {
				got = append(got, f.Field)
			}
			slices.Sort(got)
			want := slices.Clone(tt.wantFields)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("fields = %v, want %v (%v)", got, want, err)
			}
			if err == nil && (p.BirthDate != tt.wantBirth || p.Sex != tt.wantSex || p.Status != StatusActive) {
				t.Errorf("derived %s %s %s", p.BirthDate, p.Sex, p.Status)
			}
		})
	}
}

func TestAgeAndMask(t *testing.T) {
	now := time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)
	ages := []struct {
		birth string
		want  int
	}{{"1949-12-31", 75}, {"2000-06-15", 25}, {"2000-06-16", 24}, {"", -1}}
	for _, a := range ages {
		if got := (&Person{BirthDate: a.birth}).Age(now); got != a.want {
			t.Errorf("Age(%q) = %d, want %d", a.birth, got, a.want)
		}
	}
	masks := map[string]string{"13812345678": "138****5678", "0839-5222222": "083*****2222", "123": "***", "": ""}
	for in, want := range masks {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
