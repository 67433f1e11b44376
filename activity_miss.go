package healthcell

import "context"

// ActivityMiss is one period in which a unit — a village, or an institution
// — recorded fewer activities of a frequency rule's kind than the rule asks
// (catalog/frequencies.yaml, package frequency).
type ActivityMiss struct {
	Rule         string `json:"rule"`     // the rule's code
	Activity     string `json:"activity"` // the kind it counts
	Period       string `json:"period"`   // the period's code: 2025-03, 2025Q2, 2025S1 (Mar–Jul), 2025S2 (Sep–Jan), 2025
	PeriodKind   string `json:"period_kind"`
	N            int    `json:"n"` // the period's number in the year (month 1–12, quarter 1–4, semester 1–2)
	Start        string `json:"start"`
	End          string `json:"end"`
	Division     string `json:"division"` // the village, or the institution's division
	DivisionName string `json:"division_name"`
	UnitID       int64  `json:"unit_id,omitempty"`
	UnitName     string `json:"unit_name,omitempty"`
	Count        int    `json:"count"` // activities recorded in the period
	Min          int    `json:"min"`   // what the rule asks
}

// ActivityFrequencyService checks the activity ledger against the frequency
// rules.
type ActivityFrequencyService interface {
	// MissedActivities lists, for the villages and institutions under
	// division that the caller may read, every period of year ended by
	// today in which one recorded fewer activities than a rule asks: in rule
	// order, then by division, unit and period. ENOTFOUND for a division
	// outside the caller's scope, EINVALID (field year) for a year before
	// 2000 or after this one.
	MissedActivities(ctx context.Context, division string, year int) ([]ActivityMiss, error)
}
