package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
	"github.com/healthcell/healthcell/web"
)

// evidenceCount is the number of evidence files of a sheet.
func (e *env) evidenceCount(t testing.TB, sheet int64) int {
	t.Helper()
	sh, err := e.db.FindScoreSheet(sqltest.System(), sheet)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range sh.Answers {
		n += len(a.Evidence)
	}
	return n
}

// entryCount is the number of active entries of a register, as the system sees them.
func (e *env) entryCount(t testing.TB, register string) int {
	t.Helper()
	_, n, err := e.db.FindEntries(sqltest.System(), healthcell.EntryFilter{Register: register, Division: sqltest.County, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// checkupBody is the JSON body of a check-up of p on date.
func checkupBody(p *healthcell.Person, date string) map[string]any {
	return map[string]any{"person": p.ID, "values": map[string]any{"exam_date": date, "kind": "elderly", "summary": "血压正常"}}
}

// openSheet opens the village's self-assessment as c and returns its id.
func openSheet(t *testing.T, c *client) int64 {
	t.Helper()
	r := c.do(t, "POST", "/api/v1/sheets", map[string]any{"standard": "healthy-village", "kind": "self", "unit_kind": "village", "unit_ref": sqltest.Village})
	if r.status != 201 {
		t.Fatalf("open sheet: %d %s", r.status, r.body)
	}
	return int64(r.json(t)["id"].(float64))
}

func TestIdempotencyKey(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.loadStandards(t)
		village, township, viewer := e.as(t, "village"), e.as(t, "township"), e.as(t, "viewer")
		const path = "/api/v1/registers/checkups/entries"

		first := village.do(t, "POST", path, checkupBody(e.pA, "2025-03-02"), "Idempotency-Key", "k-1")
		again := village.do(t, "POST", path, checkupBody(e.pA, "2025-03-02"), "Idempotency-Key", "k-1")
		if first.status != 201 || again.status != 201 || !bytes.Equal(first.body, again.body) || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry: %d %s / %d %s", first.status, first.body, again.status, again.body)
		}
		if n := e.entryCount(t, "checkups"); n != 1 {
			t.Fatalf("%d check-ups after a retry, want 1", n)
		}

		// Another user's key of the same name is another request: it
		// neither collides nor sees the first user's record.
		other := township.do(t, "POST", path, checkupBody(e.pB, "2025-03-04"), "Idempotency-Key", "k-1")
		if other.status != 201 || other.header.Get("Idempotent-Replayed") != "" || other.json(t)["id"] == first.json(t)["id"] ||
			strings.Contains(other.String(), "张三") {
			t.Fatalf("another user's key: %d %s", other.status, other.body)
		}
		if n := e.entryCount(t, "checkups"); n != 2 {
			t.Fatalf("%d check-ups, want 2", n)
		}

		run(t, e, []scenario{
			{name: "the key with another request is refused", user: "village", method: "POST", path: path, body: checkupBody(e.pA, "2025-03-09"),
				header: []string{"Idempotency-Key", "k-1"}, status: 422, unchanged: true, check: wantField("Idempotency-Key", "idempotency.key_reused")},
			{name: "a key too long", user: "village", method: "POST", path: path, body: checkupBody(e.pA, "2025-03-09"),
				header: []string{"Idempotency-Key", strings.Repeat("x", 101)}, status: 422, unchanged: true, check: wantField("Idempotency-Key", "idempotency.bad_key")},
			{name: "a refused create keeps no key", user: "village", method: "POST", path: path, body: checkupBody(e.pB, "2025-03-09"),
				header: []string{"Idempotency-Key", "k-2"}, status: 422, unchanged: true, check: wantField("person", "person.not_found")},
			{name: "so the key serves the corrected record", user: "village", method: "POST", path: path, body: checkupBody(e.pA2, "2025-03-09"),
				header: []string{"Idempotency-Key", "k-2"}, status: 201, check: wantJSON("person_name", "李四")},
			{name: "scope rules hold with a key", user: "viewer", method: "POST", path: path, body: checkupBody(e.pA, "2025-03-10"),
				header: []string{"Idempotency-Key", "k-3"}, status: 403, unchanged: true, check: wantError(healthcell.EFORBIDDEN)},
		})
		// The viewer's refused key is free: nothing was kept for it.
		if r := viewer.do(t, "POST", path, checkupBody(e.pA, "2025-03-10"), "Idempotency-Key", "k-3"); r.status != 403 {
			t.Errorf("viewer again: %d %s", r.status, r.body)
		}

		// An evidence photo sent twice is one evidence.
		sheet := openSheet(t, village)
		photo := pngPhoto(t, 64, 48, color.RGBA{R: 30, G: 160, B: 90})
		upload := func() *response {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile("file", "会议.png")
			fw.Write(photo)
			mw.Close()
			return village.do(t, "POST", fmt.Sprintf("/api/v1/sheets/%d/evidence/1.1", sheet), buf.Bytes(),
				"Content-Type", mw.FormDataContentType(), "Idempotency-Key", "photo-1")
		}
		a, b := upload(), upload()
		if a.status != 201 || b.status != 201 || a.json(t)["id"] != b.json(t)["id"] {
			t.Fatalf("evidence twice: %d %s / %d %s", a.status, a.body, b.status, b.body)
		}
		if n := e.evidenceCount(t, sheet); n != 1 {
			t.Errorf("%d evidence files after a retried upload, want 1", n)
		}
	})
}

// syncBatch is a phone's queue: two check-ups, a literacy response, a
// score-sheet answer and its photo, and a check-up of another village's
// resident that the server refuses.
func syncBatch(t *testing.T, e *env, sheet int64, prefix string) map[string]any {
	photo := pngPhoto(t, 64, 48, color.RGBA{R: 30, G: 160, B: 90})
	items := []map[string]any{
		{"key": prefix + "1", "method": "POST", "path": "/api/v1/registers/checkups/entries", "body": checkupBody(e.pA, "2025-04-01")},
		{"key": prefix + "2", "method": "POST", "path": "/api/v1/registers/checkups/entries", "body": checkupBody(e.pA2, "2025-04-01")},
		{"key": prefix + "3", "method": "POST", "path": "/api/v1/questionnaires/" + literacyCode + "/responses",
			"body": map[string]any{"person": e.pA2.ID, "survey_date": "2025-04-01", "answers": e.literacyKey(t, nil)}},
		{"key": prefix + "4", "method": "PUT", "path": fmt.Sprintf("/api/v1/sheets/%d/answers/1.1", sheet), "body": map[string]any{"yes": true, "note": "入户核实"}},
		{"key": prefix + "5", "method": "POST", "path": fmt.Sprintf("/api/v1/sheets/%d/evidence/1.1", sheet), "file": map[string]any{"name": "现场.png", "data": photo}},
		{"key": prefix + "6", "method": "POST", "path": "/api/v1/registers/checkups/entries", "body": checkupBody(e.pB, "2025-04-01")},
	}
	return map[string]any{"items": items}
}

type syncAnswer struct {
	Items []struct {
		Key      string          `json:"key"`
		Status   int             `json:"status"`
		ID       int64           `json:"id"`
		Message  string          `json:"message"`
		Replayed bool            `json:"replayed"`
		Current  json.RawMessage `json:"current"`
		Error    *struct {
			Fields []struct {
				Field, Key, Message string
			} `json:"fields"`
		} `json:"error"`
	} `json:"items"`
}

func TestSyncBatch(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.loadStandards(t)
		e.loadQuestionnaires(t)
		village := e.as(t, "village")
		sheet := openSheet(t, village)
		r := village.do(t, "POST", "/api/v1/sync", syncBatch(t, e, sheet, "b-"))
		if r.status != 200 {
			t.Fatalf("sync: %d %s", r.status, r.body)
		}
		var got syncAnswer
		r.decode(t, &got)
		want := []int{201, 201, 201, 200, 201, 422}
		if len(got.Items) != len(want) {
			t.Fatalf("%d results, want %d: %s", len(got.Items), len(want), r.body)
		}
		for i, it := range got.Items {
			if it.Status != want[i] || it.Key != fmt.Sprintf("b-%d", i+1) {
				t.Errorf("item %d: %d %s, want %d", i, it.Status, it.Key, want[i])
			}
		}
		if it := got.Items[0]; it.ID == 0 || it.Message != "已保存" {
			t.Errorf("first item: %+v", it)
		}
		if it := got.Items[5]; it.Error == nil || len(it.Error.Fields) == 0 || it.Error.Fields[0].Key != "person.not_found" || !strings.ContainsRune(it.Message, '效') && it.Message == "" {
			t.Errorf("refused item: %+v", it)
		}
		if e.entryCount(t, "checkups") != 2 || e.responseCount(t) != 1 {
			t.Errorf("stored %d check-ups and %d responses, want 2 and 1", e.entryCount(t, "checkups"), e.responseCount(t))
		}

		// Sent again (the answer was lost): the same results, nothing twice.
		r = village.do(t, "POST", "/api/v1/sync", syncBatch(t, e, sheet, "b-"))
		var again syncAnswer
		r.decode(t, &again)
		for i, it := range again.Items[:5] {
			if !it.Replayed || it.ID != got.Items[i].ID || it.Message != "已保存（此前已上传过）" {
				t.Errorf("item %d again: %+v", i, it)
			}
		}
		if e.entryCount(t, "checkups") != 2 || e.responseCount(t) != 1 || e.evidenceCount(t, sheet) != 1 {
			t.Errorf("after a resend: %d check-ups, %d responses, %d evidence", e.entryCount(t, "checkups"), e.responseCount(t), e.evidenceCount(t, sheet))
		}

		// A stale update answers 409 with the server's record beside it.
		entry := fmt.Sprintf("/api/v1/registers/checkups/entries/%d", got.Items[0].ID)
		if r := e.as(t, "township").do(t, "PUT", entry, map[string]any{"values": map[string]any{"exam_date": "2025-04-01", "kind": "general"}, "version": 1}); r.status != 200 {
			t.Fatalf("township update: %d %s", r.status, r.body)
		}
		r = village.do(t, "POST", "/api/v1/sync", map[string]any{"items": []map[string]any{
			{"key": "u-1", "method": "PUT", "path": entry, "body": map[string]any{"values": map[string]any{"exam_date": "2025-04-01", "kind": "elderly", "summary": "复查"}, "version": 1}},
		}})
		var conflict syncAnswer
		r.decode(t, &conflict)
		if it := conflict.Items[0]; it.Status != 409 || !strings.Contains(string(it.Current), `"kind":"general"`) || !strings.Contains(string(it.Current), `"version":2`) {
			t.Errorf("conflict: %s", r.body)
		}

		// Scope and the list of what a batch may carry.
		r = e.as(t, "viewer").do(t, "POST", "/api/v1/sync", map[string]any{"items": []map[string]any{
			{"key": "v-1", "method": "POST", "path": "/api/v1/registers/checkups/entries", "body": checkupBody(e.pA, "2025-04-02")},
			{"key": "v-2", "method": "POST", "path": "/api/v1/users", "body": map[string]any{"username": "x"}},
			{"key": "", "method": "POST", "path": "/api/v1/registers/checkups/entries", "body": checkupBody(e.pA, "2025-04-02")},
		}})
		var denied syncAnswer
		r.decode(t, &denied)
		if len(denied.Items) != 3 || denied.Items[0].Status != 403 || denied.Items[1].Status != 422 || denied.Items[2].Status != 422 {
			t.Errorf("viewer batch: %s", r.body)
		}
		if r := e.anon(t).do(t, "POST", "/api/v1/sync", syncBatch(t, e, sheet, "a-")); r.status != 401 {
			t.Errorf("anonymous sync: %d", r.status)
		}
		if e.entryCount(t, "checkups") != 2 {
			t.Errorf("refused items stored check-ups: %d", e.entryCount(t, "checkups"))
		}
	})
}

// TestSyncInterrupted drops the connection after two items of a batch and
// sends the batch again: every item is stored once.
func TestSyncInterrupted(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		var (
			dropAfter atomic.Int32
			drop      atomic.Value // context.CancelFunc
		)
		e := newEnv(t, db, func(c *web.Config) {
			c.AfterSyncItem = func(ctx context.Context, done int) {
				if int(dropAfter.Load()) != done {
					return
				}
				drop.Load().(context.CancelFunc)()
				select { // wait until the server sees the connection gone
				case <-ctx.Done():
				case <-time.After(30 * time.Second):
				}
			}
		})
		e.loadStandards(t)
		e.loadQuestionnaires(t)
		village := e.as(t, "village")
		sheet := openSheet(t, village)
		body, err := json.Marshal(syncBatch(t, e, sheet, "i-"))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		drop.Store(cancel)
		dropAfter.Store(2)
		req, _ := http.NewRequestWithContext(ctx, "POST", e.srv.URL+"/api/v1/sync", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if res, err := village.hc.Do(req); err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			t.Fatalf("the interrupted batch answered %d", res.StatusCode)
		}
		// The server stops after the item running: two check-ups, no more.
		deadline := time.Now().Add(30 * time.Second)
		for e.entryCount(t, "checkups") < 2 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond)
		if n, m := e.entryCount(t, "checkups"), e.responseCount(t); n != 2 || m != 0 {
			t.Fatalf("after the drop: %d check-ups, %d responses; want 2 and 0", n, m)
		}

		dropAfter.Store(0)
		r := village.do(t, "POST", "/api/v1/sync", body)
		var got syncAnswer
		r.decode(t, &got)
		if r.status != 200 || len(got.Items) != 6 || !got.Items[0].Replayed || !got.Items[1].Replayed || got.Items[2].Replayed || got.Items[2].Status != 201 {
			t.Fatalf("retry: %d %s", r.status, r.body)
		}
		if n, m, k := e.entryCount(t, "checkups"), e.responseCount(t), e.evidenceCount(t, sheet); n != 2 || m != 1 || k != 1 {
			t.Errorf("after the retry: %d check-ups, %d responses, %d evidence; want 2, 1, 1", n, m, k)
		}
	})
}
