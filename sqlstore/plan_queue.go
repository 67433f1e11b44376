package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/healthcell/healthcell"
)

// overduePlanTasks lists the tasks of published plans (of campaign only,
// when not 0) past their deadline (the day after it in Asia/Shanghai)
// short of 100 %, that a answers for: every one for the county office, its
// own for a department or township; at most 500, earliest deadline first.
func (db *DB) overduePlanTasks(ctx context.Context, a *healthcell.Actor, campaign int64) ([]*healthcell.PlanTaskDue, error) {
	out := []*healthcell.PlanTaskDue{}
	if !a.System && a.Role != healthcell.RoleCountyAdmin && a.Role != healthcell.RoleDepartment && a.Role != healthcell.RoleTownship {
		return out, nil
	}
	ids, err := db.visibleCampaignIDs(ctx, a, `SELECT campaign_id, division FROM plans WHERE state = 'published' AND (campaign_id = $1 OR $1 = 0)`, campaign)
	if err != nil {
		return nil, fmt.Errorf("plan queue: %w", err)
	}
	day := healthcell.CampaignDay(db.Now())
	for _, id := range ids {
		c, p, err := db.visiblePlan(ctx, a, id)
		if err != nil {
			if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
				continue
			}
			return nil, err
		}
		latest, err := db.latestReports(ctx, id)
		if err != nil {
			return nil, err
		}
		all := a.System || a.Role == healthcell.RoleCountyAdmin
		for _, t := range p.Tasks {
			t.Progress = latest[t.Key]
			if t.Progress >= 100 || day <= t.Deadline || !all && t.TaskDepartment(a) == "" {
				continue
			}
			t.Overdue = true
			out = append(out, &healthcell.PlanTaskDue{CampaignID: id, CampaignName: c.Name, PlanTask: t})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Deadline < out[j].Deadline })
	if len(out) > 500 {
		out = out[:500]
	}
	return out, nil
}

// latestReports returns each task's latest reported percentage.
func (db *DB) latestReports(ctx context.Context, campaign int64) (map[string]int, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT task, percent FROM plan_task_reports WHERE campaign_id = $1 ORDER BY id`, campaign)
	if err != nil {
		return nil, fmt.Errorf("task reports: %w", err)
	}
	out := map[string]int{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var task string
		var pct int
		if err := rows.Scan(&task, &pct); err != nil {
			return err
		}
		out[task] = pct
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// planBulletin returns, when the campaign has a published plan, each
// township's target as the sum of the plan's goals of the campaign's year
// (nil without a plan), and the plan's overdue tasks.
func (db *DB) planBulletin(ctx context.Context, c *healthcell.Campaign) ([]healthcell.CampaignTarget, []*healthcell.PlanTaskDue, error) {
	p, err := readPlan(ctx, db.r, c)
	if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if p.State != healthcell.PlanPublished {
		return nil, nil, nil
	}
	f, err := db.planFacts(ctx, c, p, nil)
	if err != nil {
		return nil, nil, err
	}
	prog := healthcell.ComputeProgress(p, f, healthcell.CampaignDay(db.Now()))
	sum := map[string]int{}
	for _, r := range prog.Rows {
		sum[r.Township] += r.Target
	}
	targets := []healthcell.CampaignTarget{}
	for town, n := range sum {
		targets = append(targets, healthcell.CampaignTarget{Township: town, Target: n})
	}
	sort.Slice(targets, func(i, j int) bool { return targets[i].Township < targets[j].Township })
	tasks := make([]*healthcell.PlanTaskDue, 0, len(prog.Overdue))
	for _, t := range prog.Overdue {
		tasks = append(tasks, &healthcell.PlanTaskDue{CampaignID: c.ID, CampaignName: c.Name, PlanTask: t})
	}
	return targets, tasks, nil
}
