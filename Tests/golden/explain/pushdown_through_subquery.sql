-- A filter on a subquery's output moves into the subquery's scan; unused columns are pruned.
SELECT a FROM (SELECT action AS a, actor AS b, status FROM events) t WHERE t.status = 404 AND a <> 'pull';
