package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
)

// parsedQuestionnaires caches parsed versions by digest: a stored version
// never changes, and forms, scoring and re-scoring read the same ones.
var parsedQuestionnaires sync.Map // digest → *questionnaire.Questionnaire

// questionnaireDigest is the SHA-256 of the parsed questionnaire as JSON, so
// that a change of layout or comments in the file is not a new version.
func questionnaireDigest(q *questionnaire.Questionnaire) (string, error) {
	b, err := json.Marshal(q)
	if err != nil {
		return "", fmt.Errorf("encode questionnaire: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// LoadQuestionnaire parses src and stores it as the next version of its code
// in one audited transaction, unless it equals the latest version (then
// nothing is stored and created is false). It returns EINVALID with the
// lines at fault for a bad file and EFORBIDDEN unless the caller is a county
// administrator or the system.
func (db *DB) LoadQuestionnaire(ctx context.Context, src []byte) (*healthcell.QuestionnaireVersion, bool, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, false, err
	}
	if !a.CanManageQuestionnaires() {
		return nil, false, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	q, err := questionnaire.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, false, err
	}
	digest, err := questionnaireDigest(q)
	if err != nil {
		return nil, false, err
	}
	var v *healthcell.QuestionnaireVersion
	created := false
	err = db.write(ctx, func(tx *Tx) error {
		var latest int
		var latestDigest string
		err := tx.QueryRowContext(ctx, `SELECT version, digest FROM questionnaires WHERE code = $1 ORDER BY version DESC LIMIT 1`, q.Code).
			Scan(&latest, &latestDigest)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("latest version of %s: %w", q.Code, err)
		}
		if latestDigest != digest {
			created = true
			_, err = tx.ExecContext(ctx, `INSERT INTO questionnaires (code, version, label, name, items, max_points, body, digest, created_by, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
				q.Code, latest+1, q.Version, q.Name, len(q.Items), q.MaxPoints(), string(src), digest, tx.actor.Username, tx.now)
			if err != nil {
				return fmt.Errorf("insert questionnaire %s: %w", q.Code, err)
			}
			parsedQuestionnaires.Store(digest, q)
			latest++
		}
		v, _, err = findQuestionnaire(ctx, tx, `code = $1 AND version = $2`, q.Code, latest)
		if err != nil || !created {
			return err
		}
		return tx.audit(ctx, "create", "questionnaire", v.ID, "", nil,
			map[string]any{"code": v.Code, "version": v.Version, "label": v.Label, "name": v.Name, "items": v.Items, "max_points": v.MaxPoints})
	})
	if err != nil {
		return nil, false, err
	}
	return v, created, nil
}

// findQuestionnaire returns one stored version and its parsed definition,
// with the count of responses of its code; ENOTFOUND when there is none.
func findQuestionnaire(ctx context.Context, q queryer, where string, args ...any) (*healthcell.QuestionnaireVersion, *questionnaire.Questionnaire, error) {
	v := &healthcell.QuestionnaireVersion{}
	var body, digest string
	err := q.QueryRowContext(ctx, `SELECT id, code, version, label, name, items, max_points, body, digest, created_by, created_at,
		(SELECT COUNT(*) FROM questionnaire_responses r WHERE r.questionnaire = questionnaires.code AND r.active),
		(SELECT COUNT(*) FROM questionnaire_responses r WHERE r.questionnaire = questionnaires.code AND r.active AND r.version <> questionnaires.version)
		FROM questionnaires WHERE `+where, args...).
		Scan(&v.ID, &v.Code, &v.Version, &v.Label, &v.Name, &v.Items, &v.MaxPoints, &body, &digest, &v.CreatedBy, &v.CreatedAt, &v.Responses, &v.Stale)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("questionnaire")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find questionnaire: %w", err)
	}
	if p, ok := parsedQuestionnaires.Load(digest); ok {
		return v, p.(*questionnaire.Questionnaire), nil
	}
	parsed, err := questionnaire.Parse(bytes.NewReader([]byte(body)))
	if err != nil {
		return nil, nil, fmt.Errorf("questionnaire %s version %d no longer parses: %w", v.Code, v.Version, err)
	}
	parsedQuestionnaires.Store(digest, parsed)
	return v, parsed, nil
}

// FindQuestionnaire returns the latest version of code with its definition;
// ENOTFOUND when there is none. Questionnaires are readable by every
// logged-in user.
func (db *DB) FindQuestionnaire(ctx context.Context, code string) (*healthcell.QuestionnaireVersion, *questionnaire.Questionnaire, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, nil, err
	}
	return findQuestionnaire(ctx, db.r, `code = $1 ORDER BY version DESC LIMIT 1`, code)
}

// FindQuestionnaires lists the latest version of every questionnaire by code,
// with the number of stored responses of each.
func (db *DB) FindQuestionnaires(ctx context.Context) ([]*healthcell.QuestionnaireVersion, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT q.id, q.code, q.version, q.label, q.name, q.items, q.max_points, q.created_by, q.created_at,
		(SELECT COUNT(*) FROM questionnaire_responses r WHERE r.questionnaire = q.code AND r.active),
		(SELECT COUNT(*) FROM questionnaire_responses r WHERE r.questionnaire = q.code AND r.active AND r.version <> q.version)
		FROM questionnaires q WHERE q.version = (SELECT MAX(version) FROM questionnaires m WHERE m.code = q.code)
		ORDER BY q.code`)
	if err != nil {
		return nil, fmt.Errorf("find questionnaires: %w", err)
	}
	var out []*healthcell.QuestionnaireVersion
	if err := eachRow(rows, func(rows *sql.Rows) error {
		v := &healthcell.QuestionnaireVersion{}
		if err := rows.Scan(&v.ID, &v.Code, &v.Version, &v.Label, &v.Name, &v.Items, &v.MaxPoints, &v.CreatedBy, &v.CreatedAt, &v.Responses, &v.Stale); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
