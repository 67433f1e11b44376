package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/thumb"
)

// articleImageSize is the longest side of an article's pictures as stored
// and served: wide enough for a phone, a few dozen KB as JPEG.
const articleImageSize = 800

const articleColumns = `id, county, category, title, summary, body, publish_at, withdraw_at, version, updated_by, updated_at, created_at`

func scanArticle(row interface{ Scan(...any) error }) (*healthcell.Article, error) {
	a := &healthcell.Article{}
	var pub, wd sql.NullTime
	if err := row.Scan(&a.ID, &a.County, &a.Category, &a.Title, &a.Summary, &a.Body, &pub, &wd, &a.Version, &a.UpdatedBy, &a.UpdatedAt, &a.CreatedAt); err != nil {
		return nil, err
	}
	if pub.Valid {
		t := pub.Time.UTC()
		a.PublishAt = &t
	}
	if wd.Valid {
		t := wd.Time.UTC()
		a.WithdrawAt = &t
	}
	return a, nil
}

// articleEditor returns EFORBIDDEN unless a is the county office of county
// (or the system).
func articleEditor(a *healthcell.Actor, county string) error {
	if a.System || a.Role == healthcell.RoleCountyAdmin && a.CoversDivision(county) {
		return nil
	}
	return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
}

// utcTime is t in UTC to the microsecond (what both engines keep), or NULL.
func utcTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

// SaveArticle creates (a.ID 0) or updates an article in one audited
// transaction and fills in its ID, version and times. It returns EINVALID
// with the fields at fault (nothing stored), EFORBIDDEN for anyone but the
// county office of the article's county, ENOTFOUND for an unknown article,
// and ECONFLICT for a stale version.
func (db *DB) SaveArticle(ctx context.Context, a *healthcell.Article) error {
	actor, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if err := a.Validate(db.defs.IsArticleCategory); err != nil {
		return err
	}
	if err := articleEditor(actor, a.County); err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		a.UpdatedBy, a.UpdatedAt = actor.Username, tx.now
		if a.ID == 0 {
			a.CreatedAt, a.Version = tx.now, 1
			if err := tx.QueryRowContext(ctx, `INSERT INTO articles (county, category, title, summary, body, publish_at, withdraw_at, version, created_by, updated_by, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8, $9, $9) RETURNING id`,
				a.County, a.Category, a.Title, a.Summary, a.Body, utcTime(a.PublishAt), utcTime(a.WithdrawAt), actor.Username, tx.now).Scan(&a.ID); err != nil {
				return fmt.Errorf("create article: %w", err)
			}
			return tx.audit(ctx, "create", "article", a.ID, a.County, nil, a)
		}
		old, err := scanArticle(tx.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE id = $1`, a.ID))
		if errors.Is(err, sql.ErrNoRows) || err == nil && old.County != a.County {
			return notFound("article")
		}
		if err != nil {
			return fmt.Errorf("find article %d: %w", a.ID, err)
		}
		if old.Version != a.Version {
			return healthcell.Errorf(healthcell.ECONFLICT, "article.changed")
		}
		a.CreatedAt = old.CreatedAt
		a.Version = old.Version + 1
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET category = $1, title = $2, summary = $3, body = $4, publish_at = $5, withdraw_at = $6,
			version = $7, updated_by = $8, updated_at = $9 WHERE id = $10`,
			a.Category, a.Title, a.Summary, a.Body, utcTime(a.PublishAt), utcTime(a.WithdrawAt), a.Version, actor.Username, tx.now, a.ID); err != nil {
			return fmt.Errorf("update article %d: %w", a.ID, err)
		}
		return tx.audit(ctx, "update", "article", a.ID, a.County, old, a)
	})
}

// WithdrawArticle takes an article off the public pages now, audited. It
// returns ENOTFOUND for an unknown article and EFORBIDDEN for anyone but
// its county office; withdrawing a withdrawn article changes nothing.
func (db *DB) WithdrawArticle(ctx context.Context, id int64) error {
	actor, err := actorOf(ctx)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		old, err := scanArticle(tx.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("article")
		}
		if err != nil {
			return fmt.Errorf("find article %d: %w", id, err)
		}
		if err := articleEditor(actor, old.County); err != nil {
			return err
		}
		if old.State(tx.now) == healthcell.ArticleWithdrawn {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET withdraw_at = $1, version = version + 1, updated_by = $2, updated_at = $1 WHERE id = $3`,
			tx.now, actor.Username, id); err != nil {
			return fmt.Errorf("withdraw article %d: %w", id, err)
		}
		return tx.audit(ctx, "withdraw", "article", id, old.County, map[string]any{"withdraw_at": old.WithdrawAt}, map[string]any{"withdraw_at": tx.now})
	})
}

// FindArticle returns an article for its editors: ENOTFOUND when it does
// not exist or a may not edit its county.
func (db *DB) FindArticle(ctx context.Context, id int64) (*healthcell.Article, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	a, err := scanArticle(db.r.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("article")
	}
	if err != nil {
		return nil, fmt.Errorf("find article %d: %w", id, err)
	}
	if articleEditor(actor, a.County) != nil {
		return nil, notFound("article")
	}
	return a, nil
}

// FindArticles lists the articles of county for its editors, newest
// first, bodies included; EFORBIDDEN for anyone else.
func (db *DB) FindArticles(ctx context.Context, county string) ([]*healthcell.Article, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := articleEditor(actor, county); err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE county = $1 ORDER BY updated_at DESC, id DESC`, county)
	if err != nil {
		return nil, fmt.Errorf("find articles: %w", err)
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

// articleImageTypes are the picture types an article accepts; each is
// stored re-encoded as a JPEG at most articleImageSize on its longest side.
var articleImageTypes = []string{"image/jpeg", "image/png", "image/gif"}

// AddArticleImage stores a picture for an article, resized (package thumb),
// audited. It returns EINVALID for an empty, too large or undecodable file
// or another type, ENOTFOUND for an unknown article, EFORBIDDEN for anyone
// but its county office.
func (db *DB) AddArticleImage(ctx context.Context, articleID int64, name string, data []byte) (*healthcell.ArticleImage, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	bad := func(msg string) error {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "image", Message: msg}})
	}
	switch {
	case len(data) == 0:
		return nil, bad("evidence.empty")
	case len(data) > healthcell.MaxEvidenceBytes:
		return nil, bad("evidence.too_large")
	}
	mime := http.DetectContentType(data)
	if i := strings.IndexByte(mime, ';'); i >= 0 {
		mime = mime[:i]
	}
	if !containsStr(articleImageTypes, mime) {
		return nil, bad("article.image.type")
	}
	small, err := thumb.Make(data, articleImageSize)
	if err != nil {
		return nil, bad("article.image.type")
	}
	a, err := db.FindArticle(ctx, articleID)
	if err != nil {
		return nil, err
	}
	img := &healthcell.ArticleImage{ArticleID: articleID, Name: cleanName(name), Size: len(small)}
	err = db.write(ctx, func(tx *Tx) error {
		b := newBlob(small, "image/jpeg")
		if err := tx.storeBlob(ctx, b); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO article_images (article_id, sha256, name, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			articleID, b.sha, img.Name, tx.actor.Username, tx.now).Scan(&img.ID); err != nil {
			return fmt.Errorf("store article image: %w", err)
		}
		return tx.audit(ctx, "create", "article_image", img.ID, a.County, nil, img)
	})
	if err != nil {
		return nil, err
	}
	img.URL = ArticleImageURL(a.County, img.ID)
	return img, nil
}

// ArticleImageURL is the public address of an article's picture.
func ArticleImageURL(county string, id int64) string {
	return fmt.Sprintf("/public/%s/images/%d", county, id)
}

// FindArticleImages lists an article's pictures for its editors, oldest
// first; ENOTFOUND as FindArticle.
func (db *DB) FindArticleImages(ctx context.Context, articleID int64) ([]*healthcell.ArticleImage, error) {
	a, err := db.FindArticle(ctx, articleID)
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT i.id, i.name, b.size FROM article_images i JOIN evidence_blobs b ON b.sha256 = i.sha256
		WHERE i.article_id = $1 ORDER BY i.id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("article images: %w", err)
	}
	var out []*healthcell.ArticleImage
	err = eachRow(rows, func(rows *sql.Rows) error {
		img := &healthcell.ArticleImage{ArticleID: articleID}
		if err := rows.Scan(&img.ID, &img.Name, &img.Size); err != nil {
			return err
		}
		img.URL = ArticleImageURL(a.County, img.ID)
		out = append(out, img)
		return nil
	})
	return out, err
}
