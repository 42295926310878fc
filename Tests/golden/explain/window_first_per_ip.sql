-- The first event of each address: a Window under the QUALIFY filter, and a WHERE on the
-- partition key that goes into the scan below the window.
SELECT source_ip, time, action FROM events WHERE source_ip LIKE '10.%'
QUALIFY row_number() OVER (PARTITION BY source_ip ORDER BY time) = 1
