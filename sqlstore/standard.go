package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/healthcell/healthcell"
)

// standardBody is what a version stores, and its digest: everything but the
// version's identity, so that loading the same standard twice is noticed.
func standardBody(s *healthcell.Standard) (body, digest string, err error) {
	c := *s
	c.ID, c.Version, c.CreatedBy, c.CreatedAt = 0, 0, "", time.Time{}
	b, err := json.Marshal(&c)
	if err != nil {
		return "", "", fmt.Errorf("encode standard: %w", err)
	}
	sum := sha256.Sum256(b)
	return string(b), hex.EncodeToString(sum[:]), nil
}

// CreateStandard validates s and stores it as the next version of its code,
// in one audited transaction, owned by the caller's office
// (Actor.StandardOwner; the system keeps s.Owner). When s equals the latest
// version, nothing is stored and s is filled from that version. It returns
// EINVALID with every problem for a bad standard or one naming an indicator
// or activity that does not exist (StandardCodes; Row the item number),
// EFORBIDDEN unless the caller manages standards, and for a code owned by
// an office above the caller's (standard.owner.above), and ECONFLICT for a
// code owned by another county or city (standard.code.taken): nothing is
// stored then.
func (db *DB) CreateStandard(ctx context.Context, s *healthcell.Standard) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if !a.CanManageStandards() {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	if !a.System {
		s.Owner = a.StandardOwner()
	}
	if err := s.Validate(); err != nil {
		return err
	}
	codes, err := db.StandardCodes(ctx)
	if err != nil {
		return err
	}
	if err := s.CheckCodes(codes); err != nil {
		return err
	}
	if s.TotalPoints == 0 {
		s.TotalPoints = s.ItemMax()
	}
	return db.write(ctx, func(tx *Tx) error {
		var latest int
		var latestDigest, latestOwner string
		err := tx.QueryRowContext(ctx, `SELECT version, digest, owner FROM standards WHERE code = $1 ORDER BY version DESC LIMIT 1`, s.Code).
			Scan(&latest, &latestDigest, &latestOwner)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("latest version of %s: %w", s.Code, err)
		}
		if err := ownsCode(a, latestOwner); err != nil {
			return err
		}
		if latest > 0 && latestOwner == "" && !a.System {
			s.Owner = "" // a standard of no office stays everyone's
		}
		body, digest, err := standardBody(s)
		if err != nil {
			return err
		}
		if latestDigest == digest {
			got, err := findStandard(ctx, tx, `code = $1 AND version = $2`, s.Code, latest)
			if err != nil {
				return err
			}
			*s = *got
			return nil
		}
		s.Version, s.CreatedBy, s.CreatedAt = latest+1, tx.actor.Username, tx.now
		err = tx.QueryRowContext(ctx, `INSERT INTO standards (code, version, name, cell_type, unit_kind, total_points, body, digest, created_by, created_at, owner)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			s.Code, s.Version, s.Name, s.CellType, s.UnitKind, s.TotalPoints, body, digest, s.CreatedBy, s.CreatedAt, s.Owner).Scan(&s.ID)
		if err != nil {
			return fmt.Errorf("insert standard %s: %w", s.Code, err)
		}
		return tx.audit(ctx, "create", "standard", s.ID, s.Owner, nil, map[string]any{"code": s.Code, "version": s.Version, "name": s.Name, "items": len(s.Items), "owner": s.Owner})
	})
}

// ownsCode checks that a may load a version of a code whose latest version
// is owned by owner ("" for none, or a new code): the system and the owning
// office may, anyone may for a code of no office. It returns EFORBIDDEN
// (standard.owner.above) when the code is owned by an office whose
// standards apply where a works, and ECONFLICT (standard.code.taken) when
// it is another county's or city's, whose existence a does not otherwise
// see.
func ownsCode(a *healthcell.Actor, owner string) error {
	if a.System || owner == "" || owner == a.StandardOwner() {
		return nil
	}
	if healthcell.Covers(owner, a.Scope) {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "standard.owner.above")
	}
	return healthcell.Errorf(healthcell.ECONFLICT, "standard.code.taken")
}

func findStandard(ctx context.Context, q queryer, where string, args ...any) (*healthcell.Standard, error) {
	var id int64
	var version int
	var body, by, owner string
	var at time.Time
	err := q.QueryRowContext(ctx, `SELECT id, version, body, created_by, created_at, owner FROM standards WHERE `+where, args...).
		Scan(&id, &version, &body, &by, &at, &owner)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("standard")
	}
	if err != nil {
		return nil, fmt.Errorf("find standard: %w", err)
	}
	s := &healthcell.Standard{}
	if err := json.Unmarshal([]byte(body), s); err != nil {
		return nil, fmt.Errorf("decode standard %d: %w", id, err)
	}
	s.ID, s.Version, s.CreatedBy, s.CreatedAt, s.Owner = id, version, by, at, owner
	return s, nil
}

// FindStandard returns version of code, or its latest version when version
// is 0; ENOTFOUND when there is none, or when it does not apply where the
// caller works (Actor.SeesStandard: a neighbour county's own standard).
func (db *DB) FindStandard(ctx context.Context, code string, version int) (*healthcell.Standard, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	var s *healthcell.Standard
	if version > 0 {
		s, err = findStandard(ctx, db.r, `code = $1 AND version = $2`, code, version)
	} else {
		s, err = findStandard(ctx, db.r, `code = $1 ORDER BY version DESC LIMIT 1`, code)
	}
	if err == nil && !a.SeesStandard(s.Owner) {
		return nil, notFound("standard")
	}
	return s, err
}

// FindStandardByID returns the version with id, parsed once per process (a
// version never changes; callers must not modify it); ENOTFOUND when there
// is none.
func (db *DB) FindStandardByID(ctx context.Context, id int64) (*healthcell.Standard, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	return db.standardVersion(ctx, id)
}

// FindStandards lists the latest version of every standard that applies
// where the caller works (Actor.SeesStandard), by cell type and code,
// without items. The list is cached while the standards table is unchanged
// (standard_cache.go). It returns the store's error.
func (db *DB) FindStandards(ctx context.Context) ([]*healthcell.Standard, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	all, err := db.standards.get(ctx, db.r, db.findStandards)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, s := range all {
		if a.SeesStandard(s.Owner) {
			out = append(out, s)
		}
	}
	return out, nil
}

// findStandards reads the latest version of every standard.
func (db *DB) findStandards(ctx context.Context) ([]*healthcell.Standard, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT s.id, s.code, s.version, s.name, s.cell_type, s.unit_kind, s.total_points, s.created_by, s.created_at, s.owner
		FROM standards s WHERE s.version = (SELECT MAX(version) FROM standards m WHERE m.code = s.code)
		ORDER BY s.cell_type, s.code`)
	if err != nil {
		return nil, fmt.Errorf("find standards: %w", err)
	}
	var out []*healthcell.Standard
	if err := eachRow(rows, func(rows *sql.Rows) error {
		s := &healthcell.Standard{}
		if err := rows.Scan(&s.ID, &s.Code, &s.Version, &s.Name, &s.CellType, &s.UnitKind, &s.TotalPoints, &s.CreatedBy, &s.CreatedAt, &s.Owner); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
