-- A migration in plain SQL, compiled into the same executable as the C++ ones and run in the
-- same order (by name). Each section runs in a transaction; statements end with a semicolon.

-- migrate:up
CREATE TABLE "audit_log" (
  "id" bigserial PRIMARY KEY,
  "account_id" integer NOT NULL REFERENCES "accounts" ("id") ON DELETE CASCADE,
  "action" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX "audit_log_account_id_index" ON "audit_log" ("account_id");

-- migrate:down
DROP TABLE "audit_log";
