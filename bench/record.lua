-- wrk script: POST a detainer contact to /api/v1/contacts (the server decides
-- it, records it, opens its obligations and appends the audit entry, durable
-- before the 201). The bearer token comes from the environment:
-- TOKEN=tgt_… wrk -s bench/record.lua … (bench/records.sh does all of it).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = [[{"kind": "detainer", "channel": "fax", "receiving_unit": "district-4",
 "scenario": {"place": "cambridge", "date": "2026-03-01",
   "facts": {"department": "police", "requester": "ice-ero", "custody": "in-police-custody",
     "documents": ["detainer-hold", "i-200"], "other-custody-basis": false},
   "acts": {"detain": true, "transfer-to-ice": true}},
 "acts_done": []}]]

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("requests: %d, non-2xx or socket errors: %d\n", summary.requests, errors))
  io.write(string.format("latency p50 %.0f us, p99 %.0f us\n", latency:percentile(50), latency:percentile(99)))
end
