-- corpus.lua - every labelled sample complaint through the milter: the
-- X-Abuse-Category it gets must be its label (the same code as
-- --classify, now over the milter protocol). run.sh writes the list.
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
	local path, want = line:match("^(.-)\t(.-)$")
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
		n = n + 1
	end
end
f:close()
mt.echo(n .. " corpus messages through the milter")
mt.disconnect(conn)
T.done()
