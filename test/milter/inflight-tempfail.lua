-- inflight-tempfail.lua - max_inflight with on_error = tempfail: the
-- message that outgrows the budget is refused for now (4xx, the sender
-- retries); the next one on the connection is read normally.
dofile(os.getenv("ABUSE_LIBDIR") .. "/lib.lua")
local conn = T.start(os.getenv("ABUSE_INFLIGHT_TF_CONF"))
local filler = string.rep("Log lines follow; there is nothing of note in any of them.....\r\n", 256)	-- 16 KB

T.envelope(conn, "<soc@example.net>", {"<abuse@example.org>"})
assert(mt.data(conn) == nil, "data")
T.headers(conn, {{"From", "soc@example.net"}, {"Subject", "too big for now"}})
local refused = false
for _ = 1, 8 do
	assert(mt.bodystring(conn, filler) == nil, "body chunk")
	if mt.getreply(conn) == SMFIR_TEMPFAIL then refused = true break end
end
T.check(refused, "past the budget: tempfail")
assert(mt.abort(conn) == nil, "abort")

T.envelope(conn, "<soc@example.net>", {"<abuse@example.org>"})
T.message(conn, {{"From", "soc@example.net"}, {"Subject", "small"}},
	"Scan from 198.51.100.40.\r\n")
T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Source-IP", "198.51.100.40"),
	"the next message is read normally")
mt.disconnect(conn)
T.done()
