-- Personal API tokens (issue 13 item 6): a user's own bearer tokens for
-- integrations. Only the SHA-256 of the token is stored (hex); the token
-- itself is shown once, when created. A revoked token stays for the record.
CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id),
	name         TEXT NOT NULL,
	hash         TEXT NOT NULL UNIQUE,
	created_at   TIMESTAMP NOT NULL,
	last_used_at TIMESTAMP,
	revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
