package report

import (
	"fmt"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
)

// BulletinDocument returns a stored bulletin as an official document (通报):
// the overall figures, the ranking of townships with the total, and the
// overdue rectification items. It reads only the stored bulletin, so the
// document of one bulletin is the same every time.
func BulletinDocument(b *healthcell.Bulletin, countyName string) officedoc.Document {
	t := b.Total
	blocks := []officedoc.Block{
		officedoc.Heading{Level: 1, Text: "总体进展"},
		officedoc.Paragraph{Text: fmt.Sprintf("截至%s，%s共有%d个单位启动申报，%d个已通过自评申报，已命名%d个，目标%d个，完成率%s。%d个单位正在整改，整改逾期%d项；有目标的指标中%d项达标（共%d项）。",
			cnDate(b.IssuedOn), orCounty(countyName), t.Applications, t.Applied, t.Named, t.Target, percent(t.Rate), t.Rectifying, t.Overdue, t.IndicatorsMet, t.IndicatorsTargeted)},
		officedoc.Heading{Level: 1, Text: "各乡镇（街道）进展排名"},
	}
	rows := make([][]string, 0, len(b.Rows)+1)
	row := func(r healthcell.BulletinRow, rank, name string) []string {
		return []string{rank, name, itoa(r.Target), itoa(r.Applications), itoa(r.Applied), itoa(r.Named), percent(r.Rate),
			itoa(r.Rectifying), itoa(r.Overdue), fmt.Sprintf("%d/%d", r.IndicatorsMet, r.IndicatorsTargeted)}
	}
	for _, r := range b.Rows {
		rows = append(rows, row(r, itoa(r.Rank), r.Name))
	}
	rows = append(rows, row(t, "", "合计"))
	blocks = append(blocks, officedoc.Table{
		Caption: fmt.Sprintf("表1 各乡镇（街道）进展排名（截至%s）", cnDate(b.IssuedOn)),
		Header:  []string{"排名", "乡镇（街道）", "目标数", "申报数", "已申报", "已命名", "完成率", "整改中", "逾期项", "指标达标"},
		Rows:    rows,
	})
	if len(b.Rows) > 0 {
		first, last := b.Rows[0], b.Rows[len(b.Rows)-1]
		blocks = append(blocks, officedoc.Paragraph{Text: fmt.Sprintf("%s完成率最高（%s），%s完成率最低（%s）。", first.Name, percent(first.Rate), last.Name, percent(last.Rate))})
	}
	blocks = append(blocks, officedoc.Heading{Level: 1, Text: "整改逾期事项"})
	if len(b.Overdue) == 0 {
		blocks = append(blocks, officedoc.Paragraph{Text: "截至本期通报，无逾期未完成的整改事项。"})
	} else {
		over := make([][]string, len(b.Overdue))
		for i, r := range b.Overdue {
			over[i] = []string{r.UnitName, r.Text, r.Owner, cnDate(r.Deadline)}
		}
		blocks = append(blocks,
			officedoc.Paragraph{Text: fmt.Sprintf("以下%d项整改已超过期限，请有关乡镇（街道）督促责任人尽快完成并报送整改情况。", len(b.Overdue))},
			officedoc.Table{Caption: "表2 整改逾期事项", Header: []string{"单位", "整改内容", "责任人", "整改期限"}, Rows: over})
	}
	blocks = append(blocks,
		officedoc.Heading{Level: 1, Text: "工作要求"},
		officedoc.Paragraph{Text: "各乡镇（街道）要对照目标任务和排名情况，查找差距，倒排工期，加快申报和整改进度，确保按期完成创建任务。"},
	)
	return officedoc.Document{
		Number:     fmt.Sprintf("第%d期", b.Number),
		Title:      fmt.Sprintf("%s%s\n工作进展情况通报", countyName, b.CampaignName),
		Recipients: "各乡镇人民政府（街道办事处），县级有关部门",
		Blocks:     blocks,
		Issuer:     issuerOf(countyName),
		Date:       day(b.IssuedOn),
		Author:     b.IssuedBy,
	}
}
