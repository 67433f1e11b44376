package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/healthcell/healthcell"
)

// batchKey marks a context whose transitions are taken by a sampling
// batch's decision (workflow.Context.ByBatch): only then may a transition
// marked batch be taken. It never comes from a request.
type batchKey struct{}

// byBatch reports whether ctx is a batch decision's.
func byBatch(ctx context.Context) bool { v, _ := ctx.Value(batchKey{}).(bool); return v }

// DecideNamingBatch closes a sampling batch by its sample, in one audited
// transaction (all or nothing), taking for each member still in the
// sampling's state the transitions the workflow's sampling block names:
//
//   - every drawn unit passed: the drawn ones take pass (name_above, on
//     their own sheet), the others pass_rest (pass_with_batch, by the
//     guard fact named_by_sample), each with a comment naming the batch;
//     the batch is recorded passed.
//   - a drawn unit failed: comment (the reason) is required; each failed
//     drawn unit takes fail (return_recommendation) with it, each passed
//     drawn unit pass; the units not drawn stay as they are, out of the
//     batch, for the office to assess one by one or draw again; the batch
//     is recorded failed.
//
// Errors: EFORBIDDEN "naming.batch.forbidden" for anyone but the sampling
// roles of an office above the county; ENOTFOUND outside the scope;
// ECONFLICT "naming.batch.decided" for a batch already decided; EINVALID
// "naming.sample.unassessed" listing the drawn units not yet assessed (Row
// their position among the drawn, Value the unit), "naming.batch.comment_required"
// for a failed sample without a reason, and one field error per member
// whose step the workflow refused (Value its id, Message the reason).
func (db *DB) DecideNamingBatch(ctx context.Context, id int64, comment string) (*healthcell.NamingBatch, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	b, err := db.FindNamingBatch(ctx, id)
	if err != nil {
		return nil, err
	}
	_, s, level, err := db.samplingOffice(actor)
	if err != nil {
		return nil, err
	}
	if b.Office != officeOf(actor.Scope, level) {
		return nil, healthcell.Errorf(healthcell.EFORBIDDEN, "naming.batch.forbidden")
	}
	if b.State != healthcell.BatchSampling {
		return nil, healthcell.Errorf(healthcell.ECONFLICT, "naming.batch.decided")
	}
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > 500 {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "comment", Message: "field.too_long"}})
	}
	var fe []healthcell.FieldError
	failed := 0
	for i, mb := range b.Sampled() {
		switch mb.Assessment {
		case healthcell.SampleUnassessed:
			fe = append(fe, healthcell.FieldError{Field: "sample", Row: i + 1, Value: mb.UnitName, Message: "naming.sample.unassessed"})
		case healthcell.SampleFailed:
			failed++
		}
	}
	if err := healthcell.Invalid(fe); err != nil {
		return nil, err
	}
	if failed > 0 && comment == "" {
		return nil, healthcell.Invalid([]healthcell.FieldError{{Field: "comment", Message: "naming.batch.comment_required"}})
	}
	next := healthcell.BatchPassed
	if failed > 0 {
		next = healthcell.BatchFailed
	}
	sampled := len(b.Sampled())
	bctx := context.WithValue(ctx, batchKey{}, true)
	err = db.write(bctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE naming_batches SET state = $1, comment = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND state = 'sampling'`,
			next, comment, tx.actor.Username, tx.now, b.ID)
		if err != nil {
			return fmt.Errorf("decide naming batch: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return healthcell.Errorf(healthcell.ECONFLICT, "naming.batch.decided")
		}
		var fe []healthcell.FieldError
		for i, mb := range b.Members {
			if mb.State != s.From {
				continue // named, returned or failed on its own already
			}
			var req healthcell.TransitionRequest
			switch {
			case mb.Sampled && mb.Assessment == healthcell.SamplePassed:
				req = healthcell.TransitionRequest{Action: s.Pass, Comment: fmt.Sprintf("抽查批次 %d：本单位被抽中，考核合格", b.ID)}
			case mb.Sampled:
				req = healthcell.TransitionRequest{Action: s.Fail, Comment: fmt.Sprintf("抽查批次 %d：本单位被抽中，考核不合格。%s", b.ID, comment)}
			case next == healthcell.BatchPassed:
				req = healthcell.TransitionRequest{Action: s.PassRest,
					Comment: fmt.Sprintf("抽查批次 %d：抽中的 %d 个单位考核全部合格，本单位随批次通过", b.ID, sampled)}
			default:
				continue // not drawn in a failed batch: stays for a decision of its own
			}
			if _, err := db.transition(bctx, tx, mb.ApplicationID, req); err != nil {
				if healthcell.ErrorMessage(err) == MsgStateChanged || healthcell.ErrorCode(err) == healthcell.EINTERNAL {
					return err
				}
				msg := healthcell.ErrorMessage(err)
				var e *healthcell.Error
				if errors.As(err, &e) && len(e.Fields) > 0 {
					msg = e.Fields[0].Message
				}
				fe = append(fe, healthcell.FieldError{Field: "applications", Row: i + 1, Value: strconv.FormatInt(mb.ApplicationID, 10), Message: msg})
				continue
			}
			if req.Action == s.PassRest {
				if _, err := tx.ExecContext(ctx, `UPDATE naming_batch_members SET named_at = $1 WHERE batch_id = $2 AND application_id = $3`,
					tx.now, b.ID, mb.ApplicationID); err != nil {
					return fmt.Errorf("mark naming batch member: %w", err)
				}
			}
		}
		if err := healthcell.Invalid(fe); err != nil {
			return err
		}
		b.State, b.Comment = next, comment
		return tx.audit(ctx, "decide", "naming_batch", b.ID, b.Office, map[string]any{"state": healthcell.BatchSampling}, namingBatchAudit(b))
	})
	if err != nil {
		return nil, err
	}
	return db.FindNamingBatch(ctx, id)
}

// namedBySample reports whether application id is a member not drawn in a
// passed naming batch that has not yet been named with it (guard
// named_by_sample): the decision sets named_at right after its step, so
// the basis serves once.
func namedBySample(ctx context.Context, q queryer, id int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM naming_batch_members m JOIN naming_batches b ON b.id = m.batch_id
		WHERE m.application_id = $1 AND NOT m.sampled AND m.named_at IS NULL AND b.state = 'passed'`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("named by sample: %w", err)
	}
	return n > 0, nil
}
