package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/idcard"
)

// audit records one change in the same transaction as the change itself.
// before and after are marshalled to JSON; nil stays empty.
func (tx *Tx) audit(ctx context.Context, action, entity string, id any, division string, before, after any) error {
	b, err := auditJSON(before)
	if err != nil {
		return err
	}
	a, err := auditJSON(after)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, division, before, after)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		tx.now, tx.actor.UserID, tx.actor.Username, action, entity, fmt.Sprint(id), division, b, a)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", action, entity, err)
	}
	return nil
}

func auditJSON(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	buf, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit marshal: %w", err)
	}
	return string(buf), nil
}

// FindAudit returns entries inside the caller's scope, newest first. County
// administrators and the system see everything in their subtree, including
// entries with no division (loads, and changes to the users they manage);
// others see entries of their subtree only, and roles that may not read
// persons see no person or household entries. Personal values inside
// before/after are masked for callers who do not see personal data.
func (db *DB) FindAudit(ctx context.Context, f healthcell.AuditFilter) ([]*healthcell.AuditEntry, int, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, 0, err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if !a.System {
		lo, hi := healthcell.CodeRange(a.Scope)
		l, h := arg(lo), arg(hi)
		cond := "division BETWEEN " + l + " AND " + h
		if !a.CanReadPersons(a.Scope) {
			// roles that read no persons read no changes to them either
			cond += " AND entity NOT IN ('person', 'household')"
		}
		if a.CanManageUsers() {
			// user entries carry no division: only those of users in scope
			cond += " OR (division = '' AND (entity <> 'user' OR entity_id IN (SELECT username FROM users WHERE scope BETWEEN " + l + " AND " + h + ")))"
		}
		where = append(where, "("+cond+")")
	}
	if f.Entity != "" {
		where = append(where, "entity = "+arg(f.Entity))
	}
	if f.EntityID != "" {
		where = append(where, "entity_id = "+arg(f.EntityID))
		if !a.System && !a.SeesPersonal(a.Scope) {
			// a reconciliation key holds an ID number or a birth date
			// (maskAuditKey): finding one by it would tell it
			where = append(where, "entity <> 'reconcile'")
		}
	}
	if f.Username != "" {
		where = append(where, "username = "+arg(f.Username))
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log"+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := db.r.QueryContext(ctx, `SELECT id, at, user_id, username, COALESCE((SELECT u.display_name FROM users u WHERE u.username = audit_log.username), ''),
		action, entity, entity_id, division, before, after
		FROM audit_log`+w+` ORDER BY id DESC`+limitClause(arg(limit), arg(offset)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find audit: %w", err)
	}
	var out []*healthcell.AuditEntry
	if err := eachRow(rows, func(rows *sql.Rows) error {
		e := &healthcell.AuditEntry{}
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.DisplayName, &e.Action, &e.Entity, &e.EntityID, &e.Division, &e.Before, &e.After); err != nil {
			return err
		}
		if !a.SeesPersonal(e.Division) {
			e.Before, e.After = maskSnapshot(e.Before), maskSnapshot(e.After)
			e.EntityID = maskAuditKey(e.Entity, e.EntityID)
		}
		if d := db.Registers().Get(strings.TrimPrefix(e.Entity, "register.")); d != nil && d.Personal && !a.SeesPersonal(e.Division) {
			e.Before, e.After = "", "" // health and money are not shown outside their scope
		}
		out = append(out, e)
		return nil
	}); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// maskSnapshot masks the personal fields anywhere inside a JSON snapshot
// (a person, a register entry, an import's rows): every "id_number" as
// idcard.Mask, every "phone" as MaskPhone, and every "birth_date" replaced by
// "birth_year". A snapshot that is not JSON is dropped (""), never shown.
func maskSnapshot(s string) string {
	if s == "" {
		return s
	}
	var v any
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber() // numbers come back as written
	if d.Decode(&v) != nil {
		return ""
	}
	buf, err := json.Marshal(maskValue(v))
	if err != nil {
		return ""
	}
	return string(buf)
}

// maskValue masks the personal keys of v and of everything inside it.
func maskValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			str, isStr := e.(string)
			switch {
			case k == "id_number" && isStr:
				x[k] = idcard.Mask(str)
			case k == "phone" && isStr:
				x[k] = healthcell.MaskPhone(str)
			case k == "birth_date":
				delete(x, k)
				if isStr && len(str) >= 4 {
					if y, err := strconv.Atoi(str[:4]); err == nil {
						x["birth_year"] = y
					}
				}
			default:
				x[k] = maskValue(e)
			}
		}
		if _, ok := x["id_number"]; ok {
			x["masked"] = true
		}
	case []any:
		for i := range x {
			x[i] = maskValue(x[i])
		}
	}
	return v
}

// page clamps a limit (default 50, at most 500) and offset.
func page(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = 50
	}
	if limit > 500 {
		limit = 500
	}
	if offset < 0 {
		offset = 0
	}
	return limit, offset
}
