-- IN, NOT IN and NOT EXISTS in WHERE as semi and anti hash joins (pass semi_joins): the
-- subquery's plan is the join's build side; NOT IN's join is NULL-aware.
SELECT e.actor, count(*) AS n
FROM events e
WHERE e.action = 'pull'
  AND e.source_ip IN (SELECT ip FROM allowlist)
  AND e.repository NOT IN (SELECT note FROM allowlist WHERE note IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM allowlist a WHERE a.owner = e.actor)
GROUP BY e.actor;
