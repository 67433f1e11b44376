package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/workflow"
)

// Sampling batches (抽查) of the office that names a title above the
// county: the workflow file's sampling block says from which state units
// are drawn, who draws and decides, and which transitions the decision
// takes (naming_batch_decide.go). Tables naming_batches and
// naming_batch_members (migration 0025).

// samplingOffice returns the workflow's sampling block and the level of
// the actor's office when the actor may draw and decide batches: one of
// the block's roles with a city or province scope. EFORBIDDEN otherwise,
// and when the workflow has no sampling block.
func (db *DB) samplingOffice(actor *healthcell.Actor) (*workflow.Machine, workflow.Sampling, int, error) {
	m, err := db.machine()
	if err != nil {
		return nil, workflow.Sampling{}, 0, err
	}
	s, ok := m.Sampling()
	lv := healthcell.CodeLevel(actor.Scope)
	if !ok || actor.System || !m.MaySample(actor) || (lv != healthcell.LevelCity && lv != healthcell.LevelProvince) {
		return nil, workflow.Sampling{}, 0, healthcell.Errorf(healthcell.EFORBIDDEN, "naming.batch.forbidden")
	}
	return m, s, lv, nil
}

// namingBatchReader reports whether the actor reads batches: an office
// above the county (its admins and assessors) and the system.
func namingBatchReader(a *healthcell.Actor) bool {
	return a.System || (a.Role.Upper() && healthcell.CodeLevel(a.Scope) < healthcell.LevelCounty)
}

// CreateNamingBatch records a batch of recommended units and the sample
// drawn from them (DrawSampleN with the stated count, or the stated
// percent's SampleSize; the workflow's percent when neither is given; a
// random seed when req.Seed is 0), in one audited transaction whose entry
// keeps the seed, the members and the drawn ones. Errors: EFORBIDDEN
// "naming.batch.forbidden" for anyone but the sampling roles of an office
// above the county; EINVALID for no units or more than MaxNamingBatch, a
// percent and a count both given, a percent outside 1–100 or a count
// outside 1 to the number of units, and one field error per unit (Row its
// position, Value its id) that is missing or out of scope
// ("error.not_found.application"), given twice, not in the sampling's state,
// named by another level, of another cell type than the first, or in
// another open batch. Nothing is written on any error.
func (db *DB) CreateNamingBatch(ctx context.Context, req healthcell.NamingBatchRequest) (*healthcell.NamingBatch, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	m, s, level, err := db.samplingOffice(actor)
	if err != nil {
		return nil, err
	}
	ids := req.Applications
	switch {
	case len(ids) == 0:
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "applications", Message: "application.bulk.empty"}})
	case len(ids) > healthcell.MaxNamingBatch:
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "applications", Message: "application.bulk.too_many"}})
	case req.Percent != 0 && req.Count != 0:
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "count", Message: "naming.batch.size_both"}})
	case req.Percent == 0 && req.Count == 0:
		req.Percent = s.Percent
	}
	if req.Percent < 0 || req.Percent > 100 {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "percent", Message: "naming.percent.invalid", Value: strconv.Itoa(req.Percent)}})
	}
	if req.Count < 0 || req.Count > len(ids) {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "count", Message: "naming.count.invalid", Value: strconv.Itoa(req.Count)}})
	}
	if req.Seed == 0 {
		req.Seed = randomSeed()
	}
	var b *healthcell.NamingBatch
	err = db.write(ctx, func(tx *Tx) error {
		// Afresh on every run: a PostgreSQL write may run again (DB.write).
		b = &healthcell.NamingBatch{Office: officeOf(actor.Scope, level), Percent: req.Percent, Count: req.Count, Seed: req.Seed,
			State: healthcell.BatchSampling}
		fe, err := eachBatchCandidate(ctx, tx, ids, "applications", "naming.batch.repeated", func(a *healthcell.Application, bad func(string)) error {
			switch {
			case a.State != s.From:
				bad("naming.batch.not_recommended")
				return nil
			case m.NamingLevel(a.CellType) != level:
				bad("naming.batch.not_named_here")
				return nil
			case b.CellType == "":
				b.CellType = a.CellType
			case a.CellType != b.CellType:
				bad("naming.batch.cell_type")
				return nil
			}
			open, err := openNamingBatch(ctx, tx, a.ID)
			if err != nil {
				return err
			}
			if open != 0 {
				bad("naming.batch.open")
				return nil
			}
			b.Members = append(b.Members, &healthcell.NamingBatchMember{ApplicationID: a.ID, UnitName: a.UnitName, Division: a.Division, State: a.State})
			return nil
		})
		if err != nil {
			return err
		}
		if err := healthcell.Invalid(fe); err != nil {
			return err
		}
		all := make([]int64, len(b.Members))
		for i, mb := range b.Members {
			all[i] = mb.ApplicationID
		}
		drawn := drawNaming(all, b)
		b.CreatedBy, b.CreatedAt = tx.actor.Username, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO naming_batches (office, cell_type, percent, sample_count, seed, state, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, b.Office, b.CellType, b.Percent, b.Count, b.Seed, b.State,
			b.CreatedBy, b.CreatedAt).Scan(&b.ID); err != nil {
			return fmt.Errorf("insert naming batch: %w", err)
		}
		for _, mb := range b.Members {
			mb.Sampled = slices.Contains(drawn, mb.ApplicationID)
			if _, err := tx.ExecContext(ctx, `INSERT INTO naming_batch_members (batch_id, application_id, sampled) VALUES ($1, $2, $3)`,
				b.ID, mb.ApplicationID, mb.Sampled); err != nil {
				return fmt.Errorf("insert naming batch member: %w", err)
			}
		}
		return tx.audit(ctx, "create", "naming_batch", b.ID, b.Office, nil, namingBatchAudit(b))
	})
	if err != nil {
		return nil, err
	}
	return db.FindNamingBatch(ctx, b.ID)
}

// officeOf is the 12-digit code of the office at level covering scope.
func officeOf(scope string, level int) string { return namingBody(scope, level) }

// drawNaming returns the sample of ids the batch's size and seed draw.
func drawNaming(ids []int64, b *healthcell.NamingBatch) []int64 {
	n := b.Count
	if n == 0 {
		n = SampleSize(len(ids), b.Percent)
	}
	return DrawSampleN(ids, n, b.Seed)
}

// openNamingBatch returns the id of the open batch holding application id,
// 0 when none does.
func openNamingBatch(ctx context.Context, q queryer, id int64) (int64, error) {
	var open int64
	err := q.QueryRowContext(ctx, `SELECT b.id FROM naming_batch_members m JOIN naming_batches b ON b.id = m.batch_id
		WHERE m.application_id = $1 AND b.state = 'sampling'`, id).Scan(&open)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("open naming batch: %w", err)
	}
	return open, nil
}

// namingBatchAudit is what the audit log keeps of a batch: the size
// stated, the seed, the members and the drawn ones (so that the draw can
// be repeated), and the decision's comment.
func namingBatchAudit(b *healthcell.NamingBatch) map[string]any {
	all, sampled := []int64{}, []int64{}
	for _, m := range b.Members {
		all = append(all, m.ApplicationID)
		if m.Sampled {
			sampled = append(sampled, m.ApplicationID)
		}
	}
	out := map[string]any{"state": b.State, "cell_type": b.CellType, "seed": b.Seed, "applications": all, "sampled": sampled}
	if b.Count != 0 {
		out["count"] = b.Count
	} else {
		out["percent"] = b.Percent
	}
	if b.Comment != "" {
		out["comment"] = b.Comment
	}
	return out
}

const namingBatchColumns = `b.id, b.office, COALESCE((SELECT d.name FROM divisions d WHERE d.code = b.office), ''), b.cell_type, b.percent,
	b.sample_count, b.seed, b.state, b.comment, b.created_by, b.created_at, b.decided_by, b.decided_at`

// scanNamingBatch scans namingBatchColumns.
func scanNamingBatch(row interface{ Scan(...any) error }) (*healthcell.NamingBatch, error) {
	b := &healthcell.NamingBatch{}
	var decided sql.NullTime
	if err := row.Scan(&b.ID, &b.Office, &b.OfficeName, &b.CellType, &b.Percent, &b.Count, &b.Seed, &b.State, &b.Comment,
		&b.CreatedBy, &b.CreatedAt, &b.DecidedBy, &decided); err != nil {
		return nil, err
	}
	if decided.Valid {
		b.DecidedAt = &decided.Time
	}
	return b, nil
}

// namingBatchMembers reads the members of batch id with their unit, county
// and state, drawn ones first.
func namingBatchMembers(ctx context.Context, q querier, id int64) ([]*healthcell.NamingBatchMember, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.application_id, a.unit_name, a.division, COALESCE(c.name, ''), a.state, m.sampled
		FROM naming_batch_members m JOIN applications a ON a.id = m.application_id
		LEFT JOIN divisions c ON c.code = substr(a.division, 1, 6) || '000000'
		WHERE m.batch_id = $1 ORDER BY m.sampled DESC, a.division, a.unit_name, a.id`, id)
	if err != nil {
		return nil, fmt.Errorf("naming batch members: %w", err)
	}
	var out []*healthcell.NamingBatchMember
	err = eachRow(rows, func(rows *sql.Rows) error {
		mb := &healthcell.NamingBatchMember{}
		if err := rows.Scan(&mb.ApplicationID, &mb.UnitName, &mb.Division, &mb.CountyName, &mb.State, &mb.Sampled); err != nil {
			return err
		}
		out = append(out, mb)
		return nil
	})
	return out, err
}

// FindNamingBatch returns a batch with its members, the assessment of each
// drawn one (namingAssessments) and whether its seed draws the recorded
// sample again (Redrawn). ENOTFOUND for a missing batch, one of an office
// outside the caller's scope, and for callers who read no batches (anyone
// below the offices above the county).
func (db *DB) FindNamingBatch(ctx context.Context, id int64) (*healthcell.NamingBatch, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !namingBatchReader(actor) {
		return nil, notFound("naming_batch")
	}
	b, err := scanNamingBatch(db.r.QueryRowContext(ctx, `SELECT `+namingBatchColumns+` FROM naming_batches b WHERE b.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.CoversDivision(b.Office)) {
		return nil, notFound("naming_batch")
	}
	if err != nil {
		return nil, fmt.Errorf("find naming batch: %w", err)
	}
	if b.Members, err = namingBatchMembers(ctx, db.r, id); err != nil {
		return nil, err
	}
	if err := db.namingAssessments(ctx, b); err != nil {
		return nil, err
	}
	all := make([]int64, len(b.Members))
	var recorded []int64
	for i, mb := range b.Members {
		all[i] = mb.ApplicationID
		if mb.Sampled {
			recorded = append(recorded, mb.ApplicationID)
		}
	}
	slices.Sort(recorded)
	b.Redrawn = slices.Equal(drawNaming(all, b), recorded)
	return b, nil
}

// namingAssessments fills in each drawn member's outcome: passed when it
// was named already (on its own sheet) or its assessment sheet is complete
// and passes; failed when its complete sheet fails or it left the
// sampling's state otherwise (returned or failed on its own); else not yet
// assessed. The sheet's score goes with it.
func (db *DB) namingAssessments(ctx context.Context, b *healthcell.NamingBatch) error {
	m, err := db.machine()
	if err != nil {
		return err
	}
	s, _ := m.Sampling()
	for _, mb := range b.Sampled() {
		a, err := findApplication(ctx, db.r, mb.ApplicationID)
		if err != nil {
			return err
		}
		sheets, err := db.applicationSheets(ctx, a)
		if err != nil {
			return err
		}
		var passed, complete bool
		if mb.SheetID = sheets[healthcell.SheetAssessment]; mb.SheetID != 0 {
			res, err := db.sheetResult(ctx, mb.SheetID)
			if err != nil {
				return err
			}
			mb.Score, complete, passed = res.Total, res.Complete, res.Complete && res.Passed
		}
		switch {
		case a.State == "named":
			mb.Assessment = healthcell.SamplePassed
		case a.State != s.From:
			mb.Assessment = healthcell.SampleFailed
		case passed:
			mb.Assessment = healthcell.SamplePassed
		case complete:
			mb.Assessment = healthcell.SampleFailed
		}
	}
	return nil
}

// FindNamingBatches lists the batches of the offices in the caller's scope,
// newest first (at most 200), with their members; nil for callers who read
// no batches.
func (db *DB) FindNamingBatches(ctx context.Context) ([]*healthcell.NamingBatch, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !namingBatchReader(actor) {
		return nil, nil
	}
	lo, hi := healthcell.CodeRange(actor.Scope)
	if actor.System {
		lo, hi = "0", "9"
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+namingBatchColumns+` FROM naming_batches b WHERE b.office BETWEEN $1 AND $2
		ORDER BY b.id DESC LIMIT 200`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("naming batches: %w", err)
	}
	var out []*healthcell.NamingBatch
	if err := eachRow(rows, func(rows *sql.Rows) error {
		b, err := scanNamingBatch(rows)
		if err == nil {
			out = append(out, b)
		}
		return err
	}); err != nil {
		return nil, err
	}
	for _, b := range out {
		if b.Members, err = namingBatchMembers(ctx, db.r, b.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}
