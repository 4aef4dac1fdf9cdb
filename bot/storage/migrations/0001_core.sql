-- Core tables: the audit log of every change made by a person or a job.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,               -- ISO 8601, UTC
    actor TEXT NOT NULL,            -- "discord:<user id>", "cli", "scheduler"
    action TEXT NOT NULL,           -- e.g. "roster.import"
    detail TEXT NOT NULL DEFAULT '' -- JSON or short text; never personal data beyond ids
);
CREATE INDEX audit_log_at ON audit_log(at);
