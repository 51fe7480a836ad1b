"""jsonshape.py - the fixed shape of every --classify JSON line;
shared by the two checks in run.sh (our corpus, the real one)."""


# shape - what is fixed for every JSON line; a list of problems
def shape(o):
    import ipaddress, re
    bad = []
    def want(key, ok):
        if key not in o:
            bad.append("no %s" % key)
        elif not ok(o[key]):
            bad.append("%s %r" % (key, o[key]))
    str_or_null = lambda v: v is None or isinstance(v, str)
    want("file", lambda v: isinstance(v, str))
    want("category", lambda v: isinstance(v, str) and v != "")
    want("rule", str_or_null)
    want("ips", lambda v: isinstance(v, list) and all(
        isinstance(a, str) and canonical(a) for a in v))
    want("ports", lambda v: isinstance(v, list) and all(
        type(n) is int and 0 < n < 65536 for n in v))
    want("case_id", str_or_null)
    want("reporter", str_or_null)
    want("timestamp", lambda v: v is None or (isinstance(v, str) and
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v) is not None))
    want("ours", lambda v: isinstance(v, bool))
    want("tor_exit", lambda v: v is None or isinstance(v, bool))
    want("reply", lambda v: isinstance(v, str) and
        (v == "send" or v.startswith("suppress: ")))
    want("score", lambda v: type(v) in (int, float))
    want("template", lambda v: v is None or (isinstance(v, str) and
        v != "" and "/" not in v and (o.get("reply") == "send")))
    if o.get("reply") == "send" and o.get("template") is None:
        bad.append("reply send without a template")
    return bad


def canonical(a):
    import ipaddress
    try:
        return str(ipaddress.ip_address(a)) == a
    except ValueError:
        return False
