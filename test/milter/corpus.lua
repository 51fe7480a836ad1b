-- corpus.lua - every labelled sample complaint through the milter: the
-- X-Abuse-Category it gets must be its label (the same code as
-- --classify, now over the milter protocol). A report labelled for a
-- person ("suppress: needs a person") must be tagged so in
-- X-Abuse-Reply, never answered, and, in the shipped "urgent"
-- category, routed to the person's mailbox. run.sh writes the list.
dofile(os.getenv("ABUSE_LIBDIR") .. "/lib.lua")
local list = os.getenv("ABUSE_CORPUS_LIST")
local f = list and io.open(list)
if f == nil then
	mt.echo("no corpus list: nothing to do")
	return
end
local conn = T.start()
local n = 0
for line in f:lines() do
	local path, want, reply = line:match("^(.-)\t(.-)\t(.-)$")
	if path then
		local hdrs, body = T.read_eml(path)
		local from = "<reporter@example.net>"
		for _, h in ipairs(hdrs) do
			if h[1]:lower() == "return-path" then
				from = h[2]:match("<[^>]*>") or from
				break
			end
		end
		T.envelope(conn, from, {"<abuse@example.org>"})
		T.message(conn, hdrs, body)
		local got = mt.getheader(conn, "X-Abuse-Category", 0)
		T.check(got == want, path:match("[^/]*$") .. ": category " ..
			tostring(got) .. ", label " .. want)
		if reply == "suppress: needs a person" then
			local name = path:match("[^/]*$")
			T.check(mt.eom_check(conn, MT_HDRADD, "X-Abuse-Reply",
				"suppressed: needs a person"), name .. ": needs a person")
			if want == "urgent" then
				T.check(mt.eom_check(conn, MT_RCPTADD,
					"<abuse-urgent@example.org>"), name .. ": routed")
				T.check(mt.eom_check(conn, MT_RCPTDELETE,
					"<abuse@example.org>"), name .. ": abuse recipient replaced")
			end
		end
		n = n + 1
	end
end
f:close()
mt.echo(n .. " corpus messages through the milter")
mt.disconnect(conn)
T.done()
