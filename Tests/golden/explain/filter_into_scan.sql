-- Conjuncts of WHERE go into the scan; the string is read as a timestamp at bind time.
SELECT actor, time FROM events
WHERE action = 'push' AND time >= '2024-04-12' AND status >= 400 + 4;
