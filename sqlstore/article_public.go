package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
)

// The public side of articles and villages (issue 15): no login, no actor,
// nothing personal.

// publicArticleWhere selects the articles of county $1 public at $2.
const publicArticleWhere = ` WHERE county = $1 AND publish_at IS NOT NULL AND publish_at <= $2 AND (withdraw_at IS NULL OR withdraw_at > $2)`

// PublicArticles lists the articles of a county public at t, newest first,
// without their bodies. It returns an empty list for a code that is not a
// county.
func (db *DB) PublicArticles(ctx context.Context, county string, t time.Time) ([]*healthcell.Article, error) {
	if r := db.onReplica(ctx); r != db {
		return r.PublicArticles(ctx, county, t)
	}
	rows, err := db.r.QueryContext(ctx, `SELECT id, county, category, title, summary, '', publish_at, withdraw_at, version, '', updated_at, created_at
		FROM articles`+publicArticleWhere+` ORDER BY publish_at DESC, id DESC`, county, t.UTC())
	if err != nil {
		return nil, fmt.Errorf("public articles: %w", err)
	}
	var out []*healthcell.Article
	err = eachRow(rows, func(rows *sql.Rows) error {
		a, err := scanArticle(rows)
		if err == nil {
			out = append(out, a)
		}
		return err
	})
	return out, err
}

// PublicArticle returns article id of county when it is public at t;
// ENOTFOUND otherwise (a draft, scheduled or withdrawn article, or one of
// another county).
func (db *DB) PublicArticle(ctx context.Context, county string, id int64, t time.Time) (*healthcell.Article, error) {
	if r := db.onReplica(ctx); r != db {
		return r.PublicArticle(ctx, county, id, t)
	}
	a, err := scanArticle(db.r.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles`+publicArticleWhere+` AND id = $3`, county, t.UTC(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("article")
	}
	if err != nil {
		return nil, fmt.Errorf("public article %d: %w", id, err)
	}
	a.UpdatedBy = ""
	return a, nil
}

// PublicArticleImage returns picture id (JPEG bytes and type) when its
// article belongs to county and is public at t; ENOTFOUND otherwise.
func (db *DB) PublicArticleImage(ctx context.Context, county string, id int64, t time.Time) ([]byte, string, error) {
	var data []byte
	var mime string
	err := db.r.QueryRowContext(ctx, `SELECT b.data, b.mime FROM article_images i JOIN evidence_blobs b ON b.sha256 = i.sha256
		JOIN articles a ON a.id = i.article_id
		WHERE i.id = $3 AND a.county = $1 AND a.publish_at IS NOT NULL AND a.publish_at <= $2 AND (a.withdraw_at IS NULL OR a.withdraw_at > $2)`,
		county, t.UTC(), id).Scan(&data, &mime)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", notFound("image")
	}
	if err != nil {
		return nil, "", fmt.Errorf("public image %d: %w", id, err)
	}
	return data, mime, nil
}

// PublicDivision returns the county or village code names; ENOTFOUND for
// any other code or an unknown one.
func (db *DB) PublicDivision(ctx context.Context, code string) (*healthcell.Division, error) {
	if r := db.onReplica(ctx); r != db {
		return r.PublicDivision(ctx, code)
	}
	code = healthcell.NormalizeCode(code)
	if l := healthcell.CodeLevel(code); l != healthcell.LevelCounty && l != healthcell.LevelVillage {
		return nil, notFound("division")
	}
	d := &healthcell.Division{}
	err := db.r.QueryRowContext(ctx, `SELECT code, name, level, parent FROM divisions WHERE code = $1`, code).Scan(&d.Code, &d.Name, &d.Level, &d.Parent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("division")
	}
	if err != nil {
		return nil, fmt.Errorf("division %s: %w", code, err)
	}
	return d, nil
}

// publicActivityKinds are the activities residents may come to (讲座,
// 义诊, 宣传日); meetings, clean-ups and the like are not announced.
var publicActivityKinds = []string{"lecture", "consultation", "publicity_day"}

// publicActivityLimit caps the upcoming and the recent activities a
// village page lists; publicRecentDays is how far back recent goes.
const (
	publicActivityLimit = 10
	publicRecentDays    = 60
)

// PublicVillage returns what the public page of a village shows besides
// the articles: its names up to the county, the titles its units hold,
// its upcoming activities from day on, and its clinic (or the township's
// health centre). ENOTFOUND when code is not a known village.
func (db *DB) PublicVillage(ctx context.Context, code, day string) (*healthcell.PublicVillage, error) {
	if r := db.onReplica(ctx); r != db {
		return r.PublicVillage(ctx, code, day)
	}
	code = healthcell.NormalizeCode(code)
	if healthcell.CodeLevel(code) != healthcell.LevelVillage {
		return nil, notFound("division")
	}
	township := healthcell.ParentCode(code)
	county := healthcell.CountyOf(code)
	v := &healthcell.PublicVillage{Titles: []healthcell.PublicTitle{}, Upcoming: []healthcell.PublicActivity{}, Recent: []healthcell.PublicActivity{}}
	rows, err := db.r.QueryContext(ctx, `SELECT code, name, level, parent FROM divisions WHERE code IN ($1, $2, $3)`, code, township, county)
	if err != nil {
		return nil, fmt.Errorf("public village %s: %w", code, err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var d healthcell.Division
		if err := rows.Scan(&d.Code, &d.Name, &d.Level, &d.Parent); err != nil {
			return err
		}
		switch d.Code {
		case code:
			v.Village = d
		case township:
			v.Township = d
		case county:
			v.County = d
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if v.Village.Code == "" {
		return nil, notFound("division")
	}
	lo, hi := healthcell.CodeRange(code)
	rows, err = db.r.QueryContext(ctx, `SELECT a.unit_kind, a.unit_name, t.cell_type, a.named_on FROM applications a JOIN standards t ON t.id = a.standard_id
		WHERE a.division BETWEEN $1 AND $2 AND a.state IN ('named', 'review_due') ORDER BY a.named_on DESC, a.id`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("public titles %s: %w", code, err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var kind string
		var t healthcell.PublicTitle
		if err := rows.Scan(&kind, &t.UnitName, &t.CellType, &t.NamedOn); err != nil {
			return err
		}
		if kind == "household" {
			t.UnitName = publicHouseholdName(t.UnitName)
		}
		v.Titles = append(v.Titles, t)
		return nil
	}); err != nil {
		return nil, err
	}
	kinds := "'" + strings.Join(publicActivityKinds, "', '") + "'"
	since := day
	if d, err := time.Parse("2006-01-02", day); err == nil {
		since = d.AddDate(0, 0, -publicRecentDays).Format("2006-01-02")
	}
	rows, err = db.r.QueryContext(ctx, `SELECT kind, activity_date, place, topic FROM reg_activities
		WHERE village_code = $1 AND activity_date >= $2 AND active AND kind IN (`+kinds+`) ORDER BY activity_date DESC, id DESC`, code, since)
	if err != nil {
		return nil, fmt.Errorf("public activities %s: %w", code, err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var a healthcell.PublicActivity
		if err := rows.Scan(&a.Kind, &a.Date, &a.Place, &a.Topic); err != nil {
			return err
		}
		if a.Date >= day {
			v.Upcoming = append(v.Upcoming, a)
		} else if len(v.Recent) < publicActivityLimit {
			v.Recent = append(v.Recent, a)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	slices.Reverse(v.Upcoming) // soonest first
	if len(v.Upcoming) > publicActivityLimit {
		v.Upcoming = v.Upcoming[:publicActivityLimit]
	}
	// The village's own clinic first, then the township's health centre.
	err = db.r.QueryRowContext(ctx, `SELECT name FROM units WHERE kind = 'hospital' AND division IN ($1, $2)
		ORDER BY CASE WHEN division = $1 THEN 0 ELSE 1 END, id LIMIT 1`, code, township).Scan(&v.Clinic)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("public clinic %s: %w", code, err)
	}
	return v, nil
}
