package sqlstore_test

import (
	"math"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/score"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestScoreSheetNumberRange: score-sheet numbers are range-checked like
// register numbers: a percentage above 100 (1e308 included) or a count
// that is negative or too large is refused with its own message, and
// nothing is stored; the edges of the range are taken.
func TestScoreSheetNumberRange(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		std := &healthcell.Standard{
			Code: "test-range", Name: "测试范围", CellType: "健康村", UnitKind: "village", Issuer: "测试", Source: "测试",
			TotalPoints: 30, PassScore: 10,
			Items: []healthcell.Item{
				{Code: "P", Section: "一", Text: "知晓率≥90%", Points: 10, Method: "egt", Indicator: "knowledge_rate", Target: 90},
				{Code: "L", Section: "一", Text: "吸烟率≤20%", Points: 10, Method: "elt", Indicator: "behaviour_rate", Target: 20},
				{Code: "C", Section: "一", Text: "讲座不少于4次", Points: 10, Method: "count", Activity: "lecture", MinCount: 4},
			},
		}
		if err := db.CreateStandard(sqltest.System(), std); err != nil {
			t.Fatal(err)
		}
		officer := sqltest.As("cun", healthcell.RoleVillage, sqltest.Village)
		sh := &healthcell.ScoreSheet{StandardCode: std.Code, Kind: healthcell.SheetSelf, UnitKind: "village", UnitRef: sqltest.Village, Year: 2025}
		if err := db.CreateScoreSheet(officer, sh); err != nil {
			t.Fatal(err)
		}
		f := func(v float64) *float64 { return &v }
		n := func(v int) *int { return &v }
		tests := []struct {
			name string
			a    healthcell.Answer
			want string // message key; "" when taken
		}{
			{"percentage 1e308", healthcell.Answer{ItemCode: "P", Value: f(1e308)}, score.MsgValueRange},
			{"percentage just above 100", healthcell.Answer{ItemCode: "P", Value: f(100.01)}, score.MsgValueRange},
			{"percentage infinite", healthcell.Answer{ItemCode: "P", Value: f(math.Inf(1))}, score.MsgValueInvalid},
			{"percentage negative", healthcell.Answer{ItemCode: "L", Value: f(-0.5)}, score.MsgValueInvalid},
			{"elt percentage above 100", healthcell.Answer{ItemCode: "L", Value: f(250)}, score.MsgValueRange},
			{"count negative", healthcell.Answer{ItemCode: "C", Count: n(-1)}, score.MsgCountInvalid},
			{"count too large", healthcell.Answer{ItemCode: "C", Count: n(score.MaxCount + 1)}, score.MsgCountRange},
			{"percentage 100", healthcell.Answer{ItemCode: "P", Value: f(100)}, ""},
			{"percentage 0", healthcell.Answer{ItemCode: "L", Value: f(0)}, ""},
		}
		for _, tt := range tests {
			before, err := db.FindScoreSheet(officer, sh.ID)
			if err != nil {
				t.Fatal(err)
			}
			a := tt.a
			err = db.SaveAnswer(officer, sh.ID, &a)
			if tt.want == "" {
				if err != nil {
					t.Errorf("%s: %v", tt.name, err)
				}
				continue
			}
			wantInvalid(t, err, "answer")
			if got := fieldMessage(err, "answer"); got != tt.want {
				t.Errorf("%s: message %q, want %q", tt.name, got, tt.want)
			}
			after, err := db.FindScoreSheet(officer, sh.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(after.Answers) != len(before.Answers) {
				t.Errorf("%s: stored an answer: %v", tt.name, after.Answers)
			}
		}
		got, err := db.FindScoreSheet(officer, sh.ID)
		if err != nil {
			t.Fatal(err)
		}
		if res := score.Compute(std, got); res.Total != 20 {
			t.Errorf("total %v, want 20 from the answers in range", res.Total)
		}
	})
}
