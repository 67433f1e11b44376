package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/healthcell/healthcell"
)

// NamingCandidates lists the units in the sampling's state (recommended) in
// the caller's scope whose title the caller's office names, by cell type:
// every cell type waiting with its count, and the units of cellType (the
// first waiting, in name order, when "" or not waiting), oldest first, at
// most MaxNamingBatch, each with its county and the open batch holding it.
// Errors: EFORBIDDEN "naming.batch.forbidden" for anyone but the sampling
// roles of an office above the county; the storage's.
func (db *DB) NamingCandidates(ctx context.Context, cellType string) (*healthcell.NamingCandidates, error) {
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	m, s, level, err := db.samplingOffice(actor)
	if err != nil {
		return nil, err
	}
	lo, hi := healthcell.CodeRange(actor.Scope)
	out := &healthcell.NamingCandidates{Percent: s.Percent}
	rows, err := db.r.QueryContext(ctx, `SELECT t.cell_type, COUNT(*) FROM applications a JOIN standards t ON t.id = a.standard_id
		WHERE a.division BETWEEN $1 AND $2 AND a.state = $3 GROUP BY t.cell_type ORDER BY t.cell_type`, lo, hi, s.From)
	if err != nil {
		return nil, fmt.Errorf("naming candidates: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var c healthcell.CellTypeCount
		if err := rows.Scan(&c.CellType, &c.Units); err != nil {
			return err
		}
		if m.NamingLevel(c.CellType) == level {
			out.CellTypes = append(out.CellTypes, c)
			if c.CellType == cellType || out.CellType == "" {
				out.CellType = c.CellType
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if out.CellType == "" {
		return out, nil
	}
	rows, err = db.r.QueryContext(ctx, `SELECT a.id, a.unit_name, a.division, COALESCE(c.name, ''), a.updated_at,
		COALESCE((SELECT MAX(b.id) FROM naming_batch_members nm JOIN naming_batches b ON b.id = nm.batch_id
			WHERE nm.application_id = a.id AND b.state = 'sampling'), 0)
		FROM applications a JOIN standards t ON t.id = a.standard_id
		LEFT JOIN divisions c ON c.code = substr(a.division, 1, 6) || '000000'
		WHERE a.division BETWEEN $1 AND $2 AND a.state = $3 AND t.cell_type = $4
		ORDER BY a.updated_at, a.id LIMIT $5`, lo, hi, s.From, out.CellType, healthcell.MaxNamingBatch)
	if err != nil {
		return nil, fmt.Errorf("naming candidates: %w", err)
	}
	err = eachRow(rows, func(rows *sql.Rows) error {
		u := &healthcell.NamingCandidate{}
		if err := rows.Scan(&u.ApplicationID, &u.UnitName, &u.Division, &u.CountyName, &u.Since, &u.OpenBatch); err != nil {
			return err
		}
		out.Units = append(out.Units, u)
		return nil
	})
	return out, err
}
