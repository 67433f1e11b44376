-- PostgreSQL writers in parallel (issue 13, item 8): PostgreSQL's data
-- version became a sequence. SQLite has one writer at a time; its row
-- triggers still bump data_version.n inside the writing transaction, which
-- a reader sees only once the write has committed. Nothing changes here.
SELECT 1;
