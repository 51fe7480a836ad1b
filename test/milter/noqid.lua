-- noqid.lua - an MTA that sends no queue id (macro i; a Sendmail whose
-- confMILTER_MACROS_ENVFROM lacks it): each complaint gets a generated
-- id, NOQUEUE-..., different for each message, in its log lines and
-- its ledger row, with one warning; a real id is still preferred.
dofile(os.getenv("ABUSE_LIBDIR") .. "/lib.lua")
local logpath = T.tmp .. "/noqid.log"
local conn = T.start(os.getenv("ABUSE_NOQID_CONF"))

-- complaint - one routed complaint; qid: the macro i, or nil for none
local function complaint(id, qid)
	if qid ~= nil then mt.macro(conn, SMFIC_MAIL, "i", qid) end
	assert(mt.mailfrom(conn, "<reporter@example.net>") == nil, "mailfrom")
	assert(mt.rcptto(conn, "<abuse@example.org>") == nil, "rcptto")
	T.message(conn, {
		{"From", "reporter@example.net"},
		{"Subject", "please route me"},
		{"Message-ID", "<" .. id .. "@example.net>"},
	}, "text\r\n")
	T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Category", "routed"),
		id .. ": tagged")
end

-- ledger_qid - the qid column of the ledger row of Message-ID id
local function ledger_qid(id)
	local p = io.popen("sqlite3 " .. T.tmp .. "/state/state.db " ..
		"\"select qid from complaints where message_id like '%" ..
		id .. "@%'\"")
	local out = p:read("*a")
	p:close()
	return (out:gsub("%s+$", ""))
end

complaint("noqid-1", nil)
complaint("noqid-2", nil)
mt.disconnect(conn)
-- a new connection: macros of the old one are gone, a real id wins
conn = mt.connect(T.sock, 20, 0.1)
complaint("noqid-3", "REALQID3")
mt.disconnect(conn)

local f = io.open(logpath, "r")
local log = f and f:read("*a") or ""
if f then f:close() end
local ids = {}
for id in log:gmatch("(NOQUEUE%-[0-9A-Z]+%.[0-9A-Z]+%.[0-9A-Z]+): category=") do
	ids[#ids + 1] = id
end
T.check(#ids == 2, "two complaints logged with generated ids (" .. #ids .. ")")
T.check(ids[1] ~= nil and ids[1] ~= ids[2], "the generated ids differ")
for i, id in ipairs(ids) do
	T.check(log:find(id .. ": route: <abuse@example.org> replaced by", 1, true),
		"route line " .. i .. " names " .. id)
	T.check(ledger_qid("noqid-" .. i) == id,
		"ledger row " .. i .. " has " .. id .. " (" .. ledger_qid("noqid-" .. i) .. ")")
end
local _, warnings = log:gsub("the MTA sent no queue id", "")
T.check(warnings == 1, "one warning for the missing macro (" .. warnings .. ")")
T.check(log:find("REALQID3: category=", 1, true), "a real queue id is used")
T.check(ledger_qid("noqid-3") == "REALQID3", "ledger row 3 has REALQID3")
T.done()
