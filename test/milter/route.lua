-- route.lua - route replaces the abuse recipient, copy adds recipients,
-- quarantine holds the message; other recipients are untouched; each
-- is logged with the queue id.
dofile(os.getenv("ABUSE_LIBDIR") .. "/lib.lua")
local conn = T.start(os.getenv("ABUSE_ROUTE_CONF"))

T.envelope(conn, "<reporter@example.net>", {"<bob@example.org>", "<abuse@example.org>"})
T.message(conn, {
	{"From", "reporter@example.net"},
	{"Subject", "please route me"},
	{"Message-ID", "<route-1@example.net>"},
}, "text\r\n")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Category", "routed"), "category routed")
T.check(mt.eom_check(conn, MT_RCPTDELETE, "<abuse@example.org>"), "abuse recipient deleted")
T.check(not mt.eom_check(conn, MT_RCPTDELETE, "<bob@example.org>"), "other recipient kept")
T.check(mt.eom_check(conn, MT_RCPTADD, "<desk@example.org>"), "route recipient added")
T.check(mt.eom_check(conn, MT_RCPTADD, "<archive@example.org>"), "copy 1 added")
T.check(mt.eom_check(conn, MT_RCPTADD, "<legal@example.org>"), "copy 2 added")
T.check(not mt.eom_check(conn, MT_QUARANTINE), "not quarantined")

T.envelope(conn, "<reporter@example.net>", {"<abuse@example.org>"})
T.message(conn, {
	{"From", "reporter@example.net"},
	{"Subject", "hold me please"},
	{"Message-ID", "<route-2@example.net>"},
}, "text\r\n")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Category", "held"), "category held")
T.check(mt.eom_check(conn, MT_QUARANTINE, "held for review"), "quarantined with reason")
T.check(not mt.eom_check(conn, MT_RCPTDELETE, "<abuse@example.org>"), "held: abuse recipient kept")

T.envelope(conn, "<reporter@example.net>", {"<abuse@example.org>"})
T.message(conn, {
	{"From", "reporter@example.net"},
	{"Subject", "nothing special"},
	{"Message-ID", "<route-3@example.net>"},
}, "text\r\n")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Category", "other"), "default category other")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Rule", "default"), "rule default")
T.check(not mt.eom_check(conn, MT_RCPTADD, "<desk@example.org>"), "other: not routed")

-- a human category that vetoes without winning: a person gets a copy
T.envelope(conn, "<reporter@example.net>", {"<abuse@example.org>"})
T.message(conn, {
	{"From", "reporter@example.net"},
	{"Subject", "route me, it needs a person"},
	{"Message-ID", "<route-4@example.net>"},
}, "text\r\n")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Category", "routed"), "the winner keeps the category")
T.check(mt.eom_check(conn, MT_RCPTADD, "<desk@example.org>"), "the winner's route stands")
T.check(mt.eom_check(conn, MT_RCPTADD, "<person@example.org>"), "the vetoing human category's route added as a copy")
T.check(mt.eom_check(conn, MT_RCPTADD, "<counsel@example.org>"), "and its copy")
T.check(not mt.eom_check(conn, MT_HDRADD, "X-Abuse-Reply", "queued"), "no reply")

-- each change of the envelope is logged with the queue id (log_file)
local f = io.open(T.tmp .. "/route.log", "r")
local log = f and f:read("*a") or ""
if f then f:close() end
T.check(log:find("TESTQID: route: <abuse@example.org> replaced by <desk@example.org>", 1, true),
    "route logged with the queue id")
T.check(log:find("TESTQID: copy: to <archive@example.org>", 1, true),
    "copy logged with the queue id")
T.check(log:find("TESTQID: quarantine: held (held for review)", 1, true),
    "quarantine logged with the queue id")
T.check(log:find("TESTQID: copy (needs a person: person): to <person@example.org>", 1, true),
    "the copy for a person logged with why")

mt.disconnect(conn)
T.done()
