-- basic.lua - non-abuse mail untouched, abuse mail tagged, forged
-- X-Abuse-* headers deleted, several recipients with one abuse mailbox.
dofile(os.getenv("ABUSE_LIBDIR") .. "/lib.lua")
local conn = T.start()

-- 1. mail for someone else: accepted at DATA, no changes
T.envelope(conn, "<someone@example.net>", {"<postmaster@example.org>"})
assert(mt.data(conn) == nil, "data")
T.check(mt.getreply(conn) == SMFIR_ACCEPT, "non-abuse mail accepted at DATA")

-- 2. a complaint to abuse@: tagged, forged header removed
T.envelope(conn, "<reporter@example.net>", {"<abuse@example.org>"})
T.message(conn, {
	{"From", "Reporter <reporter@example.net>"},
	{"To", "abuse@example.org"},
	{"Subject", "hello"},
	{"Message-ID", "<basic-1@example.net>"},
	{"X-Abuse-Category", "forged"},
}, "Hello, just a note.\r\n")
T.check(mt.getreply(conn) == SMFIR_ACCEPT or mt.getreply(conn) == SMFIR_CONTINUE,
	"abuse mail continues")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Category"), "X-Abuse-Category added")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Ours", "no"), "X-Abuse-Ours: no")
T.check(mt.eom_check(conn, MT_HDRDELETE, "X-Abuse-Category"), "forged X-Abuse-Category deleted")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Reply"), "X-Abuse-Reply added")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Score", "other=0"),
	"nothing scored: X-Abuse-Score: other=0")

-- 3. several recipients, one of them abuse (any case, +detail)
T.envelope(conn, "<reporter@example.net>",
	{"<alice@example.org>", "<ABUSE+tor@Example.ORG>", "<bob@example.org>"})
T.message(conn, {
	{"From", "reporter@example.net"},
	{"Subject", "Port scan from 198.51.100.7"},
	{"Message-ID", "<basic-2@example.net>"},
}, "We saw a port scan from 198.51.100.7 against our hosts.\r\n")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Category"),
	"mixed recipients: complaint tagged")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Source-IP", "198.51.100.7"),
	"X-Abuse-Source-IP: 198.51.100.7")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Ours", "yes"),
	"198.51.100.7 is in our_networks: X-Abuse-Ours: yes")
T.check(not mt.eom_check(conn, MT_HDRDELETE), "nothing deleted without forged headers")
local score = mt.getheader(conn, "X-Abuse-Score", 0)
T.check(score ~= nil and string.match(score, "^abuse=%d") ~= nil,
	"X-Abuse-Score names the winner and its total: " .. tostring(score))
T.check(score ~= nil and #("X-Abuse-Score: " .. score) < 200,
	"X-Abuse-Score under 200 bytes")

mt.disconnect(conn)
T.done()
