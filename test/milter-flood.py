#!/usr/bin/env python3
"""milter-flood.py - many concurrent MTA connections to a milter socket.

    milter-flood.py SOCKET MESSAGE CONNECTIONS [ROUNDS] [RCPT]

Speaks the MTA side of the milter protocol (version 6) the way Postfix
does: negotiate, MAIL FROM with macro i, RCPT, DATA, the headers one by
one, end of headers, the body in 64 KB chunks, end of message; waits for
the filter's answer to each step. All CONNECTIONS run at once (ROUNDS
messages each, one after the other). Prints one line per connection
round: seconds from connect (or the previous end) to the end-of-message
answer, the final answer letter and the headers added, then a summary.
No third-party modules: a bench must run on a bare Debian.
"""
import asyncio
import struct
import sys
import time

CHUNK = 65535
# protocol steps the MTA offers to skip; the filter says which it wants
SMFIP_NOCONNECT, SMFIP_NOHELO = 0x01, 0x02
FINAL = b"acdrty"       # accept continue discard reject tempfail replycode


async def send(w, cmd, data=b""):
    w.write(struct.pack(">I", len(data) + 1) + cmd + data)
    await w.drain()


async def recv(r):
    head = await r.readexactly(4)
    (n,) = struct.unpack(">I", head)
    body = await r.readexactly(n)
    return body[:1], body[1:]


async def step(r, w, cmd, data=b""):
    """send one command and return the filter's answer letter"""
    await send(w, cmd, data)
    while True:
        code, _ = await recv(r)
        if code != b"p":        # progress: keep waiting
            return code


def split_message(raw):
    raw = raw.replace(b"\r\n", b"\n")
    head, _, body = raw.partition(b"\n\n")
    headers = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and headers:
            headers[-1][1] += b"\r\n" + line
        elif b":" in line:
            name, _, value = line.partition(b":")
            headers.append([name, value.lstrip(b" ")])
    return headers, body.replace(b"\n", b"\r\n")


async def one_message(r, w, skip, headers, body, qid, rcpt):
    added = []
    await send(w, b"D", b"M" + b"i\0" + qid.encode() + b"\0")
    if await step(r, w, b"M", b"<soc@example.net>\0") not in b"c":
        return "M", added
    await step(r, w, b"R", b"<" + rcpt.encode() + b">\0")
    code = await step(r, w, b"T")
    if code != b"c":
        return code.decode(), added
    for name, value in headers:
        code = await step(r, w, b"L", name + b"\0" + value + b"\0")
        if code != b"c":
            return code.decode(), added
    code = await step(r, w, b"N")
    if code != b"c":
        return code.decode(), added
    for i in range(0, len(body), CHUNK):
        code = await step(r, w, b"B", body[i:i + CHUNK])
        if code != b"c":
            return code.decode(), added
    await send(w, b"E")
    while True:
        code, data = await recv(r)
        if code == b"h":
            added.append(data.split(b"\0")[0].decode(errors="replace"))
        elif code in FINAL:
            return code.decode(), added


async def connection(n, sock, headers, body, rounds, rcpt, out):
    if sock.startswith("unix:"):
        r, w = await asyncio.open_unix_connection(sock[5:], limit=1 << 20)
    else:
        port, _, host = sock.split(":", 1)[1].partition("@")  # inet:P@H
        r, w = await asyncio.open_connection(host or "127.0.0.1", int(port))
    await send(w, b"O", struct.pack(">III", 6, 0x1FF,
                                    SMFIP_NOCONNECT | SMFIP_NOHELO))
    _, data = await recv(r)
    skip = struct.unpack(">III", data[:12])[2]
    if not skip & SMFIP_NOCONNECT:
        await step(r, w, b"C", b"flood\0" + b"4" + struct.pack(">H", 25) +
                   b"127.0.0.1\0")
    if not skip & SMFIP_NOHELO:
        await step(r, w, b"H", b"flood.example\0")
    for k in range(rounds):
        t0 = time.monotonic()
        code, added = await one_message(r, w, skip, headers, body,
                                        "FLOOD%dR%d" % (n, k), rcpt)
        out.append((time.monotonic() - t0, n, code, added))
    await send(w, b"Q")
    w.close()


async def main():
    sock, path, conns = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    rcpt = sys.argv[5] if len(sys.argv) > 5 else "abuse@example.org"
    with open(path, "rb") as f:
        headers, body = split_message(f.read())
    out = []
    t0 = time.monotonic()
    results = await asyncio.gather(
        *(connection(n, sock, headers, body, rounds, rcpt, out)
          for n in range(conns)), return_exceptions=True)
    wall = time.monotonic() - t0
    errors = [e for e in results if isinstance(e, Exception)]
    for secs, n, code, added in sorted(out, key=lambda o: o[1]):
        print("conn %d %.4f s %s %s" % (n, secs, code, ",".join(added)))
    lat = sorted(o[0] for o in out)
    codes = {}
    for o in out:
        codes[o[2]] = codes.get(o[2], 0) + 1
    tagged = sum(1 for o in out if any(a.endswith("Category") for a in o[3]))
    print("summary: messages %d tagged %d answers %s errors %d "
          "wall %.1f s eom_latency_max %.2f s median %.2f s" %
          (len(out), tagged, codes, len(errors), wall,
           lat[-1] if lat else 0, lat[len(lat) // 2] if lat else 0))
    for e in errors[:5]:
        print("error: %r" % e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
