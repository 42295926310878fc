-- UNION is DISTINCT over UNION ALL; an IN subquery is planned on its own.
SELECT actor FROM events WHERE repository IN (SELECT repository FROM events WHERE action = 'delete')
UNION SELECT owner FROM allowlist;
