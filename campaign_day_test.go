package healthcell

import (
	"testing"
	"time"
)

// TestCampaignDayAtNight checks that dates are judged by the officers'
// calendar (Asia/Shanghai), not the server's: at 17:30 UTC on 5 December it
// is already 6 December in the counties, and a phone that records a survey
// on "today" must not be told the date lies in the future.
func TestCampaignDayAtNight(t *testing.T) {
	now := time.Date(2026, 12, 5, 17, 30, 0, 0, time.UTC)
	if got := CampaignDay(now); got != "2026-12-06" {
		t.Fatalf("CampaignDay = %s, want 2026-12-06", got)
	}
	if got := CampaignYear(time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC)); got != 2027 {
		t.Errorf("CampaignYear on 31 December 20:00 UTC = %d, want 2027", got)
	}
	tests := []struct {
		date    string
		wantErr bool
	}{
		{"", false}, // defaults to the campaign day
		{"2026-12-05", false},
		{"2026-12-06", false},
		{"2026-12-07", true},
		{"1999-12-31", true},
		{"2026-13-01", true},
	}
	for _, tt := range tests {
		r := &Response{SurveyDate: tt.date}
		err := r.ValidateSurveyDate(now)
		if (err != nil) != tt.wantErr {
			t.Errorf("survey date %q: err %v, want error %v", tt.date, err, tt.wantErr)
		}
		if tt.date == "" && r.SurveyDate != "2026-12-06" {
			t.Errorf("empty survey date defaults to %s, want 2026-12-06", r.SurveyDate)
		}
	}
	born := func(d string) error {
		p := Person{HouseholdID: 1, Name: "张三", Sex: "M", BirthDate: d}
		return p.Validate(now, fakeCheck)
	}
	if err := born("2026-12-06"); err != nil {
		t.Errorf("a child born today in the county is refused: %v", err)
	}
	if err := born("2026-12-07"); err == nil {
		t.Errorf("a birth date tomorrow is accepted")
	}
	p := Person{BirthDate: "2000-12-06"}
	if got := p.Age(now); got != 26 {
		t.Errorf("age on the birthday in the county = %d, want 26", got)
	}
}
