package report

import (
	"strconv"
	"time"

	"github.com/healthcell/healthcell"
)

// Wording shared by the official documents (.docx) of this package.

// issuerOf returns the issuing body of a county's campaign documents: the
// county's patriotic health campaign committee office (县爱卫办), which runs
// the healthy-cell campaigns.
func issuerOf(county string) string {
	if county == "" {
		return "爱国卫生运动委员会办公室"
	}
	return county + "爱国卫生运动委员会办公室"
}

// day returns the date of a YYYY-MM-DD day in Asia/Shanghai, or the zero
// time when day does not parse (the document then has no date line).
func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, healthcell.CampaignLocation())
	if err != nil {
		return time.Time{}
	}
	return t
}

// cnDate returns a YYYY-MM-DD day as 2026年6月1日, or s itself when it does
// not parse.
func cnDate(s string) string {
	t := day(s)
	if t.IsZero() {
		return s
	}
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

// percent returns a rate in percent as the pages show it: 66.7%, 40%.
func percent(r float64) string {
	return strconv.FormatFloat(r, 'f', -1, 64) + "%"
}

func itoa(n int) string { return strconv.Itoa(n) }

// orCounty returns the county's name, or 全县 when it is unknown.
func orCounty(name string) string {
	if name == "" {
		return "全县"
	}
	return name
}
