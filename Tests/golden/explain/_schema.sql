-- The tables the EXPLAIN cases run against: `events` as docs of the events table describe
-- it, and a small reference table.
CREATE TABLE events (time TIMESTAMP, provider VARCHAR, format VARCHAR, service VARCHAR, operation VARCHAR,
  action VARCHAR, registry VARCHAR, region VARCHAR, namespace VARCHAR, repository VARCHAR, tag VARCHAR,
  digest VARCHAR, actor VARCHAR, session VARCHAR, actor_type VARCHAR, account VARCHAR, credential VARCHAR,
  source_ip VARCHAR, network VARCHAR, user_agent VARCHAR, status INTEGER, success BOOLEAN, error VARCHAR,
  request_id VARCHAR, event_id VARCHAR, raw JSON);
CREATE TABLE allowlist (ip VARCHAR, owner VARCHAR, note VARCHAR);
