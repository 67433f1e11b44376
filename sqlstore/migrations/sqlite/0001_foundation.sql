CREATE TABLE divisions (
	code   TEXT PRIMARY KEY,
	name   TEXT NOT NULL,
	level  INTEGER NOT NULL,
	parent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX divisions_parent ON divisions (parent, code);

CREATE TABLE households (
	id           INTEGER PRIMARY KEY,
	number       TEXT NOT NULL,
	village_code TEXT NOT NULL REFERENCES divisions (code),
	grp          TEXT NOT NULL DEFAULT '',
	address      TEXT NOT NULL DEFAULT '',
	head_id      INTEGER,
	active       BOOLEAN NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL,
	UNIQUE (village_code, number)
);
-- Counting a village's (or township's) active households reads only this index.
CREATE INDEX households_village_active ON households (village_code, active);

CREATE TABLE persons (
	id           INTEGER PRIMARY KEY,
	household_id INTEGER NOT NULL REFERENCES households (id),
	village_code TEXT NOT NULL,
	name         TEXT NOT NULL,
	id_number    TEXT UNIQUE,
	sex          TEXT NOT NULL,
	birth_date   TEXT NOT NULL,
	relation     TEXT NOT NULL DEFAULT '',
	phone        TEXT NOT NULL DEFAULT '',
	registered   BOOLEAN NOT NULL DEFAULT 1,
	resident     BOOLEAN NOT NULL DEFAULT 1,
	status       TEXT NOT NULL DEFAULT 'active',
	status_date  TEXT NOT NULL DEFAULT '',
	version      INTEGER NOT NULL DEFAULT 1,
	created_at   TIMESTAMP NOT NULL,
	updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX persons_village ON persons (village_code, status);
-- (household_id, status) answers a household's active member count from the
-- index alone: the count is a column of every household list row.
CREATE INDEX persons_household ON persons (household_id, status);
CREATE INDEX persons_name ON persons (name);

-- Live counts per village, kept in the same transaction as every write.
CREATE TABLE village_stats (
	village_code TEXT PRIMARY KEY,
	households   INTEGER NOT NULL DEFAULT 0,
	persons      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,
	role          TEXT NOT NULL,
	scope         TEXT NOT NULL,
	unit          TEXT NOT NULL DEFAULT '',
	department    TEXT NOT NULL DEFAULT '',
	disabled      BOOLEAN NOT NULL DEFAULT 0,
	version       INTEGER NOT NULL DEFAULT 1,
	created_at    TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
	token  TEXT PRIMARY KEY,
	data   BLOB NOT NULL,
	expiry TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        TIMESTAMP NOT NULL,
	user_id   INTEGER NOT NULL DEFAULT 0,
	username  TEXT NOT NULL,
	action    TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	division  TEXT NOT NULL DEFAULT '',
	before    TEXT NOT NULL DEFAULT '',
	after     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_username ON audit_log (username);
CREATE INDEX audit_division ON audit_log (division);
