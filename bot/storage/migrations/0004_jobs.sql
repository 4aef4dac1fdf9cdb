-- Durable timers: when each scheduled job last ran, so restarts neither repeat nor miss a run.
CREATE TABLE scheduled_jobs (
    key TEXT PRIMARY KEY,
    last_run TEXT NOT NULL   -- ISO 8601, UTC
);
