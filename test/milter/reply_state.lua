-- reply_state.lua - a reply that cannot be composed (here: reply.from
-- is empty) is suppressed without a trace in the state: once the
-- configuration is mended and reloaded, the same case is answered.
dofile(os.getenv("ABUSE_LIBDIR") .. "/lib.lua")
local path = T.tmp .. "/nofrom.conf"
local function write_conf(from)
	local f = assert(io.open(T.conf, "rb"))
	local text = f:read("*a")
	f:close()
	text = text:gsub("\n(%s*)from = [^\n]*", "\n%1from = \"" .. from .. "\"", 1)
	f = assert(io.open(path, "wb"))
	f:write(text)
	f:close()
end
local function complaint(conn, id)
	T.envelope(conn, "<state-soc@example.net>", {"<abuse@example.org>"})
	T.message(conn, {
		{"From", "SOC <state-soc@example.net>"},
		{"To", "abuse@example.org"},
		{"Subject", "SSH brute force from 198.51.100.77 [Ticket#RS-70417]"},
		{"Message-ID", "<" .. id .. "@example.net>"},
	}, "Failed password for root from 198.51.100.77 port 40022 ssh2\r\n")
	return mt.getheader(conn, "X-Abuse-Reply", 0)
end

write_conf("")
local conn = T.start(path)
local first = complaint(conn, "state-1")
T.check(first == "suppressed: invalid from address",
	"empty reply.from: suppressed (" .. tostring(first) .. ")")
mt.disconnect(conn)

write_conf("Abuse Desk <abuse@example.org>")
mt.signal(10)	-- SIGUSR1
mt.sleep(1)
conn = mt.connect(T.sock, 20, 0.1)
local second = complaint(conn, "state-2")
T.check(second == "queued",
	"after the fix and a reload the same case is answered (" ..
	tostring(second) .. ")")
mt.disconnect(conn)
T.done()
