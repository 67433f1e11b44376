package report

import (
	"fmt"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
)

// BulletinDocument returns a stored bulletin as an official document (通报):
// the overall figures, the ranking of townships with the total and the
// overrides of computed values per township (against the plan's goals when
// the bulletin is plan-based), the overdue rectification items and the
// plan's overdue tasks, and the outreach reach (宣传覆盖) by township. It
// reads only the stored bulletin, so the
// document of one bulletin is the same every time.
func BulletinDocument(b *healthcell.Bulletin, countyName string) officedoc.Document {
	t := b.Total
	words := wordsOf(b)
	blocks := []officedoc.Block{
		officedoc.Heading{Level: 1, Text: "总体进展"},
		officedoc.Paragraph{Text: fmt.Sprintf("截至%s，%s共有%d个单位启动申报，%d个已通过自评申报，已命名%d个，目标%d个，完成率%s。%d个单位正在整改，整改逾期%d项；有目标的指标中%d项达标（共%d项）。",
			cnDate(b.IssuedOn), orCounty(countyName), t.Applications, t.Applied, t.Named, t.Target, percent(t.Rate), t.Rectifying, t.Overdue, t.IndicatorsMet, t.IndicatorsTargeted)},
		officedoc.Heading{Level: 1, Text: "各" + words.Rows + "进展排名"},
	}
	rows := make([][]string, 0, len(b.Rows)+1)
	row := func(r healthcell.BulletinRow, rank, name string) []string {
		return []string{rank, name, itoa(r.Target), itoa(r.Applications), itoa(r.Applied), itoa(r.Named), percent(r.Rate),
			itoa(r.Rectifying), itoa(r.Overdue), fmt.Sprintf("%d/%d", r.IndicatorsMet, r.IndicatorsTargeted), itoa(r.Overrides)}
	}
	for _, r := range b.Rows {
		rows = append(rows, row(r, itoa(r.Rank), r.Name))
	}
	rows = append(rows, row(t, "", "合计"))
	blocks = append(blocks, officedoc.Table{
		Caption: fmt.Sprintf("表1 各%s进展排名（截至%s）", words.Rows, cnDate(b.IssuedOn)),
		Header:  []string{"排名", words.Rows, "目标数", "申报数", "已申报", "已命名", "完成率", "整改中", "逾期项", "指标达标", "改填项"},
		Rows:    rows,
		Widths:  []float64{1.2, 3, 1.3, 1.3, 1.3, 1.3, 2, 1.3, 1.3, 1.9, 1.3},
	})
	if len(b.Rows) > 0 {
		first, last := b.Rows[0], b.Rows[len(b.Rows)-1]
		blocks = append(blocks, officedoc.Paragraph{Text: fmt.Sprintf("%s完成率最高（%s），%s完成率最低（%s）。", first.Name, percent(first.Rate), last.Name, percent(last.Rate))})
	}
	blocks = append(blocks, rankingNotes(b)...)
	tableNo := 2 // the next table's number
	blocks = append(blocks, officedoc.Heading{Level: 1, Text: "整改逾期事项"})
	switch {
	case upper(b) && t.Overdue > 0:
		blocks = append(blocks, officedoc.Paragraph{Text: fmt.Sprintf("截至本期通报，各%s共有%d项整改逾期未完成（见表1“逾期项”），由各%s督促责任单位尽快完成。", words.Rows, t.Overdue, words.Rows)})
	case len(b.Overdue) == 0:
		blocks = append(blocks, officedoc.Paragraph{Text: "截至本期通报，无逾期未完成的整改事项。"})
	default:
		over := make([][]string, len(b.Overdue))
		for i, r := range b.Overdue {
			over[i] = []string{r.UnitName, r.Text, r.Owner, cnDate(r.Deadline)}
		}
		blocks = append(blocks,
			officedoc.Paragraph{Text: fmt.Sprintf("以下%d项整改已超过期限，请有关%s督促责任人尽快完成并报送整改情况。", len(b.Overdue), words.Rows)},
			officedoc.Table{Caption: "表2 整改逾期事项", Header: []string{"单位", "整改内容", "责任人", "整改期限"}, Rows: over})
		tableNo++
	}
	blocks = append(blocks, overdueTasks(b, tableNo)...)
	if len(b.OverdueTasks) > 0 {
		tableNo++
	}
	blocks = append(blocks, reachBlocks(b, tableNo)...)
	blocks = append(blocks,
		officedoc.Heading{Level: 1, Text: "工作要求"},
		officedoc.Paragraph{Text: words.Demand},
	)
	return officedoc.Document{
		Number:     fmt.Sprintf("第%d期", b.Number),
		Title:      fmt.Sprintf("%s%s\n工作进展情况通报", countyName, b.CampaignName),
		Recipients: words.Recipients,
		Blocks:     blocks,
		Issuer:     issuerOf(countyName),
		Date:       day(b.IssuedOn),
		Author:     b.IssuedBy,
	}
}

// rankingNotes returns the notes under the ranking: what the targets are
// (the plan's goals) and how many computed values officers replaced.
func rankingNotes(b *healthcell.Bulletin) []officedoc.Block {
	var out []officedoc.Block
	if b.PlanBased {
		out = append(out, officedoc.Paragraph{Text: "目标数按县工作方案确定的各类创建目标（各类单位合计）计算。"})
	}
	if n := b.Total.Overrides; n > 0 {
		out = append(out, officedoc.Paragraph{Runs: []officedoc.Run{{Text: fmt.Sprintf("本期申报材料中共有%d项未采用台账计算值，改用了人工填写的数值（见表1“改填项”），请各%s核查。", n, wordsOf(b).Rows), Bold: true}}})
	}
	return out
}

// overdueTasks returns the section of the plan's tasks past their deadline
// (重点任务逾期), its table numbered n; nothing when none is overdue.
func overdueTasks(b *healthcell.Bulletin, n int) []officedoc.Block {
	if len(b.OverdueTasks) == 0 {
		return nil
	}
	rows := make([][]string, len(b.OverdueTasks))
	for i, t := range b.OverdueTasks {
		rows[i] = []string{t.Title, t.Lead, strings.Join(t.Responsible, "、"), cnDate(t.Deadline), itoa(t.Progress) + "%"}
	}
	return []officedoc.Block{
		officedoc.Heading{Level: 1, Text: "重点任务逾期情况"},
		officedoc.Paragraph{Text: fmt.Sprintf("工作方案中以下%d项重点任务已超过完成时限仍未完成，请牵头单位会同责任单位加快推进，并及时报送进展。", len(b.OverdueTasks))},
		officedoc.Table{Caption: fmt.Sprintf("表%d 重点任务逾期情况", n), Header: []string{"重点任务", "牵头单位", "责任单位", "完成时限", "进度"}, Rows: rows, Widths: []float64{5, 3, 5.5, 4.2, 1.8}},
	}
}
