-- wrk script: POST one typical scenario (ICE phones about a person in custody,
-- seven fields) to /api/v1/decisions. Usage: see BENCHMARKS.md.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"place": "cambridge", "date": "2026-03-01",
 "facts": {"requester": "ice-ero", "department": "police", "custody": "in-police-custody",
   "arrested": true, "age-group": "adult", "separate-log": false,
   "operation-purpose": "civil-immigration", "documents": ["notification-request"]},
 "acts": {"disclose": ["release-date", "incarceration-status", "home-address",
   "immigration-status", "hearing-information", "length-of-detention", "charges"]}}]]

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("requests: %d, non-2xx or socket errors: %d\n", summary.requests, errors))
  io.write(string.format("latency p50 %.0f us, p99 %.0f us\n", latency:percentile(50), latency:percentile(99)))
end
