package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
)

const responseColumns = `id, questionnaire, version, village_code, COALESCE(unit_id, 0), COALESCE(person_id, 0), respondent_name, sex, age,
	survey_date, points, max_points, passed, knowledge_passed, behaviour_passed, active, created_by, created_at, resident, channel, phone`

func scanResponse(row interface{ Scan(...any) error }) (*healthcell.Response, error) {
	r := &healthcell.Response{}
	var kp, bp sql.NullBool
	var resident bool
	err := row.Scan(&r.ID, &r.Questionnaire, &r.Version, &r.VillageCode, &r.UnitID, &r.PersonID, &r.Name, &r.Sex, &r.Age,
		&r.SurveyDate, &r.Points, &r.MaxPoints, &r.Passed, &kp, &bp, &r.Active, &r.CreatedBy, &r.CreatedAt, &resident, &r.Channel, &r.Phone)
	r.Resident = &resident
	if kp.Valid {
		r.KnowledgePassed = &kp.Bool
	}
	if bp.Valid {
		r.BehaviourPassed = &bp.Bool
	}
	return r, err
}

// maskResponse hides a public respondent's phone from those who do not see
// personal data in its village.
func maskResponse(a *healthcell.Actor, r *healthcell.Response) {
	if r.Phone != "" && !a.SeesPersonal(r.VillageCode) {
		r.Phone = healthcell.MaskPhone(r.Phone)
	}
}

// nullBool is a *bool as a nullable column value.
func nullBool(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// joinLabels is the stored form of an answer's labels.
func joinLabels(labels []string) string { return strings.Join(labels, ",") }

func splitLabels(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// CreateResponse checks, scores and stores r against the latest version of
// r.Questionnaire, with every answer and the result per aspect, area and
// part, in one audited transaction. The respondent is r.PersonID (a resident
// the caller may write; name, sex, village and age at the survey date come
// from the person) or typed in (name, sex, age and a village the caller may
// write). It returns ENOTFOUND for an unknown questionnaire and EINVALID,
// with nothing stored, for bad respondent fields, a person or village
// outside the caller's scope ("person", "village", "unit"), or answers that
// do not fit the questionnaire (Field "answers.<item code>", Message the
// questionnaire package's key).
func (db *DB) CreateResponse(ctx context.Context, r *healthcell.Response) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		v, q, err := findQuestionnaire(ctx, tx, `code = $1 ORDER BY version DESC LIMIT 1`, r.Questionnaire)
		if err != nil {
			return err
		}
		var fe []healthcell.FieldError
		if err := r.ValidateSurveyDate(tx.now); err != nil {
			fe = append(fe, healthcell.ErrorFields(err)...)
		}
		fe = append(fe, tx.respondent(ctx, a, r)...)
		if err := q.Check(r.Answers); err != nil {
			for _, f := range healthcell.ErrorFields(err) {
				f.Field = "answers." + f.Field
				fe = append(fe, f)
			}
		}
		if err := healthcell.Invalid(fe); err != nil {
			return err
		}
		r.Version, r.Active, r.CreatedBy, r.CreatedAt = v.Version, true, tx.actor.Username, tx.now
		q.Apply(r, q.Score(r.Answers))
		err = tx.QueryRowContext(ctx, `INSERT INTO questionnaire_responses (questionnaire, version, village_code, unit_id, person_id,
			respondent_name, sex, age, survey_date, points, max_points, passed, knowledge_passed, behaviour_passed, active, created_by, created_at, resident)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, TRUE, $15, $16, $17) RETURNING id`,
			r.Questionnaire, r.Version, r.VillageCode, nullID(r.UnitID), nullID(r.PersonID), r.Name, r.Sex, r.Age, r.SurveyDate,
			r.Points, r.MaxPoints, r.Passed, nullBool(r.KnowledgePassed), nullBool(r.BehaviourPassed), r.CreatedBy, r.CreatedAt, *r.Resident).Scan(&r.ID)
		if err != nil {
			return fmt.Errorf("insert response: %w", err)
		}
		if err := tx.insertResponseDetail(ctx, r); err != nil {
			return err
		}
		tx.keepAnswer(r)
		return tx.audit(ctx, "create", "questionnaire_response", r.ID, r.VillageCode, nil, map[string]any{
			"questionnaire": r.Questionnaire, "version": r.Version, "person": r.PersonID, "name": r.Name, "sex": r.Sex, "age": r.Age,
			"survey_date": r.SurveyDate, "answers": r.Answers, "points": r.Points, "max_points": r.MaxPoints, "passed": r.Passed})
	})
}

// respondent resolves and checks the respondent of r inside tx, returning the
// field errors: a person or village outside the caller's scope is reported
// exactly like a missing one.
func (tx *Tx) respondent(ctx context.Context, a *healthcell.Actor, r *healthcell.Response) []healthcell.FieldError {
	var fe []healthcell.FieldError
	if r.PersonID != 0 {
		p, err := findPerson(ctx, tx, r.PersonID)
		if err != nil || !a.CanEnterResponses(p.VillageCode) || p.Status != healthcell.StatusActive {
			return append(fe, healthcell.FieldError{Field: "person", Message: "response.person.not_found", Value: fmt.Sprint(r.PersonID)})
		}
		r.Name, r.Sex, r.VillageCode = p.Name, p.Sex, p.VillageCode
		r.Resident = &p.Resident
		if r.SurveyDate != "" {
			if t, err := time.Parse(time.DateOnly, r.SurveyDate); err == nil {
				r.Age = p.Age(t)
			}
		}
	} else {
		if err := r.ValidateRespondent(tx.now); err != nil {
			fe = append(fe, healthcell.ErrorFields(err)...)
		}
		r.VillageCode = healthcell.NormalizeCode(r.VillageCode)
		if r.Resident == nil {
			yes := true
			r.Resident = &yes
		}
		var level int
		err := tx.QueryRowContext(ctx, `SELECT level FROM divisions WHERE code = $1`, r.VillageCode).Scan(&level)
		if err != nil || level != healthcell.LevelVillage || !a.CanEnterResponses(r.VillageCode) {
			fe = append(fe, healthcell.FieldError{Field: "village", Message: "response.village.not_found", Value: r.VillageCode})
		}
	}
	if r.UnitID != 0 {
		u, err := findUnit(ctx, tx, r.UnitID)
		if err != nil || !a.CoversDivision(u.Division) {
			fe = append(fe, healthcell.FieldError{Field: "unit", Message: "response.unit.not_found", Value: fmt.Sprint(r.UnitID)})
		}
	}
	return fe
}

// insertResponseDetail stores r's answers and groups: one statement for
// each (a public quiz is a short transaction).
func (tx *Tx) insertResponseDetail(ctx context.Context, r *healthcell.Response) error {
	var b strings.Builder
	args := make([]any, 0, 4*len(r.Items))
	for _, it := range r.Items {
		if len(it.Labels) == 0 {
			continue // an optional item left blank
		}
		args = appendRow(&b, args, r.ID, it.Item, joinLabels(it.Labels), it.Points)
	}
	if len(args) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO questionnaire_answers (response_id, item, labels, points) VALUES `+b.String(), args...); err != nil {
			return fmt.Errorf("insert answers: %w", err)
		}
	}
	b.Reset()
	args = args[:0]
	for _, g := range r.Groups {
		args = appendRow(&b, args, r.ID, g.Kind, g.Code, g.Points, g.Max, g.Passed)
	}
	if len(args) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO questionnaire_response_groups (response_id, kind, code, points, max_points, passed) VALUES `+b.String(), args...); err != nil {
			return fmt.Errorf("insert groups: %w", err)
		}
	}
	return nil
}

// appendRow writes one "($n, ...)" row of a multi-row VALUES list into b for
// vals, numbering its placeholders after args, and returns args with vals.
func appendRow(b *strings.Builder, args []any, vals ...any) []any {
	if b.Len() > 0 {
		b.WriteString(", ")
	}
	b.WriteByte('(')
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		args = append(args, v)
		b.WriteString("$" + strconv.Itoa(len(args)))
	}
	b.WriteByte(')')
	return args
}

// FindResponses returns a page of the active responses to f.Questionnaire in
// f.Division (the caller's scope when empty), newest survey first, without
// answers. It returns ENOTFOUND for a division the caller may not read.
func (db *DB) FindResponses(ctx context.Context, f healthcell.ResponseFilter) ([]*healthcell.Response, int, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	lo, hi, err := scopeRange(a, f.Division, a.CanReadPersons)
	if err != nil {
		return nil, 0, err
	}
	w := ` WHERE questionnaire = $1 AND village_code BETWEEN $2 AND $3 AND active`
	args := []any{f.Questionnaire, lo, hi}
	var total int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM questionnaire_responses`+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count responses: %w", err)
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.r.QueryContext(ctx, `SELECT `+responseColumns+` FROM questionnaire_responses`+w+
		` ORDER BY survey_date DESC, id DESC LIMIT $4 OFFSET $5`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find responses: %w", err)
	}
	var out []*healthcell.Response
	if err := eachRow(rows, func(rows *sql.Rows) error {
		r, err := scanResponse(rows)
		if err != nil {
			return err
		}
		maskResponse(a, r)
		out = append(out, r)
		return nil
	}); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// FindResponse returns one response with its answers (Answers and Items, in
// questionnaire order) and groups; ENOTFOUND when it is missing or outside
// the caller's scope.
func (db *DB) FindResponse(ctx context.Context, id int64) (*healthcell.Response, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	r, err := scanResponse(db.r.QueryRowContext(ctx, `SELECT `+responseColumns+` FROM questionnaire_responses WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.CanReadPersons(r.VillageCode)) {
		return nil, notFound("response")
	}
	if err != nil {
		return nil, fmt.Errorf("find response %d: %w", id, err)
	}
	maskResponse(a, r)
	_, q, err := findQuestionnaire(ctx, db.r, `code = $1 AND version = $2`, r.Questionnaire, r.Version)
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT item, labels, points FROM questionnaire_answers WHERE response_id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("answers of %d: %w", id, err)
	}
	stored := map[string]healthcell.ResponseItem{}
	r.Answers = map[string][]string{}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var it healthcell.ResponseItem
		var labels string
		if err := rows.Scan(&it.Item, &labels, &it.Points); err != nil {
			return err
		}
		it.Labels = splitLabels(labels)
		stored[it.Item] = it
		r.Answers[it.Item] = it.Labels
		return nil
	}); err != nil {
		return nil, err
	}
	for _, qi := range q.Items {
		it := stored[qi.Code]
		it.Item, it.Max = qi.Code, qi.Points
		r.Items = append(r.Items, it)
	}
	r.PassPoints = q.PassPoints()
	grows, err := db.r.QueryContext(ctx, `SELECT kind, code, points, max_points, passed FROM questionnaire_response_groups WHERE response_id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("groups of %d: %w", id, err)
	}
	if err := eachRow(grows, func(grows *sql.Rows) error {
		var g healthcell.ResponseGroup
		if err := grows.Scan(&g.Kind, &g.Code, &g.Points, &g.Max, &g.Passed); err != nil {
			return err
		}
		r.Groups = append(r.Groups, g)
		return nil
	}); err != nil {
		return nil, err
	}
	sortGroups(r.Groups, q)
	return r, nil
}

// sortGroups orders groups as the questionnaire declares them: aspects,
// areas, parts.
func sortGroups(gs []healthcell.ResponseGroup, q *questionnaire.Questionnaire) {
	rank := map[string]int{}
	for _, g := range q.Aspects {
		rank[healthcell.GroupAspect+"/"+g.Name] = len(rank)
	}
	for _, g := range q.Areas {
		rank[healthcell.GroupArea+"/"+g.Name] = len(rank)
	}
	for _, p := range q.Parts {
		rank[healthcell.GroupPart+"/"+p.Code] = len(rank)
	}
	sort.SliceStable(gs, func(i, j int) bool { return rank[gs[i].Kind+"/"+gs[i].Code] < rank[gs[j].Kind+"/"+gs[j].Code] })
}

// SetResponseActive withdraws a response entered by mistake (active false),
// or restores it, in one audited transaction; a withdrawn response is kept
// but no longer listed or counted. It returns ENOTFOUND when the response is
// missing or outside the caller's scope, and EFORBIDDEN when the caller may
// read but not enter responses there.
func (db *DB) SetResponseActive(ctx context.Context, id int64, active bool) (*healthcell.Response, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	var out *healthcell.Response
	err = db.write(ctx, func(tx *Tx) error {
		r, err := scanResponse(tx.QueryRowContext(ctx, `SELECT `+responseColumns+` FROM questionnaire_responses WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.CanReadPersons(r.VillageCode)) {
			return notFound("response")
		}
		if err != nil {
			return fmt.Errorf("find response %d: %w", id, err)
		}
		if !a.CanEnterResponses(r.VillageCode) {
			return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
		}
		out = r
		if r.Active == active {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE questionnaire_responses SET active = $1 WHERE id = $2`, active, id); err != nil {
			return fmt.Errorf("set response %d active: %w", id, err)
		}
		out.Active = active
		action := "withdraw"
		if active {
			action = "restore"
		}
		return tx.audit(ctx, action, "questionnaire_response", id, r.VillageCode, map[string]bool{"active": !active}, map[string]bool{"active": active})
	})
	return out, err
}
