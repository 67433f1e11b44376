-- A user's password generation: it goes up with every password change. A
-- session remembers the generation it logged in with, and ends when it no
-- longer matches (a changed password logs the account out everywhere else).
ALTER TABLE users ADD COLUMN password_gen INTEGER NOT NULL DEFAULT 0;
