package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// DisplayNames returns the display names of the accounts with the given
// usernames, by username; accounts without one, and usernames no account
// has (the system, a removed account), are left out. Pages show the names
// of the people who acted (a township checker on a village's page), not the
// accounts' login names, so the lookup is not limited to the caller's scope:
// a display name is no personal data. It returns the store's error.
func (db *DB) DisplayNames(ctx context.Context, usernames []string) (map[string]string, error) {
	out := map[string]string{}
	seen := map[string]bool{}
	var args []any
	var marks []string
	for _, u := range usernames {
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		args = append(args, u)
		marks = append(marks, fmt.Sprintf("$%d", len(args)))
	}
	if len(args) == 0 {
		return out, nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT username, display_name FROM users WHERE username IN (`+strings.Join(marks, ", ")+`) AND display_name <> ''`, args...)
	if err != nil {
		return nil, fmt.Errorf("display names: %w", err)
	}
	if err := eachRow(rows, func(rows *sql.Rows) error {
		var u, d string
		if err := rows.Scan(&u, &d); err != nil {
			return err
		}
		out[u] = d
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}
