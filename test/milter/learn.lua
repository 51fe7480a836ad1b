-- learn.lua - the milter and the learner: --learn may run while the
-- milter has state_db open; the milter goes on with its snapshot until
-- SIGUSR1, then a new connection is weighed with what was learned (the
-- rule "learned" in X-Abuse-Rule).
dofile(os.getenv("ABUSE_LIBDIR") .. "/lib.lua")

-- a copy of the test configuration with a state_db (and a spool) of its
-- own, so the other scripts never see learned data or our replies
local dir = T.tmp .. "/learn"
os.execute("mkdir -p '" .. dir .. "/z' '" .. dir .. "/p'")
local conf = dir .. "/learn.conf"
do
	local f = assert(io.open(T.conf, "rb"))
	local text = f:read("*a")
	f:close()
	text = text:gsub("\nstate_db = [^\n]*", "\nstate_db = " .. dir ..
		"/state/state.db")
	text = text:gsub("\nspool_dir = [^\n]*", "\nspool_dir = " .. dir ..
		"/spool")
	-- a learner strong enough to decide on its own: the mechanism is
	-- tested here, not the shipped weight
	text = text:gsub("\n    weight = [0-9.]+", "\n    weight = 6")
	f = assert(io.open(conf, "wb"))
	f:write(text)
	f:close()
end

local zorb = "zorbix quantelle frobnicate wibbleton the zorbix matter again"
local plim = "plimsoll vortigern blathery cromulent embiggen the plimsoll case"
local function put(path, id, words)
	local f = assert(io.open(path, "wb"))
	f:write("From: someone@mail" .. id .. ".example.net\n" ..
		"Subject: note " .. id .. "\nMessage-ID: <" .. id ..
		"@learn.test>\n\n" .. words .. "\nnumber " .. id .. " of them.\n")
	f:close()
end
for i = 1, 12 do
	put(string.format("%s/z/%02d.eml", dir, i), "z" .. i, zorb)
	put(string.format("%s/p/%02d.eml", dir, i), "p" .. i, plim)
end

local function weigh(conn)
	T.envelope(conn, "<reporter@example.net>", {"<abuse@example.org>"})
	T.message(conn, {{"From", "reporter@example.net"},
		{"Subject", "a question"}},
		"A question: zorbix quantelle frobnicate wibbleton, again.\r\n")
	return mt.getheader(conn, "X-Abuse-Category", 0),
		mt.getheader(conn, "X-Abuse-Rule", 0)
end

local first = T.start(conf)
local cat, rule = weigh(first)
T.check(cat == "other" and rule == "default", "nothing learned: the rules")

local rc1 = os.execute("'" .. T.bin .. "' -c '" .. conf .. "' --learn dmca '" ..
	dir .. "/z' > /dev/null")
local rc2 = os.execute("'" .. T.bin .. "' -c '" .. conf .. "' --learn spam '" ..
	dir .. "/p' > /dev/null")
T.check((rc1 == true or rc1 == 0) and (rc2 == true or rc2 == 0),
	"--learn while the milter runs: exit 0")

local second = mt.connect(T.sock, 20, 0.1)
cat = weigh(second)
T.check(cat == "other", "learned but not reloaded: the snapshot of the start")

mt.signal(10)	-- SIGUSR1
mt.sleep(1)
local third = mt.connect(T.sock, 20, 0.1)
cat, rule = weigh(third)
T.check(cat == "dmca" and rule == "learned",
	"after SIGUSR1: weighed with what was learned (" .. tostring(cat) ..
	", " .. tostring(rule) .. ")")

mt.disconnect(first)
mt.disconnect(second)
mt.disconnect(third)
T.done()
