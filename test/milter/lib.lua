-- lib.lua - shared helpers for the miltertest scripts (dofile'd).
-- run.sh exports ABUSE_MILTER (binary), ABUSE_CONF, ABUSE_SOCK, ABUSE_TMP.

T = {}
T.bin = os.getenv("ABUSE_MILTER")
T.conf = os.getenv("ABUSE_CONF")
T.sock = os.getenv("ABUSE_SOCK")
T.tmp = os.getenv("ABUSE_TMP")
T.failures = 0

function T.start(conf)
	mt.startfilter(T.bin, "-f", "-c", conf or T.conf, "-p", T.sock)
	local conn = mt.connect(T.sock, 50, 0.1)
	if conn == nil then error("cannot connect to " .. T.sock) end
	return conn
end

-- T.check - record a failed expectation without stopping the script
function T.check(ok, what)
	if ok then
		mt.echo("ok - " .. what)
	else
		mt.echo("not ok - " .. what)
		T.failures = T.failures + 1
	end
end

function T.done()
	if T.failures > 0 then error(T.failures .. " check(s) failed") end
end

-- T.envelope - MAIL FROM and RCPT TO; returns the reply to the last RCPT
function T.envelope(conn, from, rcpts)
	mt.macro(conn, SMFIC_MAIL, "i", "TESTQID")
	assert(mt.mailfrom(conn, from) == nil, "mailfrom")
	for _, r in ipairs(rcpts) do
		assert(mt.rcptto(conn, r) == nil, "rcptto " .. r)
	end
end

-- T.headers - send {name, value} pairs, then end of headers
function T.headers(conn, hdrs)
	for _, h in ipairs(hdrs) do
		assert(mt.header(conn, h[1], h[2]) == nil, "header " .. h[1])
	end
	assert(mt.eoh(conn) == nil, "eoh")
end

-- T.message - DATA, headers, body, EOM for an abuse message
function T.message(conn, hdrs, body)
	assert(mt.data(conn) == nil, "data")
	T.headers(conn, hdrs)
	assert(mt.bodystring(conn, body) == nil, "body")
	assert(mt.eom(conn) == nil, "eom")
end

-- T.read_eml - split a message file into headers (unfolded, values cut
-- under miltertest's 1 KB buffer) and body
function T.read_eml(path)
	local f = assert(io.open(path, "rb"))
	local data = f:read("*a")
	f:close()
	data = data:gsub("\r\n", "\n")
	local head, body = data:match("^(.-)\n\n(.*)$")
	if head == nil then head, body = data, "" end
	local hdrs = {}
	for line in (head .. "\n"):gmatch("(.-)\n") do
		if line:match("^[ \t]") and #hdrs > 0 then
			local h = hdrs[#hdrs]
			h[2] = h[2] .. " " .. line:gsub("^[ \t]+", "")
		else
			local n, v = line:match("^([^:%s]+):%s?(.*)$")
			if n then hdrs[#hdrs + 1] = {n, v} end
		end
	end
	for _, h in ipairs(hdrs) do
		if #h[2] > 900 then h[2] = h[2]:sub(1, 900) end
	end
	return hdrs, body:gsub("\n", "\r\n")
end
