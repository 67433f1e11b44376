package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/web"
)

// publishArticle writes and publishes an article as the county office
// through the API and returns its id.
func publishArticle(t *testing.T, e *env, title, body string) int64 {
	t.Helper()
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	r := e.as(t, "county").do(t, "POST", "/api/v1/articles", map[string]any{"category": "chronic", "title": title, "summary": "摘要", "body": body, "publish_at": past})
	if r.status != http.StatusCreated {
		t.Fatalf("create article: %d %s", r.status, r.body)
	}
	return int64(r.json(t)["id"].(float64))
}

// checkPublicHeaders checks that a public answer carries the security
// headers of every other page and may be cached.
func checkPublicHeaders(t *testing.T, path string, r *response, cache bool) {
	t.Helper()
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
		if got := r.header.Get(h); got != want {
			t.Errorf("%s: %s = %q, want %q", path, h, got, want)
		}
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: CSP %q", path, csp)
	}
	if cc := r.header.Get("Cache-Control"); cache && !strings.HasPrefix(cc, "public, max-age=") {
		t.Errorf("%s: Cache-Control %q", path, cc)
	}
}

func TestPublicPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := publishArticle(t, e, "高血压防治要点", "## 要点\n- 少盐\n- 多运动")
		anon := e.anon(t)
		for _, c := range []struct {
			path  string
			wants []string
		}{
			{"/public/" + sqltest.Village, []string{villageName, "高血压防治要点", "慢病防治", "/public/" + sqltest.Village + "/quiz", "/public/" + sqltest.Village + "/poster", "陵江镇"}},
			{"/public/" + sqltest.County, []string{"苍溪县", "高血压防治要点", "/public/" + sqltest.County + "/named"}},
			{fmt.Sprintf("/public/%s/articles/%d", sqltest.Village, id), []string{"高血压防治要点", "<h2>要点</h2>", "<li>少盐</li>"}},
			{"/public/" + sqltest.Village + "/poster", []string{villageName, "/public/" + sqltest.Village + "/qr.svg", `<script src="/static/poster.js" defer></script>`, e.srv.URL + "/public/" + sqltest.Village + "/quiz"}},
		} {
			r := anon.get(t, c.path)
			if r.status != http.StatusOK {
				t.Errorf("%s: %d", c.path, r.status)
				continue
			}
			checkPublicHeaders(t, c.path, r, true)
			body := r.String()
			for _, w := range c.wants {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %q", c.path, w)
				}
			}
			// Light: under 100 KB before pictures, no framework CSS, no
			// script needed to read (the poster's button only).
			if len(r.body) > 100<<10 {
				t.Errorf("%s is %d bytes", c.path, len(r.body))
			}
			if strings.Contains(body, "pico") || !strings.Contains(body, "/static/public.css") {
				t.Errorf("%s: not the light layout", c.path)
			}
			if !strings.Contains(c.path, "poster") && strings.Contains(body, "<script") {
				t.Errorf("%s has a script", c.path)
			}
		}
		// Not a county or village, unknown, another county's article, a draft.
		for _, p := range []string{"/public/" + sqltest.Township, "/public/510824999999", "/public/abc",
			fmt.Sprintf("/public/510823000000/articles/%d", id), "/public/" + sqltest.Township + "/qr.png", "/public/" + sqltest.County + "/poster"} {
			if r := anon.get(t, p); r.status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, r.status)
			}
		}
		// The JSON of the same pages.
		r := anon.get(t, "/api/v1/public/"+sqltest.Village)
		if r.status != http.StatusOK {
			t.Fatalf("public JSON: %d %s", r.status, r.body)
		}
		doc := r.json(t)
		if doc["quiz_url"] != e.srv.URL+"/public/"+sqltest.Village+"/quiz" || len(doc["articles"].([]any)) != 1 {
			t.Errorf("public JSON: %v", doc)
		}
		if r := anon.get(t, fmt.Sprintf("/api/v1/public/%s/articles/%d", sqltest.Village, id)); r.status != http.StatusOK {
			t.Errorf("public article JSON: %d", r.status)
		}
	})
}

// TestPublicArticleSanitised: script tags and javascript: links in an
// article are served as text, never as markup or addresses.
func TestPublicArticleSanitised(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		body := "<script>alert('x')</script>\n\n[点这里](javascript:alert(1)) 和 [再点](JaVaScRiPt:alert(2))\n\n<a href=\"javascript:alert(3)\">链接</a>\n\n<img src=x onerror=alert(4)>\n\n![图](javascript:alert(5))"
		id := publishArticle(t, e, "<script>alert('t')</script>", body)
		for _, p := range []string{fmt.Sprintf("/public/%s/articles/%d", sqltest.County, id), "/public/" + sqltest.Village} {
			r := e.anon(t).get(t, p)
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d", p, r.status)
			}
			low := strings.ToLower(r.String())
			for _, bad := range []string{"<script>", "<script ", `href="javascript:`, "<img src=x", `<a href="javascript`} {
				if strings.Contains(low, bad) {
					t.Errorf("%s serves %q", p, bad)
				}
			}
			if regexp.MustCompile(`<[^>]*onerror=`).MatchString(low) {
				t.Errorf("%s: an event handler survives", p)
			}
			if regexp.MustCompile(`(?i)(href|src)="[^"]*javascript:`).MatchString(low) {
				t.Errorf("%s: a javascript: address survives", p)
			}
		}
		r := e.anon(t).get(t, fmt.Sprintf("/public/%s/articles/%d", sqltest.County, id))
		if !strings.Contains(r.String(), "&lt;script&gt;") || !strings.Contains(r.String(), "点这里") {
			t.Error("the text of the article is lost rather than escaped")
		}
	})
}

// TestArticleEditor: the county office writes, schedules, publishes and
// withdraws on the web; other roles are refused and nothing is stored.
func TestArticleEditor(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		county := e.as(t, "county")
		if r := county.get(t, "/outreach/articles/new"); r.status != http.StatusOK || !strings.Contains(r.String(), "健康素养66条") {
			t.Fatalf("new form: %d", r.status)
		}
		form := url.Values{"category": {"patriotic"}, "title": {"清除积水 预防登革热"}, "body": {"翻盆倒罐，清除积水。"}, "action": {"save"}, "version": {"0"}}
		r := county.do(t, "POST", "/outreach/articles/new", form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.status, r.body)
		}
		loc := r.header.Get("Location")
		id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/outreach/articles/"), 10, 64)
		if r := county.get(t, loc); !strings.Contains(r.String(), "草稿") {
			t.Error("a saved article without a time is not a draft")
		}
		if r := e.anon(t).get(t, fmt.Sprintf("/public/%s/articles/%d", sqltest.County, id)); r.status != http.StatusNotFound {
			t.Errorf("a draft is public: %d", r.status)
		}
		// Scheduled for tomorrow.
		form.Set("version", "1")
		form.Set("publish_at", time.Now().Add(24*time.Hour).Format("2006-01-02T15:04"))
		if r := county.do(t, "POST", loc, form); r.status != http.StatusSeeOther {
			t.Fatalf("schedule: %d %s", r.status, r.body)
		}
		if r := county.get(t, "/outreach/articles"); !strings.Contains(r.String(), "定时发布") {
			t.Error("the list does not show the schedule")
		}
		// Bad input changes nothing: withdrawal before publication.
		bad := url.Values{"category": {"patriotic"}, "title": {"x"}, "body": {"y"}, "action": {"save"}, "version": {"2"},
			"publish_at": {"2026-05-02T08:00"}, "withdraw_at": {"2026-05-01T08:00"}}
		if r := county.do(t, "POST", loc, bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "撤下时间应晚于发布时间") {
			t.Errorf("bad times: %d", r.status)
		}
		// Published now.
		form.Set("version", "2")
		form.Del("publish_at")
		form.Set("action", "publish")
		if r := county.do(t, "POST", loc, form); r.status != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", r.status, r.body)
		}
		if r := e.anon(t).get(t, "/public/"+sqltest.Village); !strings.Contains(r.String(), "清除积水 预防登革热") {
			t.Error("the published article is not on the village page at once")
		}
		// A picture, resized, then shown in the article.
		if r := uploadImage(t, county, loc+"/images", 1200, 900); r.status != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
		page := county.get(t, loc).String()
		m := regexp.MustCompile(`/public/[0-9]{12}/images/[0-9]+`).FindString(page)
		if m == "" {
			t.Fatal("the form does not give the picture's line")
		}
		img := e.anon(t).get(t, m)
		if img.status != http.StatusOK || img.header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("picture: %d %s", img.status, img.header.Get("Content-Type"))
		}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(img.body)); err != nil || cfg.Width != 800 {
			t.Errorf("picture served at %d px (%v), want 800", cfg.Width, err)
		}
		// Withdrawn.
		if r := county.do(t, "POST", loc+"/withdraw", url.Values{}); r.status != http.StatusSeeOther {
			t.Fatalf("withdraw: %d", r.status)
		}
		if r := e.anon(t).get(t, "/public/"+sqltest.Village); strings.Contains(r.String(), "清除积水") {
			t.Error("a withdrawn article is still public")
		}
		if r := e.anon(t).get(t, m); r.status != http.StatusNotFound {
			t.Errorf("the picture of a withdrawn article: %d", r.status)
		}
		// Audited like the rest.
		audit := county.get(t, "/api/v1/audit?entity=article").String()
		for _, a := range []string{`"create"`, `"update"`, `"withdraw"`} {
			if !strings.Contains(audit, a) {
				t.Errorf("audit lacks %s", a)
			}
		}
	})
}

func uploadImage(t *testing.T, c *client, path string, w, h int) *response {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x += 4 {
		img.Set(x, x%h, color.RGBA{R: 200, A: 255})
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	boundary := "xxBOUNDARYxx"
	fmt.Fprintf(&body, "--%s\r\nContent-Disposition: form-data; name=\"image\"; filename=\"洗手.png\"\r\nContent-Type: image/png\r\n\r\n", boundary)
	body.Write(pngData.Bytes())
	fmt.Fprintf(&body, "\r\n--%s--\r\n", boundary)
	return c.do(t, "POST", path, body.Bytes(), "Content-Type", "multipart/form-data; boundary="+boundary)
}

// TestArticleDenied: no role but the county office writes articles, on the
// web or through the API; nothing is stored.
func TestArticleDenied(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := publishArticle(t, e, "勤洗手", "用流动水洗手")
		form := url.Values{"category": {"chronic"}, "title": {"越权"}, "body": {"越权"}, "action": {"publish"}, "version": {"1"}}
		for _, u := range []string{"township", "village", "viewer", "unit", "evaluator", "department"} {
			c := e.as(t, u)
			for _, p := range []string{"/outreach/articles", "/outreach/articles/new"} {
				if r := c.get(t, p); r.status != http.StatusForbidden {
					t.Errorf("%s GET %s: %d", u, p, r.status)
				}
			}
			if r := c.do(t, "POST", "/outreach/articles/new", form); r.status != http.StatusForbidden {
				t.Errorf("%s creates on the web: %d", u, r.status)
			}
			if r := c.do(t, "POST", fmt.Sprintf("/outreach/articles/%d", id), form); r.status != http.StatusForbidden {
				t.Errorf("%s edits on the web: %d", u, r.status)
			}
			if r := c.do(t, "POST", fmt.Sprintf("/outreach/articles/%d/withdraw", id), url.Values{}); r.status != http.StatusForbidden {
				t.Errorf("%s withdraws on the web: %d", u, r.status)
			}
			if r := c.do(t, "POST", "/api/v1/articles", map[string]any{"category": "chronic", "title": "越权", "body": "越权"}); r.status != http.StatusForbidden {
				t.Errorf("%s creates through the API: %d", u, r.status)
			}
			if r := c.do(t, "PUT", fmt.Sprintf("/api/v1/articles/%d", id), map[string]any{"category": "chronic", "title": "越权", "body": "越权", "version": 1}); r.status != http.StatusForbidden {
				t.Errorf("%s edits through the API: %d", u, r.status)
			}
		}
		if r := e.anon(t).do(t, "POST", "/api/v1/articles", map[string]any{"category": "chronic", "title": "x", "body": "y"}); r.status != http.StatusUnauthorized {
			t.Errorf("anonymous create: %d", r.status)
		}
		list := e.as(t, "county").get(t, "/api/v1/articles").json(t)["articles"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["title"] != "勤洗手" {
			t.Errorf("articles after the denials: %v", list)
		}
	})
}

// decodeQR reads the QR code in img with gozxing.
func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		// gozxing's finder-pattern search misses about 7 in 1,000
		// addresses drawn at 512 px (the server's port in the address
		// decides which); the image is a generated, upright code, which
		// PURE_BARCODE reads module by module.
		pure := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true}
		if bmp, err = gozxing.NewBinaryBitmapFromImage(img); err != nil {
			t.Fatal(err)
		}
		if res, err = gzqr.NewQRCodeReader().Decode(bmp, pure); err != nil {
			t.Fatalf("decode QR: %v", err)
		}
	}
	return res.GetText()
}

// svgQRImage draws the dark runs of qr.svg ("M x y h n v1 h-n z") back into
// an image, 8 px a module.
func svgQRImage(t *testing.T, svg string) image.Image {
	t.Helper()
	size := regexp.MustCompile(`viewBox="0 0 (\d+) \d+"`).FindStringSubmatch(svg)
	if size == nil {
		t.Fatalf("no viewBox: %.100s", svg)
	}
	n, _ := strconv.Atoi(size[1])
	const k = 8
	img := image.NewGray(image.Rect(0, 0, n*k, n*k))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for _, m := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-\d+z`).FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for dx := 0; dx < w*k; dx++ {
			for dy := 0; dy < k; dy++ {
				img.SetGray(x*k+dx, y*k+dy, color.Gray{})
			}
		}
	}
	return img
}

// TestVillageQR: qr.png and qr.svg decode to the full address of the
// village's quiz — the request's host, or the configured public URL.
func TestVillageQR(t *testing.T) {
	for _, c := range []struct {
		name, publicURL, want string
	}{
		{"from the request", "", ""},
		{"configured", "https://jk.example.cn/", "https://jk.example.cn/public/" + sqltest.Village + "/quiz"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				e := newEnv(t, db, func(cfg *web.Config) { cfg.PublicURL = c.publicURL })
				want := c.want
				if want == "" {
					want = e.srv.URL + "/public/" + sqltest.Village + "/quiz"
				}
				r := e.anon(t).get(t, "/public/"+sqltest.Village+"/qr.png")
				if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/png" {
					t.Fatalf("qr.png: %d %s", r.status, r.header.Get("Content-Type"))
				}
				checkPublicHeaders(t, "qr.png", r, true)
				img, err := png.Decode(bytes.NewReader(r.body))
				if err != nil {
					t.Fatal(err)
				}
				if got := decodeQR(t, img); got != want {
					t.Errorf("qr.png holds %q, want %q", got, want)
				}
				r = e.anon(t).get(t, "/public/"+sqltest.Village+"/qr.svg")
				if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/svg+xml" {
					t.Fatalf("qr.svg: %d %s", r.status, r.header.Get("Content-Type"))
				}
				if got := decodeQR(t, svgQRImage(t, r.String())); got != want {
					t.Errorf("qr.svg holds %q, want %q", got, want)
				}
			})
		})
	}
}
