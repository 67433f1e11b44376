-- Idempotency keys (issue 16): the first answer to a create sent with a
-- key, per user, so that a retried upload from a phone never makes two
-- records. status 0 marks a request still running (reserved).
CREATE TABLE idempotency_keys (
	user_id     INTEGER NOT NULL REFERENCES users (id),
	idem_key    TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	status      INTEGER NOT NULL DEFAULT 0,
	body        TEXT NOT NULL DEFAULT '',
	created_at  BIGINT NOT NULL, -- Unix seconds
	PRIMARY KEY (user_id, idem_key)
);
