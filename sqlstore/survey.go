package sqlstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
)

// The public quiz and the surveys the county writes (issue 15). A survey is
// a questionnaire with a row in surveys saying how it is published; public
// answers are questionnaire_responses with channel 'public', scored like
// entered ones, so the indicators count them with the same SQL.

// publicActor writes the public's answers: no user, no scope.
var publicActor = &healthcell.Actor{Username: "public"}

const surveyColumns = `s.code, COALESCE((SELECT q.name FROM questionnaires q WHERE q.code = s.code ORDER BY q.version DESC LIMIT 1), s.code),
	s.kind, s.channel, s.closed, s.updated_by, s.updated_at`

func scanSurvey(row interface{ Scan(...any) error }) (*healthcell.Survey, error) {
	s := &healthcell.Survey{}
	err := row.Scan(&s.Code, &s.Name, &s.Kind, &s.Channel, &s.Closed, &s.UpdatedBy, &s.UpdatedAt)
	return s, err
}

// SaveSurvey writes how a questionnaire is published, audited. It returns
// EFORBIDDEN unless the caller manages questionnaires, EINVALID for a bad
// kind or channel, ENOTFOUND for a questionnaire never loaded.
func (db *DB) SaveSurvey(ctx context.Context, s *healthcell.Survey) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if !a.CanManageQuestionnaires() {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	if err := s.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM questionnaires WHERE code = $1`, s.Code).Scan(&n); err != nil {
			return fmt.Errorf("find questionnaire: %w", err)
		}
		if n == 0 {
			return notFound("questionnaire")
		}
		before, err := scanSurvey(tx.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys s WHERE s.code = $1`, s.Code))
		if errors.Is(err, sql.ErrNoRows) {
			before = nil
		} else if err != nil {
			return fmt.Errorf("find survey: %w", err)
		}
		s.UpdatedBy, s.UpdatedAt = tx.actor.Username, tx.now
		if before == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO surveys (code, kind, channel, closed, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				s.Code, s.Kind, s.Channel, s.Closed, s.UpdatedBy, s.UpdatedAt)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE surveys SET kind = $2, channel = $3, closed = $4, updated_by = $5, updated_at = $6 WHERE code = $1`,
				s.Code, s.Kind, s.Channel, s.Closed, s.UpdatedBy, s.UpdatedAt)
		}
		if err != nil {
			return fmt.Errorf("save survey: %w", err)
		}
		var b any
		if before != nil {
			b = map[string]any{"kind": before.Kind, "channel": before.Channel, "closed": before.Closed}
		}
		return tx.audit(ctx, "publish", "survey", s.Code, "", b, map[string]any{"kind": s.Kind, "channel": s.Channel, "closed": s.Closed})
	})
}

// FindSurvey returns how code is published, with its questionnaire's name;
// ENOTFOUND when it is not published. No login is needed: public pages ask.
func (db *DB) FindSurvey(ctx context.Context, code string) (*healthcell.Survey, error) {
	s, err := scanSurvey(db.r.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM surveys s WHERE s.code = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("survey")
	}
	if err != nil {
		return nil, fmt.Errorf("find survey: %w", err)
	}
	return s, nil
}

// FindSurveys lists every published questionnaire by code.
func (db *DB) FindSurveys(ctx context.Context) ([]*healthcell.Survey, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+surveyColumns+` FROM surveys s ORDER BY s.code`)
	if err != nil {
		return nil, fmt.Errorf("find surveys: %w", err)
	}
	var out []*healthcell.Survey
	err = eachRow(rows, func(rows *sql.Rows) error {
		s, err := scanSurvey(rows)
		if err == nil {
			out = append(out, s)
		}
		return err
	})
	return out, err
}

// latestQuestionnaire returns the latest version number of code and its
// parsed definition, without the response counts findQuestionnaire adds (the
// public pages ask on every view); ENOTFOUND when there is none.
func latestQuestionnaire(ctx context.Context, q queryer, code string) (int, *questionnaire.Questionnaire, error) {
	var version int
	var body, digest string
	// The body (tens of KB for the quiz bank) is read only when its digest
	// has not been parsed yet.
	err := q.QueryRowContext(ctx, `SELECT version, digest FROM questionnaires WHERE code = $1 ORDER BY version DESC LIMIT 1`, code).
		Scan(&version, &digest)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, notFound("questionnaire")
	}
	if err != nil {
		return 0, nil, fmt.Errorf("find questionnaire: %w", err)
	}
	if p, ok := parsedQuestionnaires.Load(digest); ok {
		return version, p.(*questionnaire.Questionnaire), nil
	}
	if err := q.QueryRowContext(ctx, `SELECT body FROM questionnaires WHERE code = $1 AND version = $2`, code, version).Scan(&body); err != nil {
		return 0, nil, fmt.Errorf("find questionnaire body: %w", err)
	}
	parsed, err := questionnaire.Parse(bytes.NewReader([]byte(body)))
	if err != nil {
		return 0, nil, fmt.Errorf("questionnaire %s version %d no longer parses: %w", code, version, err)
	}
	parsedQuestionnaires.Store(digest, parsed)
	return version, parsed, nil
}

// PublicQuestionnaire returns the latest definition of a survey open to the
// public, and its village's name; ENOTFOUND when the survey is not open or
// the village is not a village.
func (db *DB) PublicQuestionnaire(ctx context.Context, code, village string) (*healthcell.Survey, *questionnaire.Questionnaire, string, error) {
	s, err := db.FindSurvey(ctx, code)
	if err != nil {
		return nil, nil, "", err
	}
	if !s.Public() {
		return s, nil, "", notFound("survey")
	}
	name, err := villageName(ctx, db.r, village)
	if err != nil {
		return nil, nil, "", err
	}
	_, q, err := latestQuestionnaire(ctx, db.r, code)
	return s, q, name, err
}

// villageName returns the name of a village; ENOTFOUND for any other code.
func villageName(ctx context.Context, q queryer, code string) (string, error) {
	var name string
	var level int
	err := q.QueryRowContext(ctx, `SELECT name, level FROM divisions WHERE code = $1`, code).Scan(&name, &level)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && level != healthcell.LevelVillage) {
		return "", notFound("division")
	}
	if err != nil {
		return "", fmt.Errorf("find village: %w", err)
	}
	return name, nil
}

// submissionDigest is what makes two submissions the same: the client, the
// survey, the village and the answers.
func submissionDigest(sub *healthcell.PublicSubmission) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", sub.Client, sub.Questionnaire, sub.VillageCode)
	codes := make([]string, 0, len(sub.Answers))
	for c := range sub.Answers {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		l := append([]string(nil), sub.Answers[c]...)
		sort.Strings(l)
		fmt.Fprintf(h, "%s=%s\x00", c, strings.Join(l, ","))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CreatePublicResponse checks, scores and stores a resident's answers to a
// survey open to the public: the quiz's drawn items (sub.Items) or every item
// of a survey. It returns the token of the result page; when the same client
// sent the same answers within healthcell.DuplicateWindow nothing is stored
// and the earlier token comes back with dup true. ENOTFOUND for a survey not
// open to the public or a code that is not a village; EINVALID (answers.<item>,
// items, name, phone) with nothing stored for bad input.
func (db *DB) CreatePublicResponse(ctx context.Context, sub *healthcell.PublicSubmission) (string, bool, error) {
	s, err := db.FindSurvey(ctx, sub.Questionnaire)
	if err != nil {
		return "", false, err
	}
	if !s.Public() {
		return "", false, notFound("survey")
	}
	var fe []healthcell.FieldError
	sub.Name, sub.Phone = strings.TrimSpace(sub.Name), strings.TrimSpace(sub.Phone)
	if n := len([]rune(sub.Name)); n > healthcell.MaxNameLen {
		fe = append(fe, healthcell.FieldError{Field: "name", Message: "person.name.too_long"})
	} else if key := healthcell.CheckText(sub.Name); sub.Name != "" && key != "" {
		fe = append(fe, healthcell.FieldError{Field: "name", Message: key})
	}
	if sub.Phone != "" && !healthcell.PhoneValid(sub.Phone) {
		fe = append(fe, healthcell.FieldError{Field: "phone", Message: "person.phone.invalid", Value: sub.Phone})
	}
	digest := submissionDigest(sub)
	var token string
	dup := false
	ctx = healthcell.WithActor(ctx, publicActor)
	err = db.write(ctx, func(tx *Tx) error {
		if _, err := villageName(ctx, tx, sub.VillageCode); err != nil {
			return err
		}
		version, q, err := latestQuestionnaire(ctx, tx, sub.Questionnaire)
		if err != nil {
			return err
		}
		if sub.Items != nil {
			sq, ok := q.Subset(sub.Items)
			if !ok || len(sq.Items) == 0 {
				fe = append(fe, healthcell.FieldError{Field: "items", Message: "survey.items.invalid"})
			}
			q = sq
		}
		if err := q.Check(sub.Answers); err != nil {
			for _, f := range healthcell.ErrorFields(err) {
				f.Field = "answers." + f.Field
				fe = append(fe, f)
			}
		}
		if err := healthcell.Invalid(fe); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT token FROM questionnaire_responses WHERE digest = $1 AND created_at > $2 ORDER BY id DESC LIMIT 1`,
			digest, tx.now.Add(-healthcell.DuplicateWindow)).Scan(&token)
		if err == nil {
			dup = true
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("find duplicate: %w", err)
		}
		token, err = newResultToken()
		if err != nil {
			return err
		}
		yes := true
		r := &healthcell.Response{Questionnaire: sub.Questionnaire, Version: version, VillageCode: sub.VillageCode, Name: sub.Name,
			SurveyDate: healthcell.CampaignDay(tx.now), Answers: sub.Answers, Resident: &yes}
		q.Apply(r, q.Score(sub.Answers))
		err = tx.QueryRowContext(ctx, `INSERT INTO questionnaire_responses (questionnaire, version, village_code, respondent_name, sex, age,
			survey_date, points, max_points, passed, knowledge_passed, behaviour_passed, active, created_by, created_at, resident,
			channel, phone, token, digest)
			VALUES ($1, $2, $3, $4, '', 0, $5, $6, $7, $8, $9, $10, TRUE, 'public', $11, FALSE, 'public', $12, $13, $14) RETURNING id`,
			r.Questionnaire, r.Version, r.VillageCode, r.Name, r.SurveyDate, r.Points, r.MaxPoints, r.Passed,
			nullBool(r.KnowledgePassed), nullBool(r.BehaviourPassed), tx.now, sub.Phone, token, digest).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("insert public response: %w", err)
		}
		return tx.insertResponseDetail(ctx, r)
	})
	return token, dup, err
}

// newResultToken returns 16 random bytes in hex: a result page's address.
func newResultToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("result token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// FindPublicResult returns the public response behind token with its
// answers in the order they were asked (never its name or phone), and the
// village's name; ENOTFOUND when there is none.
func (db *DB) FindPublicResult(ctx context.Context, token string) (*healthcell.PublicResult, error) {
	if len(token) != 32 {
		return nil, notFound("response")
	}
	r, err := scanResponse(db.r.QueryRowContext(ctx, `SELECT `+responseColumns+` FROM questionnaire_responses WHERE token = $1 AND channel = 'public'`, token))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("response")
	}
	if err != nil {
		return nil, fmt.Errorf("find result: %w", err)
	}
	r.Name, r.Phone = "", ""
	rows, err := db.r.QueryContext(ctx, `SELECT item, labels, points FROM questionnaire_answers WHERE response_id = $1`, r.ID)
	if err != nil {
		return nil, fmt.Errorf("answers of %d: %w", r.ID, err)
	}
	r.Answers = map[string][]string{}
	byItem := map[string]healthcell.ResponseItem{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var it healthcell.ResponseItem
		var labels string
		if err := rows.Scan(&it.Item, &labels, &it.Points); err != nil {
			return err
		}
		it.Labels = splitLabels(labels)
		r.Answers[it.Item] = it.Labels
		byItem[it.Item] = it
		return nil
	}); err != nil {
		return nil, err
	}
	_, q, err := findQuestionnaire(ctx, db.r, `code = $1 AND version = $2`, r.Questionnaire, r.Version)
	if err != nil {
		return nil, err
	}
	res := &healthcell.PublicResult{Response: r}
	for _, it := range q.Items { // questionnaire order; a quiz's items were drawn from it
		if s, ok := byItem[it.Code]; ok {
			s.Max = it.Points
			r.Items = append(r.Items, s)
			res.Items = append(res.Items, it.Code)
		}
	}
	r.PassPoints = int(math.Ceil(q.PassRate*float64(r.MaxPoints) - 1e-9))
	if name, err := villageName(ctx, db.r, r.VillageCode); err == nil {
		res.VillageName = name
	}
	return res, nil
}

// SurveyResults returns code's active responses per village under division
// (the caller's scope when empty): respondents, of them public, passed, and
// per item the answers that scored. ENOTFOUND outside the caller's scope.
func (db *DB) SurveyResults(ctx context.Context, code, division string) ([]healthcell.SurveyVillage, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	lo, hi, err := scopeRange(a, division, a.CoversDivision)
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT r.village_code, d.name, COUNT(*),
		SUM(CASE WHEN r.channel = 'public' THEN 1 ELSE 0 END), SUM(CASE WHEN r.passed THEN 1 ELSE 0 END)
		FROM questionnaire_responses r JOIN divisions d ON d.code = r.village_code
		WHERE r.questionnaire = $1 AND r.village_code BETWEEN $2 AND $3 AND r.active
		GROUP BY r.village_code, d.name ORDER BY r.village_code`, code, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("survey results: %w", err)
	}
	var out []healthcell.SurveyVillage
	idx := map[string]int{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var v healthcell.SurveyVillage
		if err := rows.Scan(&v.Village, &v.Name, &v.Respondents, &v.Public, &v.Passed); err != nil {
			return err
		}
		v.Items = map[string]int{}
		idx[v.Village] = len(out)
		out = append(out, v)
		return nil
	}); err != nil {
		return nil, err
	}
	irows, err := db.r.QueryContext(ctx, `SELECT r.village_code, a.item, COUNT(*)
		FROM questionnaire_answers a JOIN questionnaire_responses r ON r.id = a.response_id
		WHERE r.questionnaire = $1 AND r.village_code BETWEEN $2 AND $3 AND r.active AND a.points > 0
		GROUP BY r.village_code, a.item`, code, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("survey item results: %w", err)
	}
	err = eachRow(irows, func(rows *sql.Rows) error {
		var village, item string
		var n int
		if err := rows.Scan(&village, &item, &n); err != nil {
			return err
		}
		if i, ok := idx[village]; ok {
			out[i].Items[item] = n
		}
		return nil
	})
	return out, err
}
