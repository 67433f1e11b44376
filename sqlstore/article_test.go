package sqlstore_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// TestArticleLifecycle: the county office writes, schedules, publishes and
// withdraws; the public side sees an article only while it is public.
func TestArticleLifecycle(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		office := sqltest.As("county", healthcell.RoleCountyAdmin, sqltest.County)
		a := &healthcell.Article{County: sqltest.County, Category: "chronic", Title: "高血压防治", Summary: "每年量一次血压", Body: "## 要点\n- 少盐\n- **多运动**"}
		if err := db.SaveArticle(office, a); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || a.Version != 1 {
			t.Fatalf("created %+v", a)
		}
		before := *at("2026-03-01T00:00:00Z")
		list, err := db.PublicArticles(t.Context(), sqltest.County, before)
		if err != nil || len(list) != 0 {
			t.Fatalf("draft is public: %v %v", list, err)
		}
		// Scheduled: public from 1 April to 1 May.
		a.PublishAt, a.WithdrawAt = at("2026-04-01T08:00:00Z"), at("2026-05-01T00:00:00Z")
		if err := db.SaveArticle(office, a); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			when string
			n    int
		}{{"2026-03-31T23:59:59Z", 0}, {"2026-04-01T08:00:00Z", 1}, {"2026-04-15T00:00:00Z", 1}, {"2026-05-01T00:00:00Z", 0}} {
			list, err := db.PublicArticles(t.Context(), sqltest.County, *at(c.when))
			if err != nil || len(list) != c.n {
				t.Errorf("at %s: %d public articles (%v), want %d", c.when, len(list), err, c.n)
			}
			_, err = db.PublicArticle(t.Context(), sqltest.County, a.ID, *at(c.when))
			if (err == nil) != (c.n == 1) {
				t.Errorf("at %s: PublicArticle err %v", c.when, err)
			}
			if c.n == 1 && list[0].Body != "" {
				t.Error("the public list carries bodies")
			}
		}
		if _, err := db.PublicArticle(t.Context(), "510823000000", a.ID, *at("2026-04-15T00:00:00Z")); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("another county reads the article: %v", err)
		}
		// A stale version is refused.
		stale := *a
		stale.Version = 1
		if err := db.SaveArticle(office, &stale); healthcell.ErrorCode(err) != healthcell.ECONFLICT {
			t.Errorf("stale save: %v", err)
		}
		// Withdrawn now (the test clock is the real one).
		a.WithdrawAt = nil
		if err := db.SaveArticle(office, a); err != nil {
			t.Fatal(err)
		}
		if err := db.WithdrawArticle(office, a.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.PublicArticles(t.Context(), sqltest.County, time.Now().Add(time.Second)); len(list) != 0 {
			t.Error("a withdrawn article is public")
		}
		got, err := db.FindArticle(office, a.ID)
		if err != nil || got.State(time.Now().Add(time.Second)) != healthcell.ArticleWithdrawn {
			t.Errorf("state after withdrawal: %v %v", got, err)
		}
		entries, _, err := db.FindAudit(office, healthcell.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range entries {
			if e.Entity == "article" {
				actions[e.Action]++
			}
		}
		if actions["create"] != 1 || actions["update"] != 2 || actions["withdraw"] != 1 {
			t.Errorf("audit of articles: %v", actions)
		}
	})
}

// TestArticleDenials: only the county office of the article's county writes.
func TestArticleDenials(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		office := sqltest.As("county", healthcell.RoleCountyAdmin, sqltest.County)
		a := &healthcell.Article{County: sqltest.County, Category: "patriotic", Title: "大扫除", Body: "清理积水"}
		if err := db.SaveArticle(office, a); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			role healthcell.Role
			sc   string
		}{
			{"township", healthcell.RoleTownship, sqltest.Township},
			{"village", healthcell.RoleVillage, sqltest.Village},
			{"viewer", healthcell.RoleViewer, sqltest.County},
			{"other county office", healthcell.RoleCountyAdmin, "510823000000"},
		} {
			ctx := sqltest.As(c.name, c.role, c.sc)
			n := &healthcell.Article{County: sqltest.County, Category: "patriotic", Title: "x", Body: "y"}
			if err := db.SaveArticle(ctx, n); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
				t.Errorf("%s creates: %v", c.name, err)
			}
			if err := db.WithdrawArticle(ctx, a.ID); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
				t.Errorf("%s withdraws: %v", c.name, err)
			}
			if _, err := db.FindArticles(ctx, sqltest.County); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
				t.Errorf("%s lists: %v", c.name, err)
			}
			if _, err := db.AddArticleImage(ctx, a.ID, "a.png", sizedPNG(t, 10, 10)); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("%s adds an image: %v", c.name, err)
			}
		}
		bad := &healthcell.Article{County: sqltest.County, Category: "nope", Title: "", Body: ""}
		err := db.SaveArticle(office, bad)
		if healthcell.ErrorCode(err) != healthcell.EINVALID || len(fieldsOf(err)) != 3 {
			t.Errorf("invalid article: %v %v", err, fieldsOf(err))
		}
	})
}

func sizedPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y), B: 90, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestArticleImages: a picture is stored resized to 800 px and served only
// while its article is public.
func TestArticleImages(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		office := sqltest.As("county", healthcell.RoleCountyAdmin, sqltest.County)
		a := &healthcell.Article{County: sqltest.County, Category: "literacy66", Title: "勤洗手", Body: "用流动水洗手"}
		if err := db.SaveArticle(office, a); err != nil {
			t.Fatal(err)
		}
		img, err := db.AddArticleImage(office, a.ID, "洗手.png", sizedPNG(t, 1600, 1000))
		if err != nil {
			t.Fatal(err)
		}
		if img.URL != sqlstore.ArticleImageURL(sqltest.County, img.ID) {
			t.Errorf("url %q", img.URL)
		}
		if _, err := db.AddArticleImage(office, a.ID, "x.txt", []byte("plain text")); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Errorf("text as image: %v", err)
		}
		if _, _, err := db.PublicArticleImage(t.Context(), sqltest.County, img.ID, time.Now()); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("image of a draft served: %v", err)
		}
		a.PublishAt = at("2026-01-01T00:00:00Z")
		if err := db.SaveArticle(office, a); err != nil {
			t.Fatal(err)
		}
		data, mime, err := db.PublicArticleImage(t.Context(), sqltest.County, img.ID, time.Now())
		if err != nil || mime != "image/jpeg" {
			t.Fatalf("public image: %v %s", err, mime)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != 800 || cfg.Height != 500 {
			t.Errorf("stored size %dx%d (%v), want 800x500", cfg.Width, cfg.Height, err)
		}
		list, err := db.FindArticleImages(office, a.ID)
		if err != nil || len(list) != 1 || list[0].Size != len(data) {
			t.Errorf("images: %v %v", list, err)
		}
	})
}

// TestPublicVillage: names, titles, upcoming public activities only, and
// the clinic of the village before the township's.
func TestPublicVillage(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		sys := sqltest.System()
		if _, err := db.PublicVillage(t.Context(), sqltest.Township, "2026-01-01"); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("township as a village: %v", err)
		}
		v, err := db.PublicVillage(t.Context(), sqltest.Village, "2026-06-01")
		if err != nil {
			t.Fatal(err)
		}
		if v.Village.Name == "" || v.Township.Name == "" || v.County.Name == "" || v.Clinic != "" {
			t.Errorf("bare village: %+v", v)
		}
		centre := &healthcell.Unit{Kind: "hospital", Name: "陵江镇中心卫生院", Division: sqltest.Township}
		if err := db.CreateUnit(sys, centre); err != nil {
			t.Fatal(err)
		}
		if v, _ = db.PublicVillage(t.Context(), sqltest.Village, "2026-06-01"); v.Clinic != "陵江镇中心卫生院" {
			t.Errorf("clinic = %q, want the township's", v.Clinic)
		}
		own := &healthcell.Unit{Kind: "hospital", Name: "陵江村卫生室", Division: sqltest.Village}
		if err := db.CreateUnit(sys, own); err != nil {
			t.Fatal(err)
		}
		act := func(kind, date, topic string) *sqlstore.RegisterRow {
			return &sqlstore.RegisterRow{Register: "activities", Village: sqltest.Village, Values: []any{kind, date, "村民活动室", topic, "村卫生室", 30}}
		}
		rows := []*sqlstore.RegisterRow{act("lecture", "2026-05-20", "过去的讲座"), act("lecture", "2026-06-10", "高血压讲座"),
			act("consultation", "2026-06-02", "义诊"), act("meeting", "2026-06-05", "工作会议")}
		if _, err := db.LoadRegisters(sys, func(emit func(*sqlstore.RegisterRow) error) error {
			for _, r := range rows {
				if err := emit(r); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		v, err = db.PublicVillage(t.Context(), sqltest.Village, "2026-06-01")
		if err != nil {
			t.Fatal(err)
		}
		if v.Clinic != "陵江村卫生室" {
			t.Errorf("clinic = %q, want the village's own", v.Clinic)
		}
		if len(v.Upcoming) != 2 || v.Upcoming[0].Topic != "义诊" || v.Upcoming[1].Topic != "高血压讲座" {
			t.Errorf("upcoming = %+v", v.Upcoming)
		}
		if len(v.Recent) != 1 || v.Recent[0].Topic != "过去的讲座" {
			t.Errorf("recent = %+v", v.Recent)
		}
	})
}
