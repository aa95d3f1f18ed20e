-- wrk script for bench/bench_api.py. Arguments (after --): mode, bodies file, thread count.
--   echo:   POST /echo with a small JSON body (the framework's ceiling, on the echo server)
--   logins: POST /api/v1/unis/logins with pre-signed bodies, one per line of the file
--   pairs:  alternately POST /api/v1/unis/challenges and a pre-signed login
--   challenges: POST /api/v1/unis/challenges only (no database, no signature: our per-request overhead)
--   get:    GET the path given instead of a bodies file (a CRL at its distribution point)
--   ocsp:   POST /ocsp with the DER OCSPRequest in the file given instead of a bodies file
-- In the echo, get and ocsp modes a 200 counts as accepted (bench_api checks one answer of each beforehand).
-- Each thread takes every n-th line of the file. When a thread has used all its bodies it stops
-- (wrk.thread:stop), so no login is ever replayed; the active window is timed here with
-- clock_gettime (wrk's own duration counts the whole -d) and printed by done() as one JSON line, with the
-- latency distribution of every request of the phase.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } kz_timespec;
  int clock_gettime(int clock_id, kz_timespec *tp);
]]
local ts = ffi.new("kz_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local headers = { ["Content-Type"] = "application/json" }
local bodies, position, mode, challenge_next
local fixed_request, challenge_request

function init(args)
  mode = args[1]
  local path, count = args[2], tonumber(args[3])
  bodies, position, challenge_next = {}, 1, mode == "pairs"
  accepted, refused, challenges, other, started, last = 0, 0, 0, 0, 0, 0
  fixed_request = wrk.format("POST", "/echo", headers, '{"challenge_id":"bench","ping":1}')
  challenge_request = wrk.format("POST", "/api/v1/unis/challenges", headers, "")
  if mode == "get" then
    fixed_request = wrk.format("GET", path)
  elseif mode == "ocsp" then
    local file = assert(io.open(path, "rb"))
    fixed_request = wrk.format("POST", "/ocsp", { ["Content-Type"] = "application/ocsp-request" }, file:read("*a"))
    file:close()
  elseif mode ~= "echo" and mode ~= "challenges" then
    local n = 0
    for line in io.lines(path) do
      if n % count == id then
        table.insert(bodies, wrk.format("POST", "/api/v1/unis/logins", headers, line))
      end
      n = n + 1
    end
  end
end

function request()
  if started == 0 then
    started = now()
  end
  if mode == "echo" or mode == "get" or mode == "ocsp" then
    return fixed_request
  end
  if mode == "challenges" then
    return challenge_request
  end
  if challenge_next or position > #bodies then
    challenge_next = false
    return challenge_request
  end
  challenge_next = mode == "pairs"
  local body = bodies[position]
  position = position + 1
  return body
end

function response(status, _, body)
  last = now()
  if mode == "echo" or mode == "get" or mode == "ocsp" then
    if status == 200 then accepted = accepted + 1 else other = other + 1 end
  elseif status == 201 then
    challenges = challenges + 1
  elseif status == 200 and string.find(body, '"decision": *"accepted"') then
    accepted = accepted + 1
  elseif status == 200 then
    refused = refused + 1
  else
    other = other + 1
  end
  if (mode == "logins" or mode == "pairs") and position > #bodies then
    wrk.thread:stop()
  end
end

function done(summary, latency, _)
  local totals = { accepted = 0, refused = 0, challenges = 0, other = 0, started = nil, last = 0 }
  for _, thread in ipairs(threads) do
    for _, key in ipairs({ "accepted", "refused", "challenges", "other" }) do
      totals[key] = totals[key] + thread:get(key)
    end
    local s, l = thread:get("started"), thread:get("last")
    if s > 0 and (totals.started == nil or s < totals.started) then totals.started = s end
    if l > totals.last then totals.last = l end
  end
  -- the whole latency distribution (microseconds, count), so that slices of a phase merge exactly
  local distribution = {}
  for i = 1, #latency do
    local value, count = latency(i)
    distribution[i] = string.format("[%d,%d]", value, count)
  end
  io.write(string.format(
    'WRK-RESULT {"mode":"%s","accepted":%d,"refused":%d,"challenges":%d,"other":%d,' ..
    '"seconds":%.6f,"requests":%d,"socket_errors":%d,"latency_us":[%s]}\n',
    mode, totals.accepted, totals.refused, totals.challenges, totals.other,
    totals.last - (totals.started or totals.last), summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(distribution, ",")))
end
