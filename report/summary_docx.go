package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
)

// SummaryTitle returns the title of a summary: 2026年度工作总结 for a year,
// 2026年第三季度工作总结 for a quarter, after the county and the campaign.
func SummaryTitle(s *Summary) string {
	p := s.In.Progress
	return p.County + p.Campaign.Name + "\n" + periodTitle(p.Period)
}

func periodTitle(p healthcell.SummaryPeriod) string {
	if p.Quarter == 0 {
		return strconv.Itoa(p.Year) + "年度工作总结"
	}
	return p.Label() + "工作总结"
}

// SummaryDocument returns a stage or year-end summary (阶段总结 / 年度总结)
// as an official document: the overview, goals against results per
// township, the indicators against their targets, a section with a table per
// township, and the townships to catch up.
func SummaryDocument(s *Summary) officedoc.Document {
	p := s.In.Progress
	per := p.Period
	upTo := per.Last()
	if today := s.In.Date.Format("2006-01-02"); !s.In.Date.IsZero() && today < upTo {
		upTo = today
	}
	t := s.Total
	var b []officedoc.Block
	add := func(bl ...officedoc.Block) { b = append(b, bl...) }

	add(officedoc.Paragraph{Text: fmt.Sprintf("%s（%s至%s），%s%s工作按计划推进。本期新命名%d个单位；截至%s，计入创建目标的累计命名%d个，目标%d个，完成率%s；目前还有%d个单位在创建中（共申报%d个）。现将有关情况总结如下。",
		per.Label(), cnDate(per.First()), cnDate(per.Last()), p.County, p.Campaign.Name, s.All.NamedInPeriod, cnDate(upTo), t.NamedByEnd, t.Goal, percent(t.Rate), s.All.InProgress, s.All.Applications)})

	// 一、目标完成情况
	add(officedoc.Heading{Level: 1, Text: "目标完成情况"})
	var done, behind []string
	rows := make([][]string, 0, len(s.Townships)+1)
	for _, ts := range s.Townships {
		if !ts.Total.HasGoal && ts.Total.Applications == 0 {
			continue
		}
		rows = append(rows, kindRow(ts.Name, ts.Total))
		switch {
		case ts.Total.Goal > 0 && ts.Total.NamedByEnd >= ts.Total.Goal:
			done = append(done, ts.Name)
		case ts.Total.Goal > 0 && ts.Total.Rate < 50:
			behind = append(behind, ts.Name)
		}
	}
	rows = append(rows, kindRow("合计", t))
	add(officedoc.Paragraph{Text: fmt.Sprintf("有创建目标的%d个乡镇（街道）中，%d个已完成目标%s；%d个完成率低于50%%%s。",
		countWithGoal(s), len(done), nameList(done), len(behind), nameList(behind))})
	add(officedoc.Table{Caption: "表1 各乡镇（街道）目标完成情况", Header: summaryHeader("乡镇（街道）"), Rows: rows})

	// 二、健康指标完成情况
	add(officedoc.Heading{Level: 1, Text: "健康指标完成情况"})
	var ir [][]string
	met, targeted := 0, 0
	var missed []string
	for _, ind := range s.In.Indicators {
		if ind.Value == nil && ind.Target == nil {
			continue
		}
		state := "—"
		if ind.Met != nil {
			targeted++
			if *ind.Met {
				met++
				state = "达标"
			} else {
				state = "未达标"
				missed = append(missed, ind.Name)
			}
		}
		ir = append(ir, []string{ind.Name, indicatorValue(ind.Value, ind.Unit), indicatorTarget(ind), state})
	}
	if len(ir) == 0 {
		add(officedoc.Paragraph{Text: fmt.Sprintf("%s本期没有可计算的健康指标。", s.In.IndicatorPlace)})
	} else {
		add(officedoc.Paragraph{Text: fmt.Sprintf("%s%s有目标值且可计算的%d项指标中，%d项达标%s。", s.In.IndicatorPlace, per.Label(), targeted, met, missedText(missed))})
		add(officedoc.Table{Caption: "表2 健康指标完成情况", Header: []string{"指标", "本期数值", "目标值", "完成情况"}, Rows: ir, Widths: []float64{8, 3, 3, 3}})
	}

	// 三、各乡镇（街道）情况
	add(officedoc.Heading{Level: 1, Text: "各乡镇（街道）情况"})
	for _, ts := range s.Townships {
		add(officedoc.Heading{Level: 2, Text: ts.Name})
		if !ts.Total.HasGoal && ts.Total.Applications == 0 {
			add(officedoc.Paragraph{Text: "本期无创建目标，也无单位申报。"})
			continue
		}
		text := fmt.Sprintf("目标%d个，本期新命名%d个，累计命名%d个，完成率%s，在创%d个。", ts.Total.Goal, ts.Total.NamedInPeriod, ts.Total.NamedByEnd, percent(ts.Total.Rate), ts.Total.InProgress)
		if len(ts.Named) > 0 {
			names := make([]string, len(ts.Named))
			for i, n := range ts.Named {
				names[i] = n.UnitName + "（" + n.CellType + "）"
			}
			text += "本期命名：" + strings.Join(names, "、") + "。"
		}
		add(officedoc.Paragraph{Text: text})
		kr := make([][]string, 0, len(ts.Kinds)+1)
		for _, k := range ts.Kinds {
			kr = append(kr, kindRow(k.CellType, k))
		}
		kr = append(kr, kindRow("合计", ts.Total))
		add(officedoc.Table{Header: summaryHeader("类型"), Rows: kr})
	}

	// 四、下一步工作
	add(officedoc.Heading{Level: 1, Text: "下一步工作"})
	if len(behind) > 0 {
		add(officedoc.Paragraph{Text: fmt.Sprintf("%s完成率低于50%%，要对照目标倒排工期，加快申报和整改进度。", strings.Join(behind, "、"))})
	}
	add(officedoc.Paragraph{Text: "各乡镇（街道）要对照创建标准查漏补缺，做好已命名单位的巩固提升和复审准备，按期完成全年创建任务。"})

	return officedoc.Document{
		Title:  SummaryTitle(s),
		Blocks: b,
		Issuer: issuerOf(p.County),
		Date:   s.In.Date,
	}
}

func summaryHeader(first string) []string {
	return []string{first, "目标", "本期命名", "累计命名", "完成率", "在创"}
}

// kindRow returns a table row of a goal against results; a row without a
// goal shows — for the goal and the rate.
func kindRow(name string, k KindSummary) []string {
	goal, rate := "—", "—"
	if k.HasGoal {
		goal, rate = itoa(k.Goal), percent(k.Rate)
	}
	return []string{name, goal, itoa(k.NamedInPeriod), itoa(k.NamedByEnd), rate, itoa(k.InProgress)}
}

func countWithGoal(s *Summary) int {
	n := 0
	for _, t := range s.Townships {
		if t.Total.Goal > 0 {
			n++
		}
	}
	return n
}

// nameList returns "（A、B）" for a few names, "（A、B等N个）" for many, "" for none.
func nameList(names []string) string {
	switch {
	case len(names) == 0:
		return ""
	case len(names) <= 6:
		return "（" + strings.Join(names, "、") + "）"
	default:
		return "（" + strings.Join(names[:6], "、") + "等" + itoa(len(names)) + "个）"
	}
}

func missedText(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return "，未达标的有" + strings.Join(names, "、")
}

// indicatorValue formats a value in its unit: 87.5%, 0.93, 12; — when unknown.
func indicatorValue(v *float64, unit string) string {
	if v == nil {
		return "—"
	}
	switch unit {
	case healthcell.UnitPercent:
		return strconv.FormatFloat(*v, 'f', 1, 64) + "%"
	case healthcell.UnitCount:
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	return strconv.FormatFloat(*v, 'f', 2, 64)
}

// indicatorTarget formats a target with its direction: ≥90.0%, ≤5.0%.
func indicatorTarget(ind IndicatorResult) string {
	if ind.Target == nil {
		return "—"
	}
	sign := "≥"
	if ind.Direction == healthcell.Lower {
		sign = "≤"
	}
	return sign + indicatorValue(ind.Target, ind.Unit)
}
