-- Public health-knowledge articles (issue 15): written by a county office,
-- shown on the public pages of the county and its villages from publish_at
-- (NULL: a draft) until withdraw_at (NULL: no end). body is Markdown of a
-- small safe subset, rendered by the web layer; it is never stored as HTML.
CREATE TABLE articles (
	id          INTEGER PRIMARY KEY,
	county      TEXT NOT NULL REFERENCES divisions (code),
	category    TEXT NOT NULL,
	title       TEXT NOT NULL,
	summary     TEXT NOT NULL DEFAULT '',
	body        TEXT NOT NULL,
	publish_at  TIMESTAMP,
	withdraw_at TIMESTAMP,
	version     INTEGER NOT NULL DEFAULT 1,
	created_by  TEXT NOT NULL,
	updated_by  TEXT NOT NULL,
	created_at  TIMESTAMP NOT NULL,
	updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX articles_county ON articles (county, publish_at);

-- Pictures of an article, resized before they are stored (the bytes live
-- in evidence_blobs, shared by hash).
CREATE TABLE article_images (
	id          INTEGER PRIMARY KEY,
	article_id  INTEGER NOT NULL REFERENCES articles (id),
	sha256      TEXT NOT NULL REFERENCES evidence_blobs (sha256),
	name        TEXT NOT NULL,
	uploaded_by TEXT NOT NULL,
	uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX article_images_article ON article_images (article_id);
