/*
 * compose.c - render the template and wrap it in a safe RFC 3834
 * header section. See compose.h.
 *
 * The complaint's own strings reach the header section by two roads
 * only: grammar-checked tokens (the recipient, the Message-ID) and
 * rfc5322_header_put (Subject, template header values). Neither can
 * produce a CR, LF or NUL, nor a line that starts a new field. The
 * words a reply repeats (the Subject, the greeted display name, the
 * case id) pass reply_echo_clean first: short, no links, no addresses
 * (echo.h).
 */
#include "reply/compose.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/random.h>

#include "classify/lang.h"
#include "parse/rfc5322.h"
#include "reply/echo.h"
#include "reply/ref.h"
#include "reply/template.h"

/* reply_compose_strip_re - skip "Re:", "RE :", "Re[3]:" prefixes */
static const char *
reply_compose_strip_re(const char *s)
{
	const char *p;

	for (;;) {
		while (*s == ' ')
			s++;
		if (strncasecmp(s, "re", 2) != 0)
			return s;
		p = s + 2;
		if (*p == '[') {
			p += 1 + strspn(p + 1, "0123456789");
			if (*p++ != ']')
				return s;
		}
		while (*p == ' ')
			p++;
		if (*p != ':')
			return s;
		s = p + 1;
	}
}

/* reply_compose_re_subject - see compose.h */
char *
reply_compose_re_subject(const char *subject)
{
	char *clean, *out;
	const char *rest;

	clean = reply_echo_clean(subject);
	rest = reply_compose_strip_re(clean);
	out = xasprintf("Re: %s", *rest != '\0' ? rest : "(no subject)");
	free(clean);
	return out;
}

/* reply_compose_date - RFC 5322 date-time in UTC; English names by
 * hand, because strftime would follow the locale */
static char *
reply_compose_date(time_t t)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	struct tm tm;

	gmtime_r(&t, &tm);
	return xasprintf("%s, %d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* reply_compose_msgid - a fresh Message-ID on the domain of our address;
 * random bits plus a process-wide counter keep threads apart. With a
 * reference it leads the local part, so an answer's In-Reply-To names
 * the case even when its Subject lost the tag (ref.h). */
static char *
reply_compose_msgid(const char *from_addr, time_t t, const char *ref)
{
	static atomic_ulong seq;
	unsigned long long rnd = 0;
	const char *at = strrchr(from_addr, '@');
	struct tm tm;
	char *id;

	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
		rnd = (unsigned long long)getpid() << 32 ^ (unsigned long long)t;
	if (ref != NULL) {
		id = xasprintf("<%s_%016llx.%lu@%s>", ref, rnd,
		    (unsigned long)atomic_fetch_add(&seq, 1),
		    at != NULL ? at + 1 : "localhost");
		if (rfc5322_msg_id_valid(id))
			return id;
		free(id);
	}
	gmtime_r(&t, &tm);
	return xasprintf("<%04d%02d%02d%02d%02d%02d.%016llx.%lu@%s>",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, rnd, (unsigned long)atomic_fetch_add(&seq, 1),
	    at != NULL ? at + 1 : "localhost");
}

/* reply_compose_yes_no - ${ours} and ${tor_exit} in the letter's
 * language: a "yes" in the middle of a German letter reads as a slip.
 * -1 (not known) is "", so the template's ${var:-default} speaks. */
static const char *
reply_compose_yes_no(int v, const char *lang)
{
	static const struct {
		const char *lang, *yes, *no;
	} words[] = {
		{ "de", "ja", "nein" }, { "fr", "oui", "non" },
		{ "es", "sí", "no" }, { "it", "sì", "no" },
		{ "nl", "ja", "nee" },
	};

	if (v < 0)
		return "";
	for (size_t i = 0; lang != NULL && i < sizeof(words) / sizeof(words[0]);
	    i++)
		if (strcmp(words[i].lang, lang) == 0)
			return v ? words[i].yes : words[i].no;
	return v ? "yes" : "no";
}

/* reply_compose_to_name - display name of the header the recipient came
 * from, so a template can greet a person; else the address itself. The
 * name is the sender's choice: only what reply_echo_clean leaves of it */
static char *
reply_compose_to_name(const struct parsed_msg *m, const char *rcpt)
{
	static const char *const hdrs[] = { "Reply-To", "From" };
	const char *value;
	char *addr, *name;

	for (size_t i = 0; i < 2; i++) {
		value = parsed_msg_header(m, hdrs[i]);
		if ((addr = rfc5322_addr_extract(value)) == NULL)
			continue;
		name = strcasecmp(addr, rcpt) == 0 ?
		    rfc5322_display_name(value) : NULL;
		free(addr);
		if (name != NULL) {
			char *clean = reply_echo_clean(name);

			free(name);
			if (*clean != '\0')
				return clean;
			free(clean);
		}
	}
	return xstrdup(rcpt);
}

/* reply_compose_join - ips or ports as "a, b, c" */
static char *
reply_compose_join(const struct evidence *ev, bool ports)
{
	struct buf b;
	size_t n = ev == NULL ? 0 : ports ? ev->nports : ev->ips.n;

	buf_init(&b);
	for (size_t i = 0; i < n && b.len <= TEMPLATE_VALUE_MAX; i++) {
		if (i > 0)
			buf_puts(&b, ", ");
		if (ports)
			buf_printf(&b, "%d", ev->ports[i]);
		else
			buf_puts(&b, ev->ips.v[i]);
	}
	return b.s;
}

/* what reply_compose owns while it works */
struct reply_parts {
	char *date;
	char *msgid;		/* ours */
	char *orig;		/* the complaint's, checked, or NULL */
	char *subject;		/* the complaint's, as echo.h allows */
	char *case_id;		/* the same for the case id */
	char *re_subject;
	char *to_name;
	char *ips;
	char *ports;
	const struct template *tmpl;	/* cat's, or its translation */
	const char *words;	/* the language of tmpl, NULL: English */
	const char *vals[TVAR_COUNT];
};

/* reply_compose_check - the grammar gate; NULL when all may be copied.
 * An empty Message-ID counts as absent: there is nothing to copy; one
 * without its angle brackets gets them (rfc5322_msg_id_normalize). */
static const char *
reply_compose_check(const struct reply_conf *rc,
    const struct reply_category *cat, const struct parsed_msg *m,
    const struct reply_vars *v, struct reply_parts *p)
{
	const char *mid = parsed_msg_header(m, "Message-ID");

	if (cat == NULL || cat->tmpl == NULL)
		return "no template";
	if (v->rcpt == NULL || !rfc5322_addr_spec_valid(v->rcpt))
		return "invalid recipient";
	if (!rfc5322_addr_spec_valid(rc->from_addr))
		return "invalid from address";
	if (v->message_id != NULL && !rfc5322_msg_id_valid(v->message_id))
		return "invalid message-id";
	if (mid == NULL || mid[strspn(mid, " \t")] == '\0')
		return NULL;
	if ((p->orig = rfc5322_msg_id_normalize(mid)) == NULL)
		return "invalid message-id";
	return NULL;
}

/* reply_compose_fill - every template variable */
static void
reply_compose_fill(struct reply_parts *p, const struct reply_conf *rc,
    const struct reply_category *cat, const struct parsed_msg *m,
    const struct evidence *ev, const struct reply_vars *v)
{
	time_t now = v->now != 0 ? v->now : time(NULL);

	p->date = reply_compose_date(now);
	p->msgid = v->message_id != NULL ? xstrdup(v->message_id) :
	    reply_compose_msgid(rc->from_addr, now, v->ref);
	p->subject = reply_echo_clean(parsed_msg_header(m, "Subject"));
	/* a case id is the sender's word too: "ticket buy1@pills.example"
	 * yields one, and it must not come back as an address */
	p->case_id = reply_echo_clean(ev != NULL ? ev->case_id : NULL);
	p->re_subject = reply_compose_re_subject(parsed_msg_header(m, "Subject"));
	p->to_name = reply_compose_to_name(m, v->rcpt);
	p->ips = reply_compose_join(ev, false);
	p->ports = reply_compose_join(ev, true);
	p->vals[TVAR_TO] = v->rcpt;
	p->vals[TVAR_TO_NAME] = p->to_name;
	p->vals[TVAR_FROM] = rc->from;
	p->vals[TVAR_FROM_ADDR] = rc->from_addr;
	p->vals[TVAR_SUBJECT] = p->subject;
	p->vals[TVAR_RE_SUBJECT] = p->re_subject;
	p->vals[TVAR_CASE_ID] = p->case_id;
	p->vals[TVAR_IPS] = p->ips;
	p->vals[TVAR_PORTS] = p->ports;
	p->vals[TVAR_DATE] = p->date;
	p->vals[TVAR_CATEGORY] = v->category != NULL ? v->category : cat->name;
	/* the words follow the letter actually used: a German complaint
	 * answered with an English letter (no translation) reads "yes" */
	p->vals[TVAR_TOR_EXIT] = reply_compose_yes_no(v->tor_exit, p->words);
	p->vals[TVAR_OURS] = reply_compose_yes_no(v->ours, p->words);
	p->vals[TVAR_LANG] = v->lang;
	p->vals[TVAR_REF] = v->ref;
	p->vals[TVAR_REPORTER] = ev != NULL ? ev->reporter : NULL;
	p->vals[TVAR_MESSAGE_ID] = p->orig;
	p->vals[TVAR_TIMESTAMP] = ev != NULL ? ev->timestamp : NULL;
}

/* reply_compose_subject - the template's Subject, else "Re: ...", and
 * our reference in brackets, which is what an answer keeps of us most
 * reliably (ref.h); malloc'd */
static char *
reply_compose_subject(const struct kvlist *thdrs, const struct reply_vars *v,
    const struct reply_parts *p)
{
	const char *subj = kvlist_get(thdrs, "Subject");

	if (subj == NULL || subj[strspn(subj, " ")] == '\0')
		subj = p->re_subject;
	if (v->ref == NULL || strstr(subj, v->ref) != NULL)
		return xstrdup(subj);
	return xasprintf("%s [%s]", subj, v->ref);
}

/* reply_compose_headers - the fixed fields, then the template's own */
static void
reply_compose_headers(struct buf *out, const struct reply_conf *rc,
    const struct reply_vars *v, const struct reply_parts *p,
    const struct kvlist *thdrs)
{
	char *subj = reply_compose_subject(thdrs, v, p);
	char *from_name = rfc5322_display_name(rc->from);

	rfc5322_mailbox_put(out, "From", from_name, rc->from_addr);
	rfc5322_mailbox_put(out, "To", NULL, v->rcpt);
	rfc5322_header_put(out, "Subject", subj);
	free(subj);
	buf_printf(out, "Date: %s\n", p->date);
	buf_printf(out, "Message-ID: %s\n", p->msgid);
	if (p->orig != NULL)
		buf_printf(out, "In-Reply-To: %s\nReferences: %s\n",
		    p->orig, p->orig);
	buf_puts(out, "Auto-Submitted: auto-replied\n");
	buf_printf(out, "X-Loop: %s\n", rc->from_addr);
	buf_puts(out, "X-Auto-Response-Suppress: All\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n");
	for (size_t i = 0; i < thdrs->n; i++)
		if (strcasecmp(thdrs->v[i].key, "Subject") != 0)
			rfc5322_header_put(out, thdrs->v[i].key, thdrs->v[i].val);
	free(from_name);
}

/* reply_parts_free - release what compose owned */
static void
reply_parts_free(struct reply_parts *p)
{
	free(p->date);
	free(p->msgid);
	free(p->orig);
	free(p->subject);
	free(p->case_id);
	free(p->re_subject);
	free(p->to_name);
	free(p->ips);
	free(p->ports);
}

/* reply_compose - see compose.h */
char *
reply_compose(const struct reply_conf *rc,
    const struct reply_category *cat, const struct parsed_msg *m,
    const struct evidence *ev, const struct reply_vars *v,
    const char **reason)
{
	struct reply_parts p;
	struct kvlist thdrs;
	struct buf out, body;

	memset(&p, 0, sizeof(p));
	if ((*reason = reply_compose_check(rc, cat, m, v, &p)) != NULL) {
		reply_parts_free(&p);
		return NULL;
	}
	p.tmpl = template_pick(cat->tmpl, lang_index(v->lang));
	p.words = p.tmpl != cat->tmpl ? v->lang : NULL;
	reply_compose_fill(&p, rc, cat, m, ev, v);
	kvlist_init(&thdrs);
	buf_init(&body);
	template_render(p.tmpl, p.vals, &thdrs, &body);
	buf_init(&out);
	reply_compose_headers(&out, rc, v, &p, &thdrs);
	buf_putc(&out, '\n');
	buf_append(&out, body.s, body.len);
	kvlist_free(&thdrs);
	buf_free(&body);
	reply_parts_free(&p);
	return out.s;
}
