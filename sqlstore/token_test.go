package sqlstore_test

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestAPITokens checks a token's life: created once with its secret (stored
// hashed), found by its secret as its user, use recorded, revoked by its
// owner only, dead for a disabled user; every step audited.
func TestAPITokens(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		mk := func(name string) *healthcell.User {
			u := &healthcell.User{Username: name, Role: healthcell.RoleVillage, Scope: sqltest.Village}
			if err := db.CreateUser(sqltest.System(), u, "long-enough-1"); err != nil {
				t.Fatal(err)
			}
			return u
		}
		owner, other := mk("owner"), mk("other")
		ctxOwner := healthcell.WithActor(t.Context(), healthcell.ActorOf(owner))
		ctxOther := healthcell.WithActor(t.Context(), healthcell.ActorOf(other))

		bad := []struct{ name, input, key string }{
			{"empty", " ", "field.required"},
			{"too long", strings.Repeat("长", 41), "token.name.too_long"},
			{"control", "a\x00b", "text.control"},
			{"override", "\u202eabc", "text.invisible"},
		}
		for _, b := range bad {
			if _, _, err := db.CreateToken(ctxOwner, b.input); len(healthcell.ErrorFields(err)) != 1 || healthcell.ErrorFields(err)[0].Message != b.key {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		if _, _, err := db.CreateToken(sqltest.System(), "x"); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("system: %v", err)
		}
		tok, secret, err := db.CreateToken(ctxOwner, "县级平台对接")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "hct_") || len(secret) != 4+43 || tok.LastUsedAt != nil {
			t.Errorf("token %q %+v", secret, tok)
		}
		storedHashOnly(t, db, tok.ID, secret)
		u, err := db.UserByToken(t.Context(), secret)
		if err != nil || u.ID != owner.ID {
			t.Fatalf("user by token: %v %v", u, err)
		}
		for _, s := range []string{"", "hct_", secret + "x", strings.ToUpper(secret)} {
			if _, err := db.UserByToken(t.Context(), s); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
				t.Errorf("token %q: %v", s, err)
			}
		}
		ts, err := db.FindTokens(ctxOwner)
		if err != nil || len(ts) != 1 || ts[0].LastUsedAt == nil || ts[0].Name != "县级平台对接" {
			t.Fatalf("owner's tokens: %+v %v", ts, err)
		}
		if ts, _ := db.FindTokens(ctxOther); len(ts) != 0 {
			t.Errorf("another user sees %d tokens", len(ts))
		}
		// A second use within the minute is not recorded again.
		db.UserByToken(t.Context(), secret)
		es, _, err := db.FindAudit(sqltest.System(), healthcell.AuditFilter{Entity: "token"})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range es {
			if e.Username != "owner" {
				t.Errorf("audit entry %s by %q", e.Action, e.Username)
			}
			if strings.Contains(e.After+e.Before, secret) || strings.Contains(e.After+e.Before, secret[4:]) {
				t.Errorf("the audit log holds the token")
			}
			actions = append(actions, e.Action)
		}
		if strings.Join(actions, ",") != "use,create" {
			t.Errorf("audit actions %v", actions)
		}
		// A minute later the use is recorded again.
		now := sqltest.Now.Add(2 * time.Minute)
		db.Now = func() time.Time { return now }
		db.UserByToken(t.Context(), secret)
		if _, n, _ := db.FindAudit(sqltest.System(), healthcell.AuditFilter{Entity: "token"}); n != 3 {
			t.Errorf("%d token entries after a later use, want 3", n)
		}

		if err := db.RevokeToken(ctxOther, tok.ID); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("another user revokes: %v", err)
		}
		if err := db.RevokeToken(ctxOwner, tok.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeToken(ctxOwner, tok.ID); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("revoked twice: %v", err)
		}
		if _, err := db.UserByToken(t.Context(), secret); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("revoked token: %v", err)
		}
		// A disabled user's tokens stop working.
		_, secret2, err := db.CreateToken(ctxOwner, "脚本")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetDisabled(sqltest.System(), "owner", true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserByToken(t.Context(), secret2); healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
			t.Errorf("disabled user's token: %v", err)
		}
	})
}

// storedHashOnly reads the token's row of api_tokens directly and fails
// unless its hash column is the hex SHA-256 of secret and no column holds
// the secret or its random part.
func storedHashOnly(t *testing.T, db *sqlstore.DB, id int64, secret string) {
	t.Helper()
	rows, err := rawDB(t, db).QueryContext(t.Context(), `SELECT * FROM api_tokens WHERE id = $1`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatalf("token %d not stored: %v", id, rows.Err())
	}
	cells := make([]sql.NullString, len(cols))
	dest := make([]any, len(cols))
	for i := range cells {
		dest[i] = &cells[i]
	}
	if err := rows.Scan(dest...); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(secret))
	hashed := false
	for i, c := range cells {
		if strings.Contains(c.String, secret[len("hct_"):]) {
			t.Errorf("api_tokens.%s holds the secret: %q", cols[i], c.String)
		}
		if cols[i] == "hash" {
			hashed = c.String == hex.EncodeToString(sum[:])
		}
	}
	if !hashed {
		t.Errorf("api_tokens.hash is not the hex SHA-256 of the secret: %v", cells)
	}
}
