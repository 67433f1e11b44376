package demo

import (
	"strings"
	"testing"
)

func TestReuseMessage(t *testing.T) {
	for _, tc := range []struct {
		name       string
		asked      Scale
		households int
		dsn        string
		want, not  []string
	}{
		{"same scale", Small, 1600, "healthcell.db", []string{"沿用已有的演示数据：1600 户", "reusing the demo county: 1600 households"}, []string{"注意", "rm", "删除"}},
		{"county after small", County, 1600, "healthcell.db",
			[]string{"healthcell.db 里已有小规模的演示数据（1600 户、4985 人），本次直接沿用，不会按全县规模重新生成", "请删除文件 healthcell.db", "not rebuilt at county scale", "remove healthcell.db"}, nil},
		{"small after county", Small, 250000, "postgres://u@h/db", []string{"该 PostgreSQL 数据库里已有全县规模的演示数据", "清空该 PostgreSQL 数据库", "empty that PostgreSQL database"}, []string{"删除文件", "u@h"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ReuseMessage(tc.asked, tc.households, 4985, tc.dsn)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q missing from\n%s", w, got)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("%q in\n%s", w, got)
				}
			}
		})
	}
}
