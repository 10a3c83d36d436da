-- The instance whose claim on one analysis of an incident came first, among claims of the last {leaseSeconds}
-- seconds (an instance that died holding a claim loses it then).
SELECT Instance AS instance
FROM analysis_claims
WHERE IncidentId = {incidentId:String}
  AND Kind = {kind:String}
  AND At > now64(6) - toIntervalSecond({leaseSeconds:UInt32})
ORDER BY At, Instance
LIMIT 1
