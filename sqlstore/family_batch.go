package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/score"
)

// CreateSampleBatch records a township's batch of applied household
// applications and the sample drawn from them (DrawSample with seed, or a
// random seed when it is 0), in one audited transaction. percent is
// 1–100 (0: the catalog's sample_percent). EFORBIDDEN for anyone but a
// township officer; EINVALID listing each application (Row its position,
// Value its id) that is not an applied household application of the
// caller's township or is in another open batch — an application out of
// scope reads as not found, like a missing one.
func (db *DB) CreateSampleBatch(ctx context.Context, ids []int64, percent int, seed int64) (*healthcell.SampleBatch, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if actor.Role != healthcell.RoleTownship || healthcell.CodeLevel(actor.Scope) != healthcell.LevelTownship {
		return nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	if len(ids) == 0 {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "ids", Message: "application.bulk.empty"}})
	}
	if len(ids) > healthcell.MaxFamilyBulk {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "ids", Message: "application.bulk.too_many"}})
	}
	rules, std, err := db.familyStandard(ctx)
	if err != nil {
		return nil, err
	}
	if percent == 0 {
		percent = rules.SamplePercent
	}
	if percent < 1 || percent > 100 {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "percent", Message: "family.percent.invalid", Value: strconv.Itoa(percent)}})
	}
	if seed == 0 {
		seed = randomSeed()
	}
	var b *healthcell.SampleBatch
	err = db.write(ctx, func(tx *Tx) error {
		// Afresh on every run: a PostgreSQL write may run again (DB.write).
		b = &healthcell.SampleBatch{Township: actor.Scope, Percent: percent, Seed: seed, State: healthcell.BatchSampling}
		fe, err := eachBatchCandidate(ctx, tx, ids, "ids", "family.batch.repeated", func(a *healthcell.Application, bad func(string)) error {
			if a.UnitKind != "household" || a.StandardID != std.ID || a.State != "applied" {
				bad("family.batch.not_applied")
				return nil
			}
			if b.CampaignID == 0 {
				b.CampaignID = a.CampaignID
			} else if a.CampaignID != b.CampaignID {
				bad("family.batch.campaign")
				return nil
			}
			var open int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM family_batch_members m JOIN family_batches b ON b.id = m.batch_id
				WHERE m.application_id = $1 AND b.state = 'sampling'`, a.ID).Scan(&open); err != nil {
				return fmt.Errorf("open batches: %w", err)
			}
			if open > 0 {
				bad("family.batch.open")
				return nil
			}
			b.Members = append(b.Members, &healthcell.BatchMember{ApplicationID: a.ID, UnitName: a.UnitName, Division: a.Division, State: a.State})
			return nil
		})
		if err != nil {
			return err
		}
		if err := healthcell.Invalid(fe); err != nil {
			return err
		}
		drawn := map[int64]bool{}
		all := make([]int64, len(b.Members))
		for i, m := range b.Members {
			all[i] = m.ApplicationID
		}
		for _, id := range DrawSample(all, percent, seed) {
			drawn[id] = true
		}
		b.CreatedBy, b.CreatedAt = tx.actor.Username, tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO family_batches (campaign_id, township, percent, seed, state, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, b.CampaignID, b.Township, b.Percent, b.Seed, b.State, b.CreatedBy, b.CreatedAt).Scan(&b.ID); err != nil {
			return fmt.Errorf("insert batch: %w", err)
		}
		for _, m := range b.Members {
			m.Sampled = drawn[m.ApplicationID]
			if _, err := tx.ExecContext(ctx, `INSERT INTO family_batch_members (batch_id, application_id, sampled) VALUES ($1, $2, $3)`,
				b.ID, m.ApplicationID, m.Sampled); err != nil {
				return fmt.Errorf("insert batch member: %w", err)
			}
		}
		return tx.audit(ctx, "create", "family_batch", b.ID, b.Township, nil, batchAudit(b))
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// batchAudit is what the audit log keeps of a batch: the seed, the
// members and the drawn ones, so that the draw can be repeated.
func batchAudit(b *healthcell.SampleBatch) map[string]any {
	var all, sampled []int64
	for _, m := range b.Members {
		all = append(all, m.ApplicationID)
		if m.Sampled {
			sampled = append(sampled, m.ApplicationID)
		}
	}
	return map[string]any{"state": b.State, "percent": b.Percent, "seed": b.Seed, "applications": all, "sampled": sampled}
}

// findBatch reads a batch with its members (their application's name and
// state); ENOTFOUND when it does not exist or lies outside the actor's scope.
func findBatch(ctx context.Context, q querier, actor *healthcell.Actor, id int64) (*healthcell.SampleBatch, error) {
	b := &healthcell.SampleBatch{}
	var decided sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT id, campaign_id, township, percent, seed, state, created_by, created_at, decided_by, decided_at
		FROM family_batches WHERE id = $1`, id).Scan(&b.ID, &b.CampaignID, &b.Township, &b.Percent, &b.Seed, &b.State, &b.CreatedBy,
		&b.CreatedAt, &b.DecidedBy, &decided)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.CoversDivision(b.Township)) {
		return nil, notFound("family_batch")
	}
	if err != nil {
		return nil, fmt.Errorf("find batch: %w", err)
	}
	if decided.Valid {
		b.DecidedAt = &decided.Time
	}
	rows, err := q.QueryContext(ctx, `SELECT m.application_id, a.unit_name, a.division, COALESCE(d.name, ''), a.state, m.sampled FROM family_batch_members m
		JOIN applications a ON a.id = m.application_id LEFT JOIN divisions d ON d.code = a.division
		WHERE m.batch_id = $1 ORDER BY m.sampled DESC, a.division, a.unit_name, a.id`, id)
	if err != nil {
		return nil, fmt.Errorf("batch members: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		m := &healthcell.BatchMember{}
		if err := rows.Scan(&m.ApplicationID, &m.UnitName, &m.Division, &m.VillageName, &m.State, &m.Sampled); err != nil {
			return err
		}
		b.Members = append(b.Members, m)
		return nil
	}); err != nil {
		return nil, err
	}
	return b, nil
}

// FindSampleBatch returns a batch with its members and, for the sampled
// ones, their township check sheet and its result. ENOTFOUND outside the
// caller's scope (a village officer sees none: batches are the township's).
func (db *DB) FindSampleBatch(ctx context.Context, id int64) (*healthcell.SampleBatch, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !batchReader(actor) {
		return nil, notFound("family_batch")
	}
	b, err := findBatch(ctx, db.r, actor, id)
	if err != nil {
		return nil, err
	}
	if err := db.sampleChecks(ctx, b); err != nil {
		return nil, err
	}
	all := make([]int64, len(b.Members))
	var recorded []int64
	for i, m := range b.Members {
		all[i] = m.ApplicationID
		if m.Sampled {
			recorded = append(recorded, m.ApplicationID)
		}
	}
	slices.Sort(recorded)
	b.Redrawn = slices.Equal(DrawSample(all, b.Percent, b.Seed), recorded)
	return b, nil
}

// batchReader reports whether the actor may see batches: the township and
// the county office (and the system).
func batchReader(a *healthcell.Actor) bool {
	return a.System || a.Role == healthcell.RoleTownship || a.Role == healthcell.RoleCountyAdmin
}

// sampleChecks fills in each sampled member's township check sheet and
// its result.
func (db *DB) sampleChecks(ctx context.Context, b *healthcell.SampleBatch) error {
	for _, m := range b.Sampled() {
		a, err := findApplication(ctx, db.r, m.ApplicationID)
		if err != nil {
			return err
		}
		sheets, err := db.applicationSheets(ctx, a)
		if err != nil {
			return err
		}
		id, passed, err := db.sheetPassed(ctx, a, sheets, healthcell.SheetCheck)
		if err != nil {
			return err
		}
		m.CheckSheetID = id
		if id == 0 {
			continue
		}
		s, err := findSheet(ctx, db.r, id)
		if err != nil {
			return err
		}
		if err := db.loadAnswers(ctx, s); err != nil {
			return err
		}
		std, err := findStandard(ctx, db.r, `id = $1`, s.StandardID)
		if err != nil {
			return err
		}
		res := score.Compute(std, s)
		m.Score = res.Total
		switch {
		case passed:
			m.Check = "passed"
		case res.Complete:
			m.Check = "failed"
		}
	}
	return nil
}

// FindSampleBatches lists the batches of the caller's scope, newest first,
// without members.
func (db *DB) FindSampleBatches(ctx context.Context) ([]*healthcell.SampleBatch, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !batchReader(actor) {
		return nil, nil
	}
	lo, hi := healthcell.CodeRange(actor.Scope)
	if actor.System {
		lo, hi = "0", "9"
	}
	rows, err := db.r.QueryContext(ctx, `SELECT b.id, b.campaign_id, b.township, b.percent, b.seed, b.state, b.created_by, b.created_at, b.decided_by,
		(SELECT COUNT(*) FROM family_batch_members m WHERE m.batch_id = b.id), (SELECT COUNT(*) FROM family_batch_members m WHERE m.batch_id = b.id AND m.sampled)
		FROM family_batches b WHERE b.township BETWEEN $1 AND $2 ORDER BY b.id DESC LIMIT 200`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("batches: %w", err)
	}
	var out []*healthcell.SampleBatch
	if err := eachRow(rows, func(rows *sql.Rows) error {
		b := &healthcell.SampleBatch{}
		var n, s int
		if err := rows.Scan(&b.ID, &b.CampaignID, &b.Township, &b.Percent, &b.Seed, &b.State, &b.CreatedBy, &b.CreatedAt, &b.DecidedBy, &n, &s); err != nil {
			return err
		}
		b.Members = make([]*healthcell.BatchMember, n) // counts only: the first s are "sampled"
		for i := range b.Members {
			b.Members[i] = &healthcell.BatchMember{Sampled: i < s}
		}
		out = append(out, b)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// DecideSampleBatch closes a sampling batch by its sample. Every sampled
// household needs a complete township check sheet (EINVALID
// "family.sample.unchecked" listing those without, nothing changes). When
// one of them fails, the batch is recorded as failed and nobody passes by
// it (the township checks the households one by one, or returns them).
// When all pass, in one transaction (all or nothing) the batch is recorded
// as passed and every member still applied passes the check (pass_check):
// the sampled ones on their own sheet, the others by the guard fact
// passed_by_sample; a member refused makes the whole decision fail with
// EINVALID listing why (Row its position, Value the application id).
// EFORBIDDEN for anyone but a township officer; ECONFLICT
// "family.batch.decided" for a batch already decided.
func (db *DB) DecideSampleBatch(ctx context.Context, id int64) (*healthcell.SampleBatch, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !batchReader(actor) {
		return nil, notFound("family_batch")
	}
	if actor.Role != healthcell.RoleTownship {
		return nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	b, err := db.FindSampleBatch(ctx, id)
	if err != nil {
		return nil, err
	}
	if b.State != healthcell.BatchSampling {
		return nil, healthcell.Errorf(healthcell.ECONFLICT, "family.batch.decided")
	}
	var fe []healthcell.FieldError
	failed := false
	for i, m := range b.Sampled() {
		switch m.Check {
		case "":
			fe = append(fe, healthcell.FieldError{Field: "sample", Row: i + 1, Value: m.UnitName, Message: "family.sample.unchecked"})
		case "failed":
			failed = true
		}
	}
	if err := healthcell.Invalid(fe); err != nil {
		return nil, err
	}
	next := healthcell.BatchPassed
	if failed {
		next = healthcell.BatchFailed
	}
	err = db.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE family_batches SET state = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND state = 'sampling'`,
			next, tx.actor.Username, tx.now, b.ID)
		if err != nil {
			return fmt.Errorf("decide batch: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return healthcell.Errorf(healthcell.ECONFLICT, "family.batch.decided")
		}
		if next == healthcell.BatchPassed {
			var fe []healthcell.FieldError
			for i, m := range b.Members {
				if m.State != "applied" {
					continue // a sampled household the township passed on its own already
				}
				comment := fmt.Sprintf("抽查批次 %d：抽查的 %d 户全部初验合格，本户随批次通过", b.ID, len(b.Sampled()))
				if m.Sampled {
					comment = fmt.Sprintf("抽查批次 %d：本户被抽中，初验评分表合格", b.ID)
				}
				if _, err := db.transition(ctx, tx, m.ApplicationID, healthcell.TransitionRequest{Action: "pass_check", Comment: comment}); err != nil {
					if healthcell.ErrorMessage(err) == MsgStateChanged || healthcell.ErrorCode(err) == healthcell.EINTERNAL {
						return err
					}
					msg := healthcell.ErrorMessage(err)
					var e *healthcell.Error
					if errors.As(err, &e) && len(e.Fields) > 0 {
						msg = e.Fields[0].Message
					}
					fe = append(fe, healthcell.FieldError{Field: "ids", Row: i + 1, Value: strconv.FormatInt(m.ApplicationID, 10), Message: msg})
					continue
				}
				if _, err := tx.ExecContext(ctx, `UPDATE family_batch_members SET passed_at = $1 WHERE batch_id = $2 AND application_id = $3`,
					tx.now, b.ID, m.ApplicationID); err != nil {
					return fmt.Errorf("mark batch member: %w", err)
				}
			}
			if err := healthcell.Invalid(fe); err != nil {
				return err
			}
		}
		b.State, b.DecidedBy = next, tx.actor.Username
		now := tx.now
		b.DecidedAt = &now
		return tx.audit(ctx, "decide", "family_batch", b.ID, b.Township, map[string]any{"state": healthcell.BatchSampling}, batchAudit(b))
	})
	if err != nil {
		return nil, err
	}
	return db.FindSampleBatch(ctx, id)
}
