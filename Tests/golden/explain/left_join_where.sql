-- WHERE on the right side of a LEFT JOIN stays above the join; the left side's filter moves down.
SELECT e.source_ip FROM events e LEFT JOIN allowlist a ON e.source_ip = a.ip AND a.owner <> 'ci'
WHERE a.ip IS NULL AND e.network = 'internet';
