package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/password"
)

const userColumns = `id, username, display_name, role, scope, unit, department, disabled, version, created_at, password_gen`

func scanUser(row interface{ Scan(...any) error }) (*healthcell.User, string, error) {
	u := &healthcell.User{}
	var hash string
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.Scope, &u.Unit, &u.Department, &u.Disabled,
		&u.Version, &u.CreatedAt, &u.PasswordGen, &hash)
	return u, hash, err
}

func (db *DB) userByName(ctx context.Context, q queryer, username string) (*healthcell.User, string, error) {
	u, hash, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE username = $1`, username))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", notFound("user")
	}
	if err != nil {
		return nil, "", fmt.Errorf("find user %q: %w", username, err)
	}
	return u, hash, nil
}

// manageable returns ENOTFOUND unless the actor may manage u
// (Actor.CanManageUser).
func manageable(a *healthcell.Actor, u *healthcell.User) error {
	if !a.CanManageUser(u) {
		return notFound("user")
	}
	return nil
}

// CreateUser validates u and stores it with password hashed, in one audited
// transaction. It returns EINVALID for bad fields, a short password or a
// scope the caller does not cover; ECONFLICT when the username is taken;
// EFORBIDDEN when the caller may not manage users.
func (db *DB) CreateUser(ctx context.Context, u *healthcell.User, pw string) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if !a.CanManageUsers() {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	u.Scope = healthcell.NormalizeCode(u.Scope)
	var fe []healthcell.FieldError
	if err := u.Validate(); err != nil {
		fe = append(fe, healthcell.ErrorFields(err)...)
	}
	if len([]rune(pw)) < healthcell.MinPasswordLen {
		fe = append(fe, healthcell.FieldError{Field: "password", Message: "user.password.short"})
	}
	if u.Scope != "" && !a.CoversDivision(u.Scope) {
		fe = append(fe, healthcell.FieldError{Field: "scope", Message: "division.out_of_scope", Value: u.Scope})
	} else if u.Role.Valid() && u.Scope != "" && !a.CanManageUser(u) {
		fe = append(fe, healthcell.FieldError{Field: "role", Message: "user.role.upper_only", Value: string(u.Role)})
	}
	u.Department = strings.TrimSpace(u.Department)
	switch {
	case u.Role != healthcell.RoleDepartment:
		u.Department = ""
	case u.Department == "":
		fe = append(fe, healthcell.FieldError{Field: "department", Message: "user.department.required"})
	case len([]rune(u.Department)) > 40:
		fe = append(fe, healthcell.FieldError{Field: "department", Message: "field.too_long"})
	}
	if err := healthcell.Invalid(fe); err != nil {
		return err
	}
	hash, err := password.Hash(pw, db.PasswordParams)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		if err := tx.checkUserUnit(ctx, u); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM divisions WHERE code = $1`, u.Scope).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return healthcell.Invalid([]healthcell.FieldError{{Field: "scope", Message: "division.unknown", Value: u.Scope}})
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1`, u.Username).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &healthcell.Error{Code: healthcell.ECONFLICT, Message: "user.username.taken",
				Fields: []healthcell.FieldError{{Field: "username", Message: "user.username.taken", Value: u.Username}}}
		}
		u.Version, u.CreatedAt = 1, tx.now
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, password_hash, role, scope, unit, department, disabled, version, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9) RETURNING id`,
			u.Username, u.DisplayName, hash, u.Role, u.Scope, u.Unit, u.Department, u.Disabled, tx.now).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		return tx.audit(ctx, "create", "user", u.Username, "", nil, u)
	})
}

// FindUsers returns the users the caller may manage (Actor.CanManageUser), by
// username; EFORBIDDEN when the caller may not manage users.
func (db *DB) FindUsers(ctx context.Context) ([]*healthcell.User, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !a.CanManageUsers() {
		return nil, healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	q := `SELECT ` + userColumns + `, password_hash FROM users`
	var args []any
	if !a.System {
		lo, hi := healthcell.CodeRange(a.Scope)
		q += ` WHERE scope BETWEEN $1 AND $2`
		args = append(args, lo, hi)
	}
	rows, err := db.r.QueryContext(ctx, q+` ORDER BY username`, args...)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	var out []*healthcell.User
	if err := eachRow(rows, func(rows *sql.Rows) error {
		u, _, err := scanUser(rows)
		if err != nil {
			return err
		}
		if a.CanManageUser(u) {
			out = append(out, u)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// FindUserByUsername returns the user when the caller may manage it, or the
// caller's own account; ENOTFOUND otherwise.
func (db *DB) FindUserByUsername(ctx context.Context, username string) (*healthcell.User, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	u, _, err := db.userByName(ctx, db.r, username)
	if err != nil {
		return nil, err
	}
	if u.Username != a.Username {
		if err := manageable(a, u); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// UserByID returns an enabled user by id for session checks; ENOTFOUND when
// the user does not exist or is disabled. It takes no actor: it is how the
// actor is found. Users are cached briefly (user_cache.go).
func (db *DB) UserByID(ctx context.Context, id int64) (*healthcell.User, error) {
	now := db.Now()
	u, gen := db.users.get(id, now)
	if u == nil {
		var err error
		u, _, err = scanUser(db.r.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("user")
		}
		if err != nil {
			return nil, fmt.Errorf("find user %d: %w", id, err)
		}
		db.users.put(u, now, gen)
	}
	if u.Disabled {
		return nil, notFound("user")
	}
	return u, nil
}

// SetPassword replaces the password of a user the caller manages (or its
// own) and moves its password generation, which ends the user's sessions
// (web/middleware.go). It returns EINVALID when the password is too short, ENOTFOUND for
// no such user in the caller's scope or one the caller may not manage.
func (db *DB) SetPassword(ctx context.Context, username, pw string) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if len([]rune(pw)) < healthcell.MinPasswordLen {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "password", Message: "user.password.short"}})
	}
	u, err := db.FindUserByUsername(ctx, username)
	if err != nil {
		return err
	}
	if u.ID != a.UserID {
		if err := manageable(a, u); err != nil {
			return err
		}
	}
	return db.setPassword(ctx, u, pw)
}

// ChangeOwnPassword replaces the caller's own password when current is the
// password it has now. It returns EINVALID on the field current_password for
// a wrong current password, on password for a short new one.
func (db *DB) ChangeOwnPassword(ctx context.Context, current, pw string) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if a.System || a.UserID == 0 {
		return healthcell.Errorf(healthcell.EFORBIDDEN, "error.forbidden")
	}
	u, hash, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE id = $1`, a.UserID))
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("user")
	}
	if err != nil {
		return fmt.Errorf("find user: %w", err)
	}
	if ok, err := password.Verify(current, hash); err != nil || !ok {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "current_password", Message: "user.password.wrong"}})
	}
	if len([]rune(pw)) < healthcell.MinPasswordLen {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "password", Message: "user.password.short"}})
	}
	return db.setPassword(ctx, u, pw)
}

// setPassword stores pw's hash for u and moves its password generation,
// audited.
func (db *DB) setPassword(ctx context.Context, u *healthcell.User, pw string) error {
	hash, err := password.Hash(pw, db.PasswordParams)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_gen = password_gen + 1, version = version + 1 WHERE id = $2`,
			hash, u.ID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		return tx.audit(ctx, "passwd", "user", u.Username, "", nil, nil)
	})
}

// SetDisabled disables or enables a user the caller manages; a disabled
// user's sessions stop working on their next request. ENOTFOUND for no such
// user, EINVALID for disabling oneself.
func (db *DB) SetDisabled(ctx context.Context, username string, disabled bool) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	u, _, err := db.userByName(ctx, db.r, username)
	if err != nil {
		return err
	}
	if err := manageable(a, u); err != nil {
		return err
	}
	if u.ID == a.UserID && disabled {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "username", Message: "user.disable.self"}})
	}
	return db.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1, version = version + 1 WHERE id = $2`, disabled, u.ID); err != nil {
			return fmt.Errorf("set disabled: %w", err)
		}
		before := *u
		u.Disabled = disabled
		return tx.audit(ctx, "disable", "user", u.Username, "", &before, u)
	})
}

// Authenticate returns the enabled user whose password matches. A wrong
// password, an unknown user and a disabled user all return the same
// EUNAUTHORIZED so that usernames cannot be probed.
func (db *DB) Authenticate(ctx context.Context, username, pw string) (*healthcell.User, error) {
	bad := healthcell.Errorf(healthcell.EUNAUTHORIZED, "login.failed")
	u, hash, err := db.userByName(ctx, db.r, strings.TrimSpace(username))
	if healthcell.ErrorCode(err) == healthcell.ENOTFOUND {
		password.Verify(pw, dummyHash) // spend the same time as for a real user
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	ok, err := password.Verify(pw, hash)
	if err != nil || !ok || u.Disabled {
		return nil, bad
	}
	return u, nil
}

// dummyHash is verified against for unknown usernames.
var dummyHash, _ = password.Hash("not a password", password.Default)

// checkUserUnit requires a unit contact's unit to exist inside the user's
// scope, and clears the unit of any other role. EINVALID on field unit.
func (tx *Tx) checkUserUnit(ctx context.Context, u *healthcell.User) error {
	if u.Role != healthcell.RoleUnit {
		u.Unit = ""
		return nil
	}
	bad := healthcell.Invalid([]healthcell.FieldError{{Field: "unit", Message: "unit.not_found", Value: u.Unit}})
	id, err := strconv.ParseInt(u.Unit, 10, 64)
	if err != nil {
		return bad
	}
	unit, err := findUnit(ctx, tx, id)
	if err != nil || !healthcell.Covers(u.Scope, unit.Division) {
		return bad
	}
	return nil
}
