-- inflight.lua - max_inflight (64K here, on_error = accept): a message
-- that outgrows the budget is analysed from what it holds, a message
-- started while another holds the budget gets what is left, and the
-- budget comes back at end of message.
dofile(os.getenv("ABUSE_LIBDIR") .. "/lib.lua")
local conf = os.getenv("ABUSE_INFLIGHT_CONF")
local log = os.getenv("ABUSE_TMP") .. "/inflight.log"
local a = T.start(conf)

local filler = string.rep("Log lines follow; there is nothing of note in any of them.....\r\n", 256)	-- 16 KB

local function begin(conn, subject)
	T.envelope(conn, "<soc@example.net>", {"<abuse@example.org>"})
	assert(mt.data(conn) == nil, "data")
	T.headers(conn, {
		{"From", "soc@example.net"},
		{"Subject", subject},
		{"Message-ID", "<" .. subject:gsub(" ", "-") .. "@example.net>"},
	})
end

local function logged(what)
	local f = io.open(log, "r")
	if f == nil then return false end
	local text = f:read("*a")
	f:close()
	return text:find(what, 1, true) ~= nil
end

-- 1. 16 x 16 KB: the first address is read, the one after 64 KB is not
begin(a, "big one")
assert(mt.bodystring(a, "SSH brute force from 198.51.100.77 port 22.\r\n") == nil, "body")
for _ = 1, 16 do
	assert(mt.bodystring(a, filler) == nil, "body chunk")
	T.check(mt.getreply(a) == SMFIR_CONTINUE, "past the budget: continue, not refused")
end
assert(mt.bodystring(a, "Also from 198.51.100.99.\r\n") == nil, "body")
assert(mt.eom(a) == nil, "eom")
T.check(mt.eom_check(a, MT_HDRADD, "X-Abuse-Source-IP", "198.51.100.77"),
	"analysed from the first bytes: 198.51.100.77 found")
T.check(not mt.eom_check(a, MT_HDRADD, "X-Abuse-Source-IP", "198.51.100.77, 198.51.100.99"),
	"the address past the budget was not read")
T.check(logged("TESTQID: max_inflight"), "the cut logged with the queue id")

-- 2. a's 33 KB take a 64 KB buffer, the whole budget: b is cut short
begin(a, "holding")
assert(mt.bodystring(a, "Scan from 198.51.100.10.\r\n" .. filler) == nil, "body")
assert(mt.bodystring(a, filler) == nil, "body")
local b = mt.connect(T.sock, 50, 0.1)
begin(b, "squeezed")
assert(mt.bodystring(b, "Scan from 198.51.100.20.\r\n") == nil, "body")
assert(mt.eom(b) == nil, "eom")
T.check(not mt.eom_check(b, MT_HDRADD, "X-Abuse-Source-IP", "198.51.100.20"),
	"second message: cut while the first held the budget")
T.check(mt.eom_check(b, MT_HDRADD, "X-Abuse-Category"), "second message still tagged")
assert(mt.eom(a) == nil, "eom")
T.check(mt.eom_check(a, MT_HDRADD, "X-Abuse-Source-IP", "198.51.100.10"),
	"first message analysed")

-- 3. both done: the budget is back, a 40 KB message is read whole
begin(b, "after")
assert(mt.bodystring(b, filler .. filler .. "Scan from 198.51.100.30.\r\n") == nil, "body")
assert(mt.eom(b) == nil, "eom")
T.check(mt.eom_check(b, MT_HDRADD, "X-Abuse-Source-IP", "198.51.100.30"),
	"budget given back: the next message is read whole")

mt.disconnect(b)
mt.disconnect(a)
T.done()
