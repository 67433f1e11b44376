package sqlstore

import "testing"

func TestPublicHouseholdName(t *testing.T) {
	for in, want := range map[string]string{
		"户 0012（张三）":   "张*家",
		"户 0012（欧阳娜娜）": "欧***家",
		"户 0012（）":     "家庭",
		"户 0012":       "家庭",
	} {
		if got := publicHouseholdName(in); got != want {
			t.Errorf("publicHouseholdName(%q) = %q, want %q", in, got, want)
		}
	}
}
