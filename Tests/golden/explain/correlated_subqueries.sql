-- Correlated subqueries as the subquery passes plan them: an equality with the outer row
-- decorrelates (keyed by the outer side), an inequality with a correlated equality on a scan
-- is partitioned, anything else runs per outer value.
SELECT a.owner,
       (SELECT count(*) FROM events e WHERE e.actor = a.owner) AS events,
       (SELECT count(*) FROM events e WHERE e.actor = a.owner AND e.repository > a.note) AS later,
       (SELECT max(e.time) FROM events e WHERE e.actor < a.owner) AS before
FROM allowlist a;
