-- rotate.lua — wrk script for tests/load/web-load.sh and bench/run.sh:
-- every request carries the session cookie (MERIT_COOKIE); they rotate
-- between the dashboard and the scorecards of p01..pN (MERIT_PEOPLE) for
-- MERIT_PERIOD.  MERIT_ONLY=scorecard asks for scorecards only.
local cookie = os.getenv("MERIT_COOKIE") or ""
local period = os.getenv("MERIT_PERIOD") or "2026-11"
local people = tonumber(os.getenv("MERIT_PEOPLE") or "50")
local only = os.getenv("MERIT_ONLY") or ""
local i = 0

wrk.headers["Cookie"] = cookie

request = function()
	i = i + 1
	if only ~= "scorecard" and i % 2 == 0 then
		return wrk.format("GET", "/api/dashboard?period=" .. period)
	end
	local n = math.floor(i / 2) % people + 1
	return wrk.format("GET", string.format("/api/scorecard?period=%s&login=p%02d", period, n))
end
