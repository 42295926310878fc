-- A comma join with an equality in WHERE becomes an inner join on it; one-sided filters move down.
SELECT e.actor, a.owner FROM events e, allowlist a
WHERE e.source_ip = a.ip AND a.note = 'ci' AND e.action = 'pull';
