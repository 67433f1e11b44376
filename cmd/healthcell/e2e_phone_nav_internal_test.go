package main

import "testing"

func TestPhoneRuleOn(t *testing.T) {
	for _, tc := range []struct {
		rule, page string
		want       bool
	}{
		{"/dashboard", "/dashboard", true},
		{"/dashboard", "/dashboard?theme=a", false},
		{"/dashboard/indicators/", "/dashboard/indicators/3", true},
		{"/campaigns", "/campaigns/1", false},
	} {
		if got := phoneRuleOn(tc.rule, tc.page); got != tc.want {
			t.Errorf("phoneRuleOn(%q, %q) = %v", tc.rule, tc.page, got)
		}
	}
}
