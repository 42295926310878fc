-- Two window specifications in one Window operator; a filter on a window result stays above.
SELECT * FROM (
  SELECT repository, time, lag(time) OVER (PARTITION BY repository ORDER BY time) AS previous,
         count(*) OVER (PARTITION BY actor ORDER BY time RANGE BETWEEN 1h PRECEDING AND CURRENT ROW) AS last_hour
  FROM events
) WHERE last_hour > 10 AND repository = 'web'
