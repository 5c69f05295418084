-- A recover run's schedule export (workflows' recovery::export): the recommended plan's changed legs and its
-- crew changes per member, as the CSV files `ucodts recover --schedule-out F.csv` writes; both hold their
-- header only when doing nothing is recommended. NULL for other kinds of run and for runs stored before.
ALTER TABLE runs ADD COLUMN schedule_csv TEXT;
ALTER TABLE runs ADD COLUMN crew_csv TEXT;
-- Monte Carlo replications a run completed (its progress steps in replication stages), for /metrics.
ALTER TABLE runs ADD COLUMN replications BIGINT;
-- A recover run's window (the result's window_start and window_end, ISO 8601 UTC ending in Z, so that text
-- order is time order): two accepted plans of runs whose windows overlap must not change the same tail,
-- flight or crew member.
ALTER TABLE runs ADD COLUMN window_start TEXT;
ALTER TABLE runs ADD COLUMN window_end TEXT;
