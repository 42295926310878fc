-- A WHERE that folds to false leaves no scan at all.
SELECT actor FROM events WHERE 1 = 2 AND action = 'pull';
