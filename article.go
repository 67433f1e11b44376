package healthcell

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Article is a piece of health knowledge the county office writes for the
// public pages of its county and villages (issue 15). Body is Markdown of a
// small, safe subset (web/article_text.go): it is never sent as HTML.
// PublishAt nil is a draft; the article is public from PublishAt until
// WithdrawAt (nil: no end), so both may lie in the future (scheduled).
type Article struct {
	ID         int64      `json:"id"`
	County     string     `json:"county"`
	Category   string     `json:"category"`
	Title      string     `json:"title"`
	Summary    string     `json:"summary,omitempty"`
	Body       string     `json:"body"`
	PublishAt  *time.Time `json:"publish_at,omitempty"`
	WithdrawAt *time.Time `json:"withdraw_at,omitempty"`
	Version    int        `json:"version"`
	UpdatedBy  string     `json:"updated_by,omitempty"`
	UpdatedAt  time.Time  `json:"updated_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

// Article states, as ArticleState computes them.
const (
	ArticleDraft     = "draft"
	ArticleScheduled = "scheduled"
	ArticlePublished = "published"
	ArticleWithdrawn = "withdrawn"
)

// State is the article's state at t: draft, scheduled (publication ahead),
// published, or withdrawn (its withdrawal time has passed).
func (a *Article) State(t time.Time) string {
	switch {
	case a.WithdrawAt != nil && !a.WithdrawAt.After(t):
		return ArticleWithdrawn
	case a.PublishAt == nil:
		return ArticleDraft
	case a.PublishAt.After(t):
		return ArticleScheduled
	}
	return ArticlePublished
}

// ArticleLimits bound an article's fields (characters).
const (
	ArticleTitleMax   = 100
	ArticleSummaryMax = 200
	ArticleBodyMax    = 20000
)

// Validate trims and checks an article; isCategory says whether a category
// code exists. It returns EINVALID with the fields at fault.
func (a *Article) Validate(isCategory func(string) bool) error {
	a.Title = strings.TrimSpace(a.Title)
	a.Summary = strings.TrimSpace(a.Summary)
	a.Body = strings.TrimSpace(strings.ReplaceAll(a.Body, "\r\n", "\n"))
	var fe []FieldError
	if CodeLevel(a.County) != LevelCounty {
		fe = append(fe, FieldError{Field: "county", Message: "article.county.invalid", Value: a.County})
	}
	if !isCategory(a.Category) {
		fe = append(fe, FieldError{Field: "category", Message: "article.category.invalid", Value: a.Category})
	}
	switch n := utf8.RuneCountInString(a.Title); {
	case n == 0:
		fe = append(fe, FieldError{Field: "title", Message: "article.title.required"})
	case n > ArticleTitleMax:
		fe = append(fe, FieldError{Field: "title", Message: "article.title.too_long"})
	}
	if utf8.RuneCountInString(a.Summary) > ArticleSummaryMax {
		fe = append(fe, FieldError{Field: "summary", Message: "article.summary.too_long"})
	}
	switch n := utf8.RuneCountInString(a.Body); {
	case n == 0:
		fe = append(fe, FieldError{Field: "body", Message: "article.body.required"})
	case n > ArticleBodyMax:
		fe = append(fe, FieldError{Field: "body", Message: "article.body.too_long"})
	}
	if a.PublishAt != nil && a.WithdrawAt != nil && !a.WithdrawAt.After(*a.PublishAt) {
		fe = append(fe, FieldError{Field: "withdraw_at", Message: "article.withdraw_at.before_publish"})
	}
	return Invalid(fe)
}

// ArticleImage is a picture uploaded for an article, stored resized.
type ArticleImage struct {
	ID        int64  `json:"id"`
	ArticleID int64  `json:"article_id"`
	Name      string `json:"name"`
	Size      int    `json:"size"`
	// URL is where the public pages serve it; Markdown refers to it.
	URL string `json:"url"`
}

// PublicActivity is an upcoming activity of a village as the public sees
// it: no attendance, no person.
type PublicActivity struct {
	Kind  string `json:"kind"`
	Date  string `json:"date"`
	Place string `json:"place"`
	Topic string `json:"topic"`
}

// PublicTitle is a title a unit of the village holds (from the workflow's
// namings), with households shown by surname only.
type PublicTitle struct {
	UnitName string `json:"unit_name"`
	CellType string `json:"cell_type"`
	NamedOn  string `json:"named_on"`
}

// PublicVillage is what the public page of a village shows besides the
// articles.
type PublicVillage struct {
	Village  Division         `json:"village"`
	Township Division         `json:"township"`
	County   Division         `json:"county"`
	Titles   []PublicTitle    `json:"titles"`
	Upcoming []PublicActivity `json:"upcoming"`
	// Recent are the public activities held in the last 60 days, newest
	// first: the activity register records activities once held (its
	// dates may not lie ahead), so Upcoming holds only those entered for
	// today or later.
	Recent []PublicActivity `json:"recent"`
	// Clinic is the village's clinic or, failing one, its township's
	// health centre; "" when the data has neither.
	Clinic string `json:"clinic,omitempty"`
}

// ArticleService keeps the county office's articles and serves the public
// pages. Writes are for the county office of the article's county (or the
// system); EFORBIDDEN otherwise.
type ArticleService interface {
	// SaveArticle creates (ID 0) or updates an article; an update must carry
	// the stored Version (ECONFLICT otherwise).
	SaveArticle(ctx context.Context, a *Article) error
	// WithdrawArticle withdraws an article now.
	WithdrawArticle(ctx context.Context, id int64) error
	// FindArticle returns an article for its editor; ENOTFOUND outside scope.
	FindArticle(ctx context.Context, id int64) (*Article, error)
	// FindArticles lists a county's articles for its editors, newest first.
	FindArticles(ctx context.Context, county string) ([]*Article, error)
	// AddArticleImage stores a picture for an article, resized.
	AddArticleImage(ctx context.Context, articleID int64, name string, data []byte) (*ArticleImage, error)
	// FindArticleImages lists an article's pictures.
	FindArticleImages(ctx context.Context, articleID int64) ([]*ArticleImage, error)

	// The public side, no login: only articles public at t.
	PublicArticles(ctx context.Context, county string, t time.Time) ([]*Article, error)
	PublicArticle(ctx context.Context, county string, id int64, t time.Time) (*Article, error)
	// PublicArticleImage returns a picture of an article public at t, as
	// JPEG bytes; ENOTFOUND otherwise.
	PublicArticleImage(ctx context.Context, county string, id int64, t time.Time) ([]byte, string, error)
	// PublicVillage returns the public facts of a village, activities on
	// or after day (YYYY-MM-DD) and in the 60 days before it; ENOTFOUND
	// when code is not a village.
	PublicVillage(ctx context.Context, code, day string) (*PublicVillage, error)
	// PublicDivision returns a county or village by code; ENOTFOUND for
	// other codes.
	PublicDivision(ctx context.Context, code string) (*Division, error)
}

// CountyOf returns the 12-digit code of the county above or at code, or ""
// when code is not a county or below one.
func CountyOf(code string) string {
	if CodeLevel(code) < LevelCounty {
		return ""
	}
	return code[:6] + "000000"
}
