-- Surveys the county writes and the public quiz (issue 15): how each
-- questionnaire is published, and public (self-selected) responses.
--
-- surveys: one row per questionnaire code that is published or written on
-- the web. kind: quiz, awareness (政策知晓), satisfaction (满意度), knowledge
-- (知识与行为), literacy; channel: officer (entered by officers), public
-- (answered by residents through the village's QR code) or both; closed stops
-- public answers.
CREATE TABLE surveys (
	code       TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	channel    TEXT NOT NULL,
	closed     BOOLEAN NOT NULL DEFAULT FALSE,
	updated_by TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

-- A public response: channel 'public', an optional phone (only when given),
-- the token of its shareable result page, and the digest of (client, answers)
-- that drops a repeat within minutes.
ALTER TABLE questionnaire_responses ADD COLUMN channel TEXT NOT NULL DEFAULT 'officer';
ALTER TABLE questionnaire_responses ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE questionnaire_responses ADD COLUMN token TEXT;
ALTER TABLE questionnaire_responses ADD COLUMN digest TEXT;
CREATE UNIQUE INDEX questionnaire_responses_token ON questionnaire_responses (token) WHERE token IS NOT NULL;
CREATE INDEX questionnaire_responses_digest ON questionnaire_responses (digest, created_at) WHERE digest IS NOT NULL;
