-- reload.lua - SIGUSR1 reloads the configuration: new connections get
-- the new rules, a connection already open keeps the rules it started
-- with, and a broken file is refused while the old rules stay.
dofile(os.getenv("ABUSE_LIBDIR") .. "/lib.lua")
local path = os.getenv("ABUSE_RELOAD_CONF")
local function rewrite(from, to)
	local f = assert(io.open(path, "rb"))
	local text = f:read("*a")
	f:close()
	text = text:gsub(from, to)
	f = assert(io.open(path, "wb"))
	f:write(text)
	f:close()
end
local function category_of(conn, subject)
	T.envelope(conn, "<reporter@example.net>", {"<abuse@example.org>"})
	T.message(conn, {{"From", "reporter@example.net"}, {"Subject", subject}},
		"text\r\n")
	return mt.getheader(conn, "X-Abuse-Category", 0)
end

local old = T.start(path)
T.check(category_of(old, "please route me") == "routed", "before reload: routed")

rewrite("route me", "divert me")
mt.signal(10)	-- SIGUSR1
mt.sleep(1)
local new = mt.connect(T.sock, 20, 0.1)
T.check(category_of(new, "please route me") == "other", "after reload: old rule gone")
T.check(category_of(new, "please divert me") == "routed", "after reload: new rule")
T.check(category_of(old, "please route me") == "routed",
	"open connection keeps the rules it started with")

local f = assert(io.open(path, "ab"))
f:write("\nthis is not a valid line\n")
f:close()
mt.signal(10)
mt.sleep(1)
local third = mt.connect(T.sock, 20, 0.1)
T.check(category_of(third, "please divert me") == "routed",
	"bad file refused: the previous rules stay")

mt.disconnect(old)
mt.disconnect(new)
mt.disconnect(third)
T.done()
