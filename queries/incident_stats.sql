-- The loop measured: incidents created in [start, end) per service and environment, and over all of them (the row
-- with isTotal = 1): how many, how many resolved, mean time to repair (alert start -> resolution) and the median time
-- to root cause (alert start -> the first analysis that named an origin). An alert flood's followers share their
-- leader's analysis; each is still an incident of its own.
SELECT
    grouping(service, environment) != 0 AS isTotal,
    service,
    environment,
    count() AS count,
    countIf(durationSeconds IS NOT NULL) AS resolved,
    countIf(ttrc IS NOT NULL) AS rootCauseNamed,
    avgIf(durationSeconds, durationSeconds IS NOT NULL) AS mttrSeconds,
    medianExactIf(ttrc, ttrc IS NOT NULL) AS medianTimeToRootCauseSeconds
FROM
(
    SELECT
        Service AS service,
        JSONExtractString(Report, 'environment') AS environment,
        JSONExtract(Report, 'durationSeconds', 'Nullable(Float64)') AS durationSeconds,
        JSONExtract(Report, 'timeToRootCauseSeconds', 'Nullable(Float64)') AS ttrc
    FROM incidents FINAL
    WHERE ({service:String} = '' OR Service = {service:String})
      AND ({environment:String} = '' OR JSONExtractString(Report, 'environment') = {environment:String})
      AND CreatedAt >= fromUnixTimestamp64Milli({start:Int64})
      AND CreatedAt < fromUnixTimestamp64Milli({end:Int64})
)
GROUP BY GROUPING SETS ((service, environment), ())
ORDER BY isTotal DESC, count DESC, service, environment
