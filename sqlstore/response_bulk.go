package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
)

// Responses is a source of questionnaire responses, pushed one at a time
// into emit; an error from emit must stop it.
type Responses func(emit func(r *healthcell.Response) error) error

var responseCopyColumns = []string{"id", "questionnaire", "version", "village_code", "unit_id", "person_id", "respondent_name", "sex", "age",
	"survey_date", "points", "max_points", "passed", "knowledge_passed", "behaviour_passed", "active", "created_by", "created_at"}
var answerCopyColumns = []string{"response_id", "item", "labels", "points"}
var groupCopyColumns = []string{"response_id", "kind", "code", "points", "max_points", "passed"}

// responseRows accumulates the rows of scored responses with pre-assigned ids.
type responseRows struct {
	q                          *questionnaire.Questionnaire
	version                    int
	by                         string
	now                        time.Time
	id                         int64
	responses, answers, groups [][]any
}

// add scores r against the questionnaire and buffers its rows. Answers are
// trusted (the demo generator makes them from the options) but scored here,
// through the questionnaire package, never taken from the caller.
func (b *responseRows) add(r *healthcell.Response) {
	b.id++
	r.ID, r.Questionnaire, r.Version, r.Active, r.CreatedBy, r.CreatedAt = b.id, b.q.Code, b.version, true, b.by, b.now
	b.q.Apply(r, b.q.Score(r.Answers))
	b.responses = append(b.responses, []any{r.ID, r.Questionnaire, r.Version, r.VillageCode, nullID(r.UnitID), nullID(r.PersonID), r.Name, r.Sex, r.Age,
		r.SurveyDate, r.Points, r.MaxPoints, r.Passed, nullBool(r.KnowledgePassed), nullBool(r.BehaviourPassed), true, r.CreatedBy, r.CreatedAt})
	for _, it := range r.Items {
		if len(it.Labels) > 0 {
			b.answers = append(b.answers, []any{r.ID, it.Item, joinLabels(it.Labels), it.Points})
		}
	}
	for _, g := range r.Groups {
		b.groups = append(b.groups, []any{r.ID, g.Kind, g.Code, g.Points, g.Max, g.Passed})
	}
}

func (b *responseRows) reset() {
	b.responses, b.answers, b.groups = b.responses[:0], b.answers[:0], b.groups[:0]
}

// responseBatch is the number of responses buffered before they are written.
const responseBatch = 2000

// LoadResponses scores and writes every response of src against the latest
// version of code in one transaction (COPY on PostgreSQL, multi-row inserts
// on SQLite) with one audit entry, so a crash leaves all of them or none.
// Respondents are trusted: the caller (the demo generator) makes them valid
// and in scope. It returns how many it wrote; ENOTFOUND for an unknown code
// and EFORBIDDEN unless the caller is the system.
func (db *DB) LoadResponses(ctx context.Context, code string, src Responses) (int, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return 0, err
	}
	if !a.System {
		return 0, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	v, q, err := findQuestionnaire(ctx, db.r, `code = $1 ORDER BY version DESC LIMIT 1`, code)
	if err != nil {
		return 0, err
	}
	b := &responseRows{q: q, version: v.Version, by: a.Username}
	n := 0
	if db.Engine == Postgres {
		err = db.loadResponsesPostgres(ctx, b, src, &n)
	} else {
		err = db.write(ctx, func(tx *Tx) error {
			b.now = tx.now
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM questionnaire_responses`).Scan(&b.id); err != nil {
				return err
			}
			flush := func() error {
				for _, t := range []struct {
					table string
					cols  []string
					rows  [][]any
				}{{"questionnaire_responses", responseCopyColumns, b.responses}, {"questionnaire_answers", answerCopyColumns, b.answers},
					{"questionnaire_response_groups", groupCopyColumns, b.groups}} {
					if err := tx.insertRows(ctx, t.table, t.cols, t.rows); err != nil {
						return err
					}
				}
				n += len(b.responses)
				b.reset()
				return nil
			}
			err := src(func(r *healthcell.Response) error {
				b.add(r)
				if len(b.responses) >= responseBatch {
					return flush()
				}
				return nil
			})
			if err == nil {
				err = flush()
			}
			if err != nil {
				return err
			}
			return tx.audit(ctx, "load", "questionnaire_response", "", "", nil, map[string]any{"questionnaire": code, "version": v.Version, "responses": n})
		})
	}
	if err != nil {
		return 0, err
	}
	return n, nil
}

// insertRows writes rows into table with multi-row INSERT statements of up to
// 200 rows: with the pure-Go driver, one statement per row costs several
// times more.
func (tx *Tx) insertRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	const per = 200
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for len(rows) > 0 {
		k := min(per, len(rows))
		args := make([]any, 0, k*len(cols))
		for _, r := range rows[:k] {
			args = append(args, r...)
		}
		var err error
		if k == per {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, multiInsertSQL(table, cols, per)); err != nil {
					return fmt.Errorf("prepare %s: %w", table, err)
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, multiInsertSQL(table, cols, k), args...)
		}
		if err != nil {
			return fmt.Errorf("insert %s: %w", table, err)
		}
		rows = rows[k:]
	}
	return nil
}

// multiInsertSQL is an INSERT of n rows of cols, for SQLite only. Its
// placeholders are anonymous (?): the driver looks up the name of every
// numbered one in a list as long as the statement, which made a 1,000-value
// statement spend most of its time binding.
func multiInsertSQL(table string, cols []string, n int) string {
	var sb strings.Builder
	sb.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for j := range cols {
			if j > 0 {
				sb.WriteString(", ")
			}
			sb.WriteByte('?')
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

// loadResponsesPostgres streams the rows with COPY inside one pgx
// transaction, then moves the identity sequence past the ids it assigned.
func (db *DB) loadResponsesPostgres(ctx context.Context, b *responseRows, src Responses, n *int) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	b.now = db.Now().UTC().Truncate(time.Microsecond)
	a := healthcell.ActorFrom(ctx)
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		ptx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		if err := beginBulkPostgres(ctx, ptx); err != nil {
			ptx.Rollback(ctx)
			return err
		}
		defer ptx.Rollback(ctx)
		if _, err := ptx.Exec(ctx, `LOCK TABLE questionnaire_responses IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		if err := ptx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM questionnaire_responses`).Scan(&b.id); err != nil {
			return err
		}
		flush := func() error {
			for _, t := range []struct {
				table string
				cols  []string
				rows  [][]any
			}{{"questionnaire_responses", responseCopyColumns, b.responses}, {"questionnaire_answers", answerCopyColumns, b.answers},
				{"questionnaire_response_groups", groupCopyColumns, b.groups}} {
				if _, err := ptx.CopyFrom(ctx, pgx.Identifier{t.table}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
					return fmt.Errorf("copy %s: %w", t.table, err)
				}
			}
			*n += len(b.responses)
			b.reset()
			return nil
		}
		err = src(func(r *healthcell.Response) error {
			b.add(r)
			if len(b.responses) >= responseBatch {
				return flush()
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		if err != nil {
			return err
		}
		if _, err := ptx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('questionnaire_responses', 'id'), (SELECT COALESCE(MAX(id), 1) FROM questionnaire_responses))`); err != nil {
			return fmt.Errorf("advance response ids: %w", err)
		}
		after, _ := auditJSON(map[string]any{"questionnaire": b.q.Code, "version": b.version, "responses": *n})
		if _, err := ptx.Exec(ctx, `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, division, before, after)
			VALUES ($1, $2, $3, 'load', 'questionnaire_response', '', '', '', $4)`, b.now, a.UserID, a.Username, after); err != nil {
			return err
		}
		if _, err := ptx.Exec(ctx, `ANALYZE questionnaire_responses, questionnaire_answers, questionnaire_response_groups`); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
		return ptx.Commit(ctx)
	})
}

// ResponsesExist reports whether questionnaire code has any response under
// division (a 12-digit code): the demo fills a county's responses only once.
// EINVALID for a division that is no code.
func (db *DB) ResponsesExist(ctx context.Context, code, division string) (bool, error) {
	lo, hi := healthcell.CodeRange(division)
	if lo == "" {
		return false, healthcell.Errorf(healthcell.EINVALID, "division %q", division)
	}
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM questionnaire_responses
		WHERE questionnaire = $1 AND village_code BETWEEN $2 AND $3 LIMIT 1) x`, code, lo, hi).Scan(&n)
	return n > 0, err
}
