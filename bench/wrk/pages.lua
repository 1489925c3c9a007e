-- A page with a query parameter that changes per request, picked from a list (bench/hot.py):
--
--   wrk ... -s bench/wrk/pages.lua http://127.0.0.1:PORT -- /consultations/1 article 5,6,7
local path, name, values

function init(args)
  path, name, values = args[1], args[2], {}
  for value in string.gmatch(args[3] or "", "[^,]+") do
    table.insert(values, value)
  end
  math.randomseed(os.time())
end

function request()
  return wrk.format("GET", path .. "?" .. name .. "=" .. values[math.random(#values)])
end
