-- Comments through the real form, as bench/hot.py drives them with wrk.
--
--   wrk -t2 -c200 -d30s -s bench/wrk/submit.lua http://127.0.0.1:PORT -- /consultations/1 OUTDIR 5,6,7 TEXTS [PACE]
--
-- Each wrk thread first reads a page for its CSRF cookie and token, then posts comments, each with its
-- own one-time form token, phone number, client address (X-Forwarded-For, believed from 127.0.0.1
-- only) and a text picked from the file TEXTS, one a line (bench/grouping_data.py: copies of
-- campaigns with the edits people make, and comments of people's own). Every 303 to a receipt is an
-- acknowledged comment: its code goes to OUTDIR/receipts-<thread>.txt, for the check that each
-- acknowledged comment is stored once. PACE (milliseconds, default 0: as fast as the server answers)
-- is the mean wait of each connection between its comments: 200 connections with a pace of 180 ms
-- send about 1,100 a second, a steady surge rather than the most the machine can take.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local counter = 0
local token, cookie
local path, receipts, articles, texts
local pace = 0

local function urlencode(s)
  return (string.gsub(s, "([^%w%-%_%.%~])", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function pick(list)
  return list[math.random(#list)]
end

function init(args)
  path, receipts = args[1], io.open(args[2] .. "/receipts-" .. id .. ".txt", "w")
  articles = {}
  for article in string.gmatch(args[3] or "", "%d+") do
    table.insert(articles, article)
  end
  texts = {}
  for line in io.lines(args[4]) do
    table.insert(texts, line)
  end
  pace = tonumber(args[5] or "0")
  math.randomseed(os.time() * 100 + id * 7919)
end

function delay()
  -- Spread around the mean, so that the connections do not post in step.
  return pace * (0.5 + math.random())
end

function request()
  if not token then
    return wrk.format("GET", "/receipts")
  end
  counter = counter + 1
  local fields = {
    "csrf_token=" .. urlencode(token),
    "form_token=t" .. id .. "x" .. counter .. "x" .. math.random(100000000, 999999999),
    "body=" .. urlencode(pick(texts)),
    "category=citizen",
    "name=" .. urlencode("压测市民"),
    "phone=1" .. math.random(3, 9) .. string.format("%09d", math.random(0, 999999999)),
    "display_mode=masked",
  }
  if #articles > 0 and math.random() < 0.6 then
    table.insert(fields, "article_id=" .. pick(articles))
  end
  local address = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  return wrk.format("POST", path .. "/comments", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["X-Forwarded-For"] = address,
  }, table.concat(fields, "&"))
end

function response(status, headers, body)
  if not token then
    local set = headers["set-cookie"] or headers["Set-Cookie"] or ""
    local found = string.match(body, '"X%-CSRF%-Token": "([^"]+)"')
    if found and string.match(set, "consult_csrf=[^;]+") then
      token, cookie = found, string.match(set, "(consult_csrf=[^;]+)")
    end
    return
  end
  if status == 303 then
    local location = headers["location"] or headers["Location"] or ""
    local code = string.match(location, "/receipts/([^?]+)")
    if code then
      receipts:write(code, "\n")
      receipts:flush()
    end
  end
end
