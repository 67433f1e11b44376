package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
)

// storedResponse is what re-scoring reads of one response.
type storedResponse struct {
	id         int64
	points     int
	max        int
	passed     bool
	kp, bp     *bool
	answers    map[string][]string
	itemPoints map[string]int
}

// rescoreUpdate is what re-scoring writes for one response whose score
// moved: only that, not the answers, so that re-scoring a county's responses
// stays small in memory.
type rescoreUpdate struct {
	r     healthcell.Response // ID, totals, part results and Groups only
	items map[string]int      // item → new points, for the answers that changed
}

// Rescore scores every stored response to code (active or not) against the
// latest version of code, in one audited transaction: the points of the
// answers that changed, the totals, the results per aspect, area and part,
// and the version each response points at. It returns how many responses
// changed score; ENOTFOUND for an unknown code; EFORBIDDEN unless the caller
// manages questionnaires; and EINVALID, with nothing changed, when a stored
// answer does not fit the latest version (a removed item or option, or a new
// required item: Field "answers.<item>", Row the response id).
func (db *DB) Rescore(ctx context.Context, code string) (int, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return 0, err
	}
	if !a.CanManageQuestionnaires() {
		return 0, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	changed := 0
	err = db.write(ctx, func(tx *Tx) error {
		v, q, err := findQuestionnaire(ctx, tx, `code = $1 ORDER BY version DESC LIMIT 1`, code)
		if err != nil {
			return err
		}
		updates, total, err := tx.rescoreRead(ctx, q, code)
		if err != nil {
			return err
		}
		for i := range updates {
			if err := tx.rescoreWrite(ctx, &updates[i]); err != nil {
				return err
			}
		}
		changed = len(updates)
		if _, err := tx.ExecContext(ctx, `UPDATE questionnaire_responses SET version = $1 WHERE questionnaire = $2 AND version <> $1`, v.Version, code); err != nil {
			return fmt.Errorf("rescore versions: %w", err)
		}
		return tx.audit(ctx, "rescore", "questionnaire", v.ID, "", nil,
			map[string]any{"code": code, "version": v.Version, "responses": total, "changed": changed})
	})
	return changed, err
}

// rescoreRead reads every response of code with its answers, in id order,
// scores each against q and returns the ones whose score moved and the
// number read. Nothing is written while the rows are open: PostgreSQL runs
// one statement at a time on a connection.
func (tx *Tx) rescoreRead(ctx context.Context, q *questionnaire.Questionnaire, code string) ([]rescoreUpdate, int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.points, r.max_points, r.passed, r.knowledge_passed, r.behaviour_passed,
		COALESCE(a.item, ''), COALESCE(a.labels, ''), COALESCE(a.points, 0)
		FROM questionnaire_responses r LEFT JOIN questionnaire_answers a ON a.response_id = r.id
		WHERE r.questionnaire = $1 ORDER BY r.id`, code)
	if err != nil {
		return nil, 0, fmt.Errorf("read responses of %s: %w", code, err)
	}
	var updates []rescoreUpdate
	var fe []healthcell.FieldError
	var cur *storedResponse
	total := 0
	finish := func() {
		if cur == nil {
			return
		}
		total++
		if err := q.Check(cur.answers); err != nil {
			for _, f := range healthcell.ErrorFields(err) {
				if len(fe) < 20 {
					fe = append(fe, healthcell.FieldError{Field: "answers." + f.Field, Message: f.Message, Value: f.Value, Row: int(cur.id)})
				}
			}
			return
		}
		u := rescoreUpdate{r: healthcell.Response{ID: cur.id, Answers: cur.answers}, items: map[string]int{}}
		q.Apply(&u.r, q.Score(cur.answers))
		for _, it := range u.r.Items {
			if old, ok := cur.itemPoints[it.Item]; ok && old != it.Points {
				u.items[it.Item] = it.Points
			}
		}
		if len(u.items) > 0 || u.r.Points != cur.points || u.r.MaxPoints != cur.max || u.r.Passed != cur.passed ||
			!sameBool(u.r.KnowledgePassed, cur.kp) || !sameBool(u.r.BehaviourPassed, cur.bp) {
			u.r.Answers, u.r.Items = nil, nil
			updates = append(updates, u)
		}
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var id int64
		var points, max, itemPoints int
		var passed bool
		var kp, bp sql.NullBool
		var item, labels string
		if err := rows.Scan(&id, &points, &max, &passed, &kp, &bp, &item, &labels, &itemPoints); err != nil {
			return err
		}
		if cur == nil || cur.id != id {
			finish()
			cur = &storedResponse{id: id, points: points, max: max, passed: passed, kp: boolPtr(kp), bp: boolPtr(bp),
				answers: map[string][]string{}, itemPoints: map[string]int{}}
		}
		if item != "" {
			cur.answers[item] = splitLabels(labels)
			cur.itemPoints[item] = itemPoints
		}
		return nil
	}); err != nil {
		return nil, 0, err
	}
	finish()
	if err := healthcell.Invalid(fe); err != nil {
		return nil, 0, err
	}
	return updates, total, nil
}

// rescoreWrite stores the new score of one response.
func (tx *Tx) rescoreWrite(ctx context.Context, u *rescoreUpdate) error {
	r := &u.r
	if _, err := tx.ExecContext(ctx, `UPDATE questionnaire_responses SET points = $1, max_points = $2, passed = $3,
		knowledge_passed = $4, behaviour_passed = $5 WHERE id = $6`,
		r.Points, r.MaxPoints, r.Passed, nullBool(r.KnowledgePassed), nullBool(r.BehaviourPassed), r.ID); err != nil {
		return fmt.Errorf("rescore response %d: %w", r.ID, err)
	}
	for item, pts := range u.items {
		if _, err := tx.ExecContext(ctx, `UPDATE questionnaire_answers SET points = $1 WHERE response_id = $2 AND item = $3`, pts, r.ID, item); err != nil {
			return fmt.Errorf("rescore answer %d/%s: %w", r.ID, item, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM questionnaire_response_groups WHERE response_id = $1`, r.ID); err != nil {
		return fmt.Errorf("rescore groups %d: %w", r.ID, err)
	}
	for _, g := range r.Groups {
		if _, err := tx.ExecContext(ctx, `INSERT INTO questionnaire_response_groups (response_id, kind, code, points, max_points, passed)
			VALUES ($1, $2, $3, $4, $5, $6)`, r.ID, g.Kind, g.Code, g.Points, g.Max, g.Passed); err != nil {
			return fmt.Errorf("rescore group %d/%s: %w", r.ID, g.Code, err)
		}
	}
	return nil
}

func sameBool(a, b *bool) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func boolPtr(b sql.NullBool) *bool {
	if !b.Valid {
		return nil
	}
	return &b.Bool
}
