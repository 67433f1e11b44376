package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/officedoc"
)

// planSectionTitles are the headings of a plan's sections as the seeds
// write them, by section key.
var planSectionTitles = map[string]string{"guiding": "指导思想", "goals": "工作目标", "leadership": "组织领导", "steps": "实施步骤",
	"duties": "工作职责", "safeguards": "保障措施", "requirements": "工作要求"}

// PlanDocument returns a campaign's plan as an official document (工作方案):
// each section in the order of healthcell.PlanSectionKeys with its text, and
// under it the plan's data as the seeds write it — the goals table under
// 工作目标, the leading group under 组织领导, the phases under 实施步骤, the
// tasks with their lead and responsible departments under 工作职责, the
// milestones and the budget under 保障措施. Phones are as p carries them
// (masked for readers who may not see them). names gives the names of
// townships and villages by code (a code without one is written as is).
func PlanDocument(p *healthcell.Plan, countyName string, names map[string]string) officedoc.Document {
	text := map[string]healthcell.PlanSection{}
	for _, s := range p.Sections {
		text[s.Key] = s
	}
	var blocks []officedoc.Block
	for _, key := range healthcell.PlanSectionKeys {
		s, has := text[key]
		data := planData(p, key, names)
		if !has && len(data) == 0 {
			continue
		}
		title := s.Title
		if title == "" {
			title = planSectionTitles[key]
		}
		blocks = append(blocks, officedoc.Heading{Level: 1, Text: title})
		blocks = append(blocks, officedoc.Markdown(s.Body)...)
		blocks = append(blocks, data...)
	}
	date := ""
	if p.PublishedAt != nil {
		date = healthcell.CampaignDay(*p.PublishedAt)
	}
	return officedoc.Document{
		Title:      p.Title,
		Recipients: "各乡镇人民政府（街道办事处），县级有关部门",
		Blocks:     blocks,
		Issuer:     issuerOf(countyName),
		Date:       day(date),
		Author:     p.UpdatedBy,
	}
}

// planData is the plan's data that goes under the section key.
func planData(p *healthcell.Plan, key string, names map[string]string) []officedoc.Block {
	name := func(code string) string {
		if n := names[code]; n != "" {
			return n
		}
		return code
	}
	var out []officedoc.Block
	switch key {
	case "goals":
		if len(p.Goals) == 0 {
			break
		}
		rows := make([][]string, len(p.Goals))
		for i, g := range p.Goals {
			where := "各乡镇"
			if g.Township != "" {
				where = name(g.Township)
			}
			v := strconv.FormatFloat(g.Value, 'f', -1, 64)
			if g.Kind == healthcell.GoalPercent {
				v += "%"
			} else {
				v += "个"
			}
			rows[i] = []string{itoa(g.Year), g.CellType, where, v}
		}
		out = append(out, officedoc.Table{Caption: "表1 创建目标", Header: []string{"年度", "创建类别", "范围", "目标"}, Rows: rows})
	case "leadership":
		for _, body := range []struct{ code, name string }{{"group", "领导小组"}, {"office", "领导小组办公室"}} {
			var rows [][]string
			for _, m := range p.Members {
				if m.Body == body.code {
					rows = append(rows, []string{m.Role, m.Name, m.Post, m.Phone})
				}
			}
			if len(rows) > 0 {
				out = append(out, officedoc.Table{Caption: body.name, Header: []string{"职务", "姓名", "单位及职务", "联系电话"}, Rows: rows})
			}
		}
	case "steps":
		for _, ph := range p.Phases {
			line := fmt.Sprintf("%s（%s至%s）。", ph.Name, cnDate(ph.Start), cnDate(ph.End))
			if ph.EndsApplications {
				line += "本阶段结束即申报截止。"
			}
			out = append(out, officedoc.Paragraph{Runs: []officedoc.Run{{Text: line, Bold: true}, {Text: ph.Text}}})
		}
		if len(p.Pilots) > 0 {
			vs := make([]string, len(p.Pilots))
			for i, pl := range p.Pilots {
				vs[i] = name(pl.Village)
			}
			out = append(out, officedoc.Paragraph{Text: "试点村：" + strings.Join(vs, "、") + "。"})
		}
	case "duties":
		for _, t := range p.Tasks {
			resp := ""
			if len(t.Responsible) > 0 {
				resp = "；责任单位：" + strings.Join(t.Responsible, "、")
			}
			out = append(out, officedoc.Heading{Level: 2, Text: t.Title},
				officedoc.Paragraph{Text: fmt.Sprintf("%s（牵头单位：%s%s；完成时限：%s）", t.Text, t.Lead, resp, cnDate(t.Deadline))})
		}
	case "safeguards":
		if len(p.Milestones) > 0 {
			rows := make([][]string, len(p.Milestones))
			for i, m := range p.Milestones {
				rows[i] = []string{cnDate(m.Date), m.Label, strconv.FormatFloat(m.Percent, 'f', -1, 64) + "%"}
			}
			out = append(out, officedoc.Table{Caption: "时间节点", Header: []string{"日期", "节点", "完成年度目标"}, Rows: rows})
		}
		if len(p.Budget) > 0 {
			rows := make([][]string, len(p.Budget))
			for i, b := range p.Budget {
				sub := ""
				if b.UnitSubsidy > 0 {
					sub = "每个命名单位" + yuan(b.UnitSubsidy) + "元"
					if b.Condition != "" {
						sub += "，" + b.Condition
					}
				}
				rows[i] = []string{b.Item, yuan(b.Amount), b.Source, sub}
			}
			out = append(out, officedoc.Table{Caption: "经费预算（元）", Header: []string{"项目", "金额", "资金来源", "补助标准"}, Rows: rows})
		}
	}
	return out
}

// yuan writes an amount without trailing zeros: 2000000, 1500.5.
func yuan(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
