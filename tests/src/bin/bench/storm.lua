-- wrk's script for the sign-up storm (storm.rs writes it beside the report and runs
-- `wrk -s storm.lua URL -- COOKIES MODE`). MODE "answer": every request is a family changing its
-- answer — in person with 1 or 2 people, online or not coming — so seats are given back and the
-- waitlist moves; each wrk thread takes its own share of the families (one `Cookie` line each in
-- COOKIES) in turn, round after round. MODE "health": `GET /api/health`, the baseline.
-- `done` prints one JSON line that storm.rs reads.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local cookies = {}
local mode = "answer"
local step = 1
local next_family = 1
local round = 0
local bodies = {
  '{"answer":"in_person","people":1}',
  '{"answer":"in_person","people":2}',
  '{"answer":"online","people":1}',
  '{"answer":"absent","people":0}',
}
-- Out of ten answers: four in person alone, three in person with two, two online, one absent.
local pick = { 1, 1, 1, 1, 2, 2, 2, 3, 3, 4 }

function init(args)
  mode = args[2] or "answer"
  if mode == "health" then
    wrk.method = "GET"
    wrk.path = "/api/health"
    return
  end
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(cookies, line)
    end
  end
  -- `id` and the thread count come from setup; threads start at different families.
  step = tonumber(args[3]) or 1
  next_family = id + 1
end

function request()
  if mode == "health" then
    return wrk.request()
  end
  local family = next_family
  next_family = next_family + step
  if next_family > #cookies then
    next_family = id + 1
    round = round + 1
  end
  local body = bodies[pick[(family * 7 + round * 3) % 10 + 1]]
  return wrk.format("PUT", "/api/family/answer", {
    ["Cookie"] = cookies[family],
    ["Content-Type"] = "application/json",
  }, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
