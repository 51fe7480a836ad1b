-- abort.lua - a message aborted halfway leaves no state behind for the
-- next message on the same connection.
dofile(os.getenv("ABUSE_LIBDIR") .. "/lib.lua")
local conn = T.start()

T.envelope(conn, "<reporter@example.net>", {"<abuse@example.org>"})
assert(mt.data(conn) == nil, "data")
T.headers(conn, {
	{"From", "reporter@example.net"},
	{"Subject", "first, aborted"},
	{"X-Abuse-Category", "forged"},
})
assert(mt.bodystring(conn, "Attack from 203.0.113.50\r\n") == nil, "body")
assert(mt.abort(conn) == nil, "abort")

-- the next message: no forged header, a different address
T.envelope(conn, "<reporter@example.net>", {"<abuse@example.org>"})
T.message(conn, {
	{"From", "reporter@example.net"},
	{"Subject", "second"},
	{"Message-ID", "<abort-2@example.net>"},
}, "Nothing to see.\r\n")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Category"), "second message tagged")
T.check(not mt.eom_check(conn, MT_HDRDELETE),
	"no deletion carried over from the aborted message")
T.check(not mt.eom_check(conn, MT_HDRADD, "X-Abuse-Source-IP"),
	"no IP carried over from the aborted message")

-- and a non-abuse message after that is still accepted at DATA
T.envelope(conn, "<x@example.net>", {"<bob@example.org>"})
assert(mt.data(conn) == nil, "data")
T.check(mt.getreply(conn) == SMFIR_ACCEPT, "then non-abuse mail accepted at DATA")

mt.disconnect(conn)
T.done()
