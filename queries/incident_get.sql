-- The newest version of one incident.
SELECT Report AS report
FROM incidents FINAL
WHERE Id = {id:String}
LIMIT 1
