#!/usr/bin/env python3
"""gen-complaints.py DIR N [SEED] - write N synthetic complaints of 4-30 KB
into DIR (c00000.eml ...), for the --classify throughput benchmark.

The mix follows what an abuse desk receives: brute-force reports with log
excerpts, ARF feedback reports carrying the spam, ACNS copyright notices,
X-ARF reports with a base64 log attachment, and person-written complaints
that quote earlier mail. Sizes are drawn uniformly from 4-30 KB; the same
seed gives the same files."""

import base64
import random
import sys


def ip(r):
    return "%d.%d.%d.%d" % (r.choice([198, 203, 192, 185, 45]),
                            r.randrange(256), r.randrange(256),
                            r.randrange(1, 255))


def stamp(r):
    return "2026-11-%02d %02d:%02d:%02d" % (r.randrange(1, 29),
                                            r.randrange(24), r.randrange(60),
                                            r.randrange(60))


def rfc_date(r):
    return "Wed, %d Nov 2026 %02d:%02d:%02d +0000" % (
        r.randrange(1, 29), r.randrange(24), r.randrange(60), r.randrange(60))


def head(r, i, frm, subject, extra=""):
    return ("Return-Path: <%s>\nFrom: %s\nTo: abuse@example.org\n"
            "Subject: %s\nDate: %s\nMessage-ID: <bench.%d@%s>\n"
            "MIME-Version: 1.0\n%s" % (frm, frm, subject, rfc_date(r), i,
                                      frm.split("@")[1].rstrip(">"), extra))


PROSE = ("We have detected malicious activity originating from your network. "
         "Please investigate the matter and take the necessary steps to stop "
         "it. The attached log excerpt shows the connections we recorded; "
         "times are in UTC. If you are not the right contact, please forward "
         "this message to the person responsible for the address. ").split()


def words(r, n):
    return " ".join(r.choice(PROSE) for _ in range(n))


def para(r, size):
    out, line = [], []
    while sum(len(x) + 1 for x in out) < size:
        line.append(r.choice(PROSE))
        if len(" ".join(line)) > 68:
            out.append(" ".join(line))
            line = []
    return "\n".join(out) + "\n"


def bruteforce(r, i, size):
    src = ip(r)
    body = ["Hello,", "",
            "our server was attacked by %s (ssh brute force)." % src, "",
            para(r, 400), "Log excerpt:", ""]
    n = 0
    while sum(len(x) + 1 for x in body) < size:
        n += 1
        body.append("%s host sshd[%d]: Failed password for invalid user "
                    "admin%d from %s port %d ssh2" %
                    (stamp(r), 1000 + n, n, src, 30000 + r.randrange(30000)))
    body += ["", "Regards,", "Security Team"]
    return head(r, i, "soc@netops.example.net",
                "Abuse report: SSH brute force from %s" % src,
                "Content-Type: text/plain; charset=utf-8\n") + "\n" + \
        "\n".join(body) + "\n"


def arf(r, i, size):
    src = ip(r)
    spam = ["<html><body><h1>Cheap watches</h1>"]
    while sum(len(x) + 1 for x in spam) < size - 1000:
        spam.append("<p>%s <a href=\"http://shop%d.example.com/?id=%d\">"
                    "buy now</a></p>" % (words(r, 12), r.randrange(99), i))
    spam.append("</body></html>")
    b = "arfbound%d" % i
    return head(r, i, "fbl@feedback.example.com", "FW: Cheap watches",
                "Content-Type: multipart/report; report-type=feedback-report;"
                " boundary=\"%s\"\n" % b) + """
--{b}
Content-Type: text/plain; charset=us-ascii

This is an email abuse report for an email message received from IP
{src} on {d}.

--{b}
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
Original-Mail-From: <sales@shop.example.com>
Arrival-Date: {d}
Source-IP: {src}
Reported-Domain: shop.example.com

--{b}
Content-Type: message/rfc822

Received: from mx.shop.example.com ([{src}]) by mx.feedback.example.com
From: Sales <sales@shop.example.com>
To: victim@feedback.example.com
Subject: Cheap watches
Date: {d}
Message-ID: <spam.{i}@shop.example.com>
Content-Type: text/html; charset=us-ascii

{spam}
--{b}--
""".format(b=b, src=src, d=rfc_date(r), i=i, spam="\n".join(spam))


def acns(r, i, size):
    src = ip(r)
    legal = para(r, max(size - 1300, 500))
    return head(r, i, "notices@ip-echelon.example.com",
                "Notice of Claimed Infringement - Case ID %d" % (900000 + i),
                "Content-Type: text/plain; charset=utf-8\n") + """
Dear Sir or Madam,

We are writing on behalf of Example Pictures regarding unauthorized
distribution of its copyrighted work from IP address {src}.

{legal}
<?xml version="1.0" encoding="UTF-8"?>
<Infringement xmlns="http://www.acns.net/ACNS">
  <Case><ID>{case}</ID><Status>Open</Status><Severity>Normal</Severity></Case>
  <Complainant><Entity>Example Pictures</Entity>
    <Email>notices@ip-echelon.example.com</Email></Complainant>
  <Source><TimeStamp>2026-11-20T10:11:12Z</TimeStamp>
    <IP_Address>{src}</IP_Address><Port>51413</Port>
    <Type>BitTorrent</Type><Protocol>BITTORRENT</Protocol></Source>
  <Content><Item><Title>Example Movie</Title>
    <FileName>Example.Movie.2026.1080p.mkv</FileName>
    <Hash Type="SHA1">{h}</Hash></Item></Content>
</Infringement>
""".format(src=src, legal=legal, case=900000 + i,
           h="%040x" % r.getrandbits(160))


def xarf(r, i, size):
    src = ip(r)
    log = []
    while sum(len(x) + 1 for x in log) < (size - 1000) * 3 // 4:
        log.append("%s %s:%d -> 192.0.2.%d:22 SYN" % (
            stamp(r), src, 1024 + r.randrange(60000), r.randrange(1, 255)))
    att = base64.encodebytes("\n".join(log).encode()).decode()
    b = "xarf%d" % i
    return head(r, i, "reports@blocklist.example.de",
                "abuse report about %s - scan" % src,
                "X-ARF: Yes\nAuto-Submitted: auto-generated\n"
                "Content-Type: multipart/mixed; boundary=\"%s\"\n" % b) + """
--{b}
Content-Type: text/plain; charset=utf-8

The host {src} has been scanning our network. Details below.

--{b}
Content-Type: text/plain; charset=utf-8; name="report.txt"

Reported-From: reports@blocklist.example.de
Category: abuse
Report-Type: port-scan
Report-ID: bench-{i}
Date: {d}
Source-Type: ipv4
Source: {src}
Port: 22
Attachment: text/plain

--{b}
Content-Type: text/plain; name="logfile.log"
Content-Transfer-Encoding: base64

{att}
--{b}--
""".format(b=b, src=src, i=i, d=rfc_date(r), att=att)


def person(r, i, size):
    src = ip(r)
    quoted = []
    depth = 1
    while sum(len(x) + 1 for x in quoted) < size - 600:
        quoted.append("On %s, Abuse Desk wrote:" % rfc_date(r))
        for line in para(r, 600).splitlines():
            quoted.append(">" * depth + " " + line)
        depth = depth % 3 + 1
    return head(r, i, "Jane Admin <jane@small-site.example.net>",
                "Re: attacks from %s still going on" % src,
                "Content-Type: text/plain; charset=utf-8\n") + """
Hello,

the attacks from {src} against our web shop have not stopped. Since
{t} we see thousands of login attempts per hour. Please stop this.

Jane

{q}
""".format(src=src, t=stamp(r), q="\n".join(quoted))


KINDS = [bruteforce, arf, acns, xarf, person]


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    r = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    for i in range(n):
        size = r.randrange(4096, 30 * 1024)
        text = KINDS[i % len(KINDS)](r, i, size)
        with open("%s/c%05d.eml" % (out, i), "w") as f:
            f.write(text)


main()
