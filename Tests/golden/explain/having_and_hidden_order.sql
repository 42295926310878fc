-- HAVING over an aggregate stays above it; a filter on a group key moves below; ORDER BY an
-- aggregate not in the select list rides along as a hidden column.
SELECT action FROM events GROUP BY action HAVING count(*) > 10 AND action <> 'pull'
ORDER BY max(time) DESC LIMIT 5;
