package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/healthcell/healthcell"
)

// ReportTask files a progress report on a task of a published plan under
// the caller's department, in one audited transaction. EFORBIDDEN for an
// account that is none of the task's departments (nor a township when the
// townships are responsible), EINVALID for a bad note or percentage or an
// unknown task, ENOTFOUND for a plan the caller cannot read.
func (db *DB) ReportTask(ctx context.Context, r *healthcell.PlanTaskReport) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	_, p, err := db.visiblePlan(ctx, a, r.CampaignID)
	if err != nil {
		return err
	}
	t := p.Task(r.Task)
	if t == nil {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "task", Message: "plan.task.unknown", Value: r.Task}})
	}
	dept := t.TaskDepartment(a)
	if dept == "" {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "plan.task.report.forbidden")
	}
	if p.State != healthcell.PlanPublished {
		return healthcell.Errorf(healthcell.ECONFLICT, "plan.draft")
	}
	if err := r.Validate(); err != nil {
		return err
	}
	r.Department = dept
	return db.write(ctx, func(tx *Tx) error {
		r.CreatedBy, r.CreatedAt = tx.actor.Username, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO plan_task_reports (campaign_id, task, department, note, percent, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, r.CampaignID, r.Task, r.Department, r.Note, r.Percent, r.CreatedBy, r.CreatedAt).Scan(&r.ID); err != nil {
			return fmt.Errorf("insert task report: %w", err)
		}
		return tx.audit(ctx, "report", "plan_task", r.ID, p.Division, nil, r)
	})
}

// AddTaskReportFile attaches a photo or PDF to a report the caller filed,
// its bytes stored once in the evidence store, in one audited transaction.
// Errors as for AddEvidence; ENOTFOUND for someone else's report.
func (db *DB) AddTaskReportFile(ctx context.Context, reportID int64, name string, data []byte) (*healthcell.Evidence, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	var by, division string
	err = db.r.QueryRowContext(ctx, `SELECT r.created_by, p.division FROM plan_task_reports r JOIN plans p ON p.campaign_id = r.campaign_id
		WHERE r.id = $1`, reportID).Scan(&by, &division)
	if errors.Is(err, sql.ErrNoRows) || err == nil && by != a.Username && !a.System {
		return nil, notFound("plan_task_report")
	}
	if err != nil {
		return nil, fmt.Errorf("task report %d: %w", reportID, err)
	}
	e, small, err := newEvidence(name, data)
	if err != nil {
		return nil, err
	}
	err = db.write(ctx, func(tx *Tx) error {
		b := &blob{sha: e.SHA256, mime: e.MIME, data: data, thumb: small}
		if err := tx.storeBlob(ctx, b); err != nil {
			return err
		}
		e.Division, e.UploadedBy, e.UploadedAt = division, tx.actor.Username, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO plan_report_files (report_id, sha256, name, uploaded_by, uploaded_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, reportID, e.SHA256, e.Name, e.UploadedBy, e.UploadedAt).Scan(&e.ID); err != nil {
			return fmt.Errorf("attach report file: %w", err)
		}
		return tx.audit(ctx, "attach", "plan_task", reportID, division, nil, e)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// PlanFile returns a task report's file and its bytes (the thumbnail when
// thumb and there is one); ENOTFOUND when the caller cannot read the plan.
func (db *DB) PlanFile(ctx context.Context, id int64, thumb bool) (*healthcell.Evidence, []byte, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	e := &healthcell.Evidence{}
	var campaign int64
	var data, small []byte
	err = db.r.QueryRowContext(ctx, `SELECT f.id, f.sha256, f.name, f.uploaded_by, f.uploaded_at, b.mime, b.size, b.data, b.thumb, r.campaign_id
		FROM plan_report_files f JOIN evidence_blobs b ON b.sha256 = f.sha256 JOIN plan_task_reports r ON r.id = f.report_id
		WHERE f.id = $1`, id).Scan(&e.ID, &e.SHA256, &e.Name, &e.UploadedBy, &e.UploadedAt, &e.MIME, &e.Size, &data, &small, &campaign)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("evidence")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("plan file %d: %w", id, err)
	}
	if _, _, err := db.visiblePlan(ctx, a, campaign); err != nil {
		return nil, nil, notFound("evidence")
	}
	e.HasThumb = small != nil
	if thumb && small != nil {
		return e, small, nil
	}
	return e, data, nil
}

// RecordSpending records money spent against a budget line of a plan, in
// one audited transaction. EFORBIDDEN for anyone but the county office,
// EINVALID for an unknown line, an amount not above zero or a bad day.
func (db *DB) RecordSpending(ctx context.Context, s *healthcell.PlanSpending) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	c, p, err := db.visiblePlan(ctx, a, s.CampaignID)
	if err != nil {
		return err
	}
	if err := planEditor(a, c.Division); err != nil {
		return err
	}
	found := false
	for _, b := range p.Budget {
		found = found || b.Key == s.Line
	}
	if !found {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "line", Message: "plan.budget.unknown", Value: s.Line}})
	}
	if err := s.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		s.CreatedBy, s.CreatedAt = tx.actor.Username, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO plan_spending (campaign_id, line, amount, spent_on, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, s.CampaignID, s.Line, s.Amount, s.SpentOn, s.Note, s.CreatedBy, s.CreatedAt).Scan(&s.ID); err != nil {
			return fmt.Errorf("insert spending: %w", err)
		}
		return tx.audit(ctx, "spend", "plan", s.CampaignID, c.Division, nil, s)
	})
}

// fillPlanActivity reads a plan's task reports (newest first, with their
// files), each task's latest percentage, and the spending with each budget
// line's total.
func (db *DB) fillPlanActivity(ctx context.Context, p *healthcell.Plan) error {
	rows, err := db.r.QueryContext(ctx, `SELECT id, task, department, note, percent, created_by, created_at FROM plan_task_reports
		WHERE campaign_id = $1 ORDER BY id DESC`, p.CampaignID)
	if err != nil {
		return fmt.Errorf("task reports: %w", err)
	}
	byID := map[int64]*healthcell.PlanTaskReport{}
	latest := map[string]int{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		r := &healthcell.PlanTaskReport{CampaignID: p.CampaignID}
		if err := rows.Scan(&r.ID, &r.Task, &r.Department, &r.Note, &r.Percent, &r.CreatedBy, &r.CreatedAt); err != nil {
			return err
		}
		if _, ok := latest[r.Task]; !ok {
			latest[r.Task] = r.Percent
		}
		p.Reports = append(p.Reports, r)
		byID[r.ID] = r
		return nil
	}); err != nil {
		return err
	}
	for i := range p.Tasks {
		p.Tasks[i].Progress = latest[p.Tasks[i].Key]
	}
	if len(byID) > 0 {
		fr, err := db.r.QueryContext(ctx, `SELECT f.id, f.report_id, f.sha256, f.name, f.uploaded_by, f.uploaded_at, b.mime, b.size, b.thumb IS NOT NULL
			FROM plan_report_files f JOIN plan_task_reports r ON r.id = f.report_id JOIN evidence_blobs b ON b.sha256 = f.sha256
			WHERE r.campaign_id = $1 ORDER BY f.id`, p.CampaignID)
		if err != nil {
			return fmt.Errorf("task report files: %w", err)
		}
		if err := eachRow(fr, func(fr *sql.Rows) error {
			e := &healthcell.Evidence{}
			var rid int64
			if err := fr.Scan(&e.ID, &rid, &e.SHA256, &e.Name, &e.UploadedBy, &e.UploadedAt, &e.MIME, &e.Size, &e.HasThumb); err != nil {
				return err
			}
			if r := byID[rid]; r != nil {
				r.Files = append(r.Files, e)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	sr, err := db.r.QueryContext(ctx, `SELECT id, line, amount, spent_on, note, created_by, created_at FROM plan_spending
		WHERE campaign_id = $1 ORDER BY spent_on, id`, p.CampaignID)
	if err != nil {
		return fmt.Errorf("plan spending: %w", err)
	}
	spent := map[string]float64{}
	if err := eachRow(sr, func(sr *sql.Rows) error {
		s := &healthcell.PlanSpending{CampaignID: p.CampaignID}
		if err := sr.Scan(&s.ID, &s.Line, &s.Amount, &s.SpentOn, &s.Note, &s.CreatedBy, &s.CreatedAt); err != nil {
			return err
		}
		spent[s.Line] += s.Amount
		p.Spending = append(p.Spending, s)
		return nil
	}); err != nil {
		return err
	}
	for i := range p.Budget {
		p.Budget[i].Spent = spent[p.Budget[i].Key]
	}
	return nil
}
