package report

import (
	"strconv"

	"github.com/healthcell/healthcell"
)

// Wording of data-bound items (values computed from the registers) in the
// dossier.

// computedText returns what the dossier says under a data-bound item: the
// value computed from the registers with its numerator and denominator and
// when it was computed, or why there is none; "" for an item that is not
// data-bound.
func computedText(it *healthcell.Item, a *healthcell.Answer) string {
	if a == nil || a.Computed == nil {
		return ""
	}
	c := a.Computed
	if c.Value == nil {
		return "台账计算值：无（" + missingText[c.Missing] + "）"
	}
	s := "台账计算值：" + valueText(it, *c.Value)
	if c.Numerator != nil && c.Denominator != nil {
		s += "（" + num(*c.Numerator) + "/" + num(*c.Denominator) + "）"
	}
	if !c.AsOf.IsZero() {
		s += "，计算时间" + c.AsOf.In(healthcell.CampaignLocation()).Format("2006-01-02 15:04")
	}
	return s
}

// overrideText returns the mark of an override: the officer's value in
// place of the computed one, and the reason; "" when the computed value
// counts.
func overrideText(it *healthcell.Item, a *healthcell.Answer) string {
	if a == nil || a.Override == nil {
		return ""
	}
	s := "【人工改填】填报值" + valueText(it, a.Override.Value)
	if a.Computed != nil && a.Computed.Value != nil {
		s += "，不采用台账计算值" + valueText(it, *a.Computed.Value)
	}
	return s + "；改填理由：" + a.Override.Reason
}

// valueText is a value as the item counts it: a rate in percent, a number
// of activities in 次.
func valueText(it *healthcell.Item, v float64) string {
	if it.Method == healthcell.MethodCount {
		return num(v) + "次"
	}
	return num(v) + "%"
}

// missingText says why a data-bound item has no computed value, by the
// message key of healthcell.Computed.Missing.
var missingText = map[string]string{
	"sheet.computed.indicator_undefined": "指标尚未定义",
	"sheet.computed.activity_undefined":  "活动类型尚未定义",
	"sheet.computed.no_denominator":      "台账中没有可统计的对象",
	"sheet.computed.no_unit_rows":        "台账中没有本单位的记录",
	"sheet.computed.unit_kind":           "这类单位不按台账计算",
}

// sheetOverrides counts the overrides of a sheet.
func sheetOverrides(sh *healthcell.ScoreSheet) int {
	n := 0
	for _, a := range sh.Answers {
		if a != nil && a.Override != nil {
			n++
		}
	}
	return n
}

// frozenText says which copy of the sheet the dossier shows: the one frozen
// when the step was taken, or the sheet as it stands now.
func frozenText(ds DossierSheet) string {
	if ds.FrozenAt.IsZero() {
		return "本表为当前填报内容，尚未提交。"
	}
	s := "本表为" + ds.FrozenAt.In(healthcell.CampaignLocation()).Format("2006年1月2日 15:04") + "提交时冻结的内容"
	if ds.Sheet != nil && ds.Sheet.Edition > 1 {
		s += "（第" + strconv.Itoa(ds.Sheet.Edition) + "版）"
	}
	return s + "。"
}
