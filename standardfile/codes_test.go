package standardfile

import (
	"reflect"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
)

var testCodes = healthcell.StandardCodes{
	Indicators: map[string]bool{"knowledge_rate": true},
	Activities: map[string]bool{"lecture": true},
}

// TestParseCheckedUnknownCodes: an unknown indicator or activity is an
// error at its line (YAML) or row and column (spreadsheet); known ones pass;
// without codes nothing is checked.
func TestParseCheckedUnknownCodes(t *testing.T) {
	const doc = `code: t
name: 测试标准
cell_type: 健康村
unit_kind: village
total_points: 15
pass_score: 6
sections:
  - name: 一
    items:
      - code: "1"
        text: 甲
        points: 5
        method: egt
        indicator: knowledge_rate
        target: 90
      - code: "2"
        text: 乙
        points: 5
        method: egt
        indicator: greening_rates
        target: 25
      - code: "3"
        text: 丙
        points: 5
        method: count
        activity: lectures
        min_count: 4
`
	csv := sheetMetaCSV + "一级指标,评分内容,分值,评分方法,关联指标,目标值,活动类型,最少次数\n" +
		"一,甲,5,达标,knowledge_rate,90,,\n" +
		"一,乙,5,达标,greening_rates,25,,\n" +
		"一,丙,5,计数,,,lectures,4\n"
	for _, tc := range []struct {
		name  string
		parse func(*healthcell.StandardCodes) (*healthcell.Standard, error)
		want  []healthcell.FieldError
	}{
		{"yaml", func(c *healthcell.StandardCodes) (*healthcell.Standard, error) {
			return ParseYAMLChecked(strings.NewReader(doc), c)
		}, []healthcell.FieldError{
			{Row: 20, Field: "indicator", Message: "standard.indicator.unknown", Value: "greening_rates"},
			{Row: 26, Field: "activity", Message: "standard.activity.unknown", Value: "lectures"},
		}},
		{"csv", func(c *healthcell.StandardCodes) (*healthcell.Standard, error) {
			return ParseSheetChecked(strings.NewReader(csv), "s.csv", c)
		}, []healthcell.FieldError{
			{Row: 7, Field: "关联指标", Message: "standard.indicator.unknown", Value: "greening_rates"},
			{Row: 8, Field: "活动类型", Message: "standard.activity.unknown", Value: "lectures"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.parse(nil); err != nil {
				t.Fatalf("unchecked: %v", err)
			}
			s, err := tc.parse(&testCodes)
			if s != nil || healthcell.ErrorCode(err) != healthcell.EINVALID {
				t.Fatalf("checked: %v, %v", s, err)
			}
			if got := healthcell.ErrorFields(err); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("errors\n got %+v\nwant %+v", got, tc.want)
			}
			known := healthcell.StandardCodes{Indicators: map[string]bool{"knowledge_rate": true, "greening_rates": true},
				Activities: map[string]bool{"lectures": true}}
			if _, err := tc.parse(&known); err != nil {
				t.Errorf("all codes known: %v", err)
			}
		})
	}
}
