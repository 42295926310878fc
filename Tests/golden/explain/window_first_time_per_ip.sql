-- The first time of each address on every row: an aggregate over the whole partition, run
-- as a grouped aggregate on the partition key with no sort; beside it a sorted window.
SELECT source_ip, time, min(time) OVER (PARTITION BY source_ip) AS first_seen,
       count(*) OVER () AS total, lag(time) OVER (PARTITION BY source_ip ORDER BY time) AS previous
FROM events
