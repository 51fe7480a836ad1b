-- seq.lua - miltertest: SEQ_N complaints (the message file SEQ_EML) one
-- after the other on one connection to the milter at SEQ_SOCK, each
-- checked for its X-Abuse-Reply tag (bench/latency.sh, bench/fsyncs.sh)
dofile(os.getenv("ABUSE_LIBDIR") .. "/lib.lua")
local conn = mt.connect(os.getenv("SEQ_SOCK"), 50, 0.1)
assert(conn, "connect")
local hdrs, body = T.read_eml(os.getenv("SEQ_EML"))
for i = 1, tonumber(os.getenv("SEQ_N")) do
	T.envelope(conn, "<reporter@example.net>", {"<abuse@example.org>"})
	T.message(conn, hdrs, body)
	assert(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Reply"), "tagged")
end
mt.disconnect(conn)
