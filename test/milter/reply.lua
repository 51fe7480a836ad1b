-- reply.lua - X-Abuse-Reply values, and the queued reply reaching the
-- (fake) sendmail through the spool and a worker thread.
dofile(os.getenv("ABUSE_LIBDIR") .. "/lib.lua")
local conn = T.start()
local sent = T.tmp .. "/sent"

local function complaint(extra, id)
	local hdrs = {
		{"From", "SOC Team <soc@example.net>"},
		{"To", "abuse@example.org"},
		{"Subject", "SSH brute force from 198.51.100.45"},
		{"Message-ID", "<" .. id .. "@example.net>"},
	}
	for _, h in ipairs(extra) do hdrs[#hdrs + 1] = h end
	T.envelope(conn, "<soc@example.net>", {"<abuse@example.org>"})
	T.message(conn, hdrs,
		"Failed password for root from 198.51.100.45 port 51234 ssh2\r\n" ..
		"Please stop these brute force login attempts.\r\n")
	return mt.getheader(conn, "X-Abuse-Reply", 0)
end

T.check(complaint({}, "reply-1") == "queued", "plain complaint: queued")
local function read(path)
	local f = io.open(path, "rb")
	if f == nil then return nil end
	local s = f:read("*a")
	f:close()
	return s
end
-- other scripts share the fake sendmail's directory: find our reply
local function find_reply(id)
	for n = 0, 500 do
		local m = read(sent .. "/" .. n .. ".msg")
		if m and m:find("In-Reply-To: <" .. id .. "@example.net>", 1, true) then
			return m, read(sent .. "/" .. n .. ".args")
		end
	end
end
local msg, args
for _ = 1, 50 do
	msg, args = find_reply("reply-1")
	if msg then break end
	mt.sleep(0.1)
end
T.check(msg ~= nil, "the worker handed the reply to sendmail")
args = args or ""
T.check(args:find("-i\n-f\n<>\n--\nsoc@example.net\n", 1, true) ~= nil,
	"sendmail -i -f <> -- soc@example.net")

T.check(complaint({{"Auto-Submitted", "auto-replied"}}, "reply-2"):match("^suppressed: ") ~= nil,
	"Auto-Submitted: auto-replied suppressed")
T.check(complaint({{"X-Loop", "abuse@example.org"}}, "reply-3") ==
	"suppressed: loop", "our X-Loop suppressed")
T.check(complaint({{"Precedence", "bulk"}}, "reply-4"):match("^suppressed: ") ~= nil,
	"Precedence: bulk suppressed")

mt.disconnect(conn)
T.done()
