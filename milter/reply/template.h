/*
 * template.h - reply templates: load once at config load, render per reply.
 *
 * A template file is a header section, one empty line, and a body, in
 * UTF-8 with LF or CRLF line ends. Variables are written ${name}; the
 * seed's $TO$ and $FROM$ are accepted as ${to} and ${from}. ${name:-text}
 * renders the literal text when the variable is empty or unknown for this
 * complaint (the simplest conditional that is still always correct).
 * "$$" is a literal "$"; any other "$" is just a dollar sign.
 *
 * Everything is checked at load: an unknown variable, an unterminated
 * ${, a header the milter sets itself, a missing empty line, invalid
 * UTF-8 are errors "PATH:LINE: message". Rendering then cannot fail.
 *
 * Rendering is one pass over the parsed template: text a variable brings
 * in is copied, never looked at again, so a Message-ID or subject holding
 * "$TO$" or "${subject}" stays as it is. Values are cleaned to one line
 * of valid UTF-8 (rfc5322_text_clean) and cut at TEMPLATE_VALUE_MAX
 * bytes; header values come out as text that the caller still has to
 * encode and fold (reply_compose does, with rfc5322_header_put).
 *
 * Header lines a template may carry: Subject (replaces the default
 * "Re: ..."), Reply-To, Organization, X-* and other informational fields.
 * The ones the milter sets for safety or MIME (From, To, Cc, Bcc, Date,
 * Message-ID, In-Reply-To, References, Auto-Submitted, X-Loop,
 * MIME-Version, Content-*, ...) are refused at load.
 */
#ifndef ABUSE_TEMPLATE_H
#define ABUSE_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

#define TEMPLATE_VALUE_MAX 1024	/* bytes of one variable's value */

enum template_var {
	TVAR_TO,		/* the reply's recipient address */
	TVAR_TO_NAME,		/* its display name (echo.h), else the address */
	TVAR_FROM,		/* reply.from as configured */
	TVAR_FROM_ADDR,		/* reply.from_addr */
	TVAR_SUBJECT,		/* the complaint's decoded Subject (echo.h) */
	TVAR_RE_SUBJECT,	/* "Re: " + that subject, without "Re: Re:" */
	TVAR_CASE_ID,		/* bare case id (echo.h) */
	TVAR_IPS,		/* reported addresses, ", " separated */
	TVAR_PORTS,		/* reported ports, ", " separated */
	TVAR_DATE,		/* the reply's Date, RFC 5322 form */
	TVAR_CATEGORY,		/* category name */
	TVAR_TOR_EXIT,		/* "yes" / "no" in the letter's language;
				 * "" without an exit list */
	TVAR_REPORTER,		/* reporter address */
	TVAR_MESSAGE_ID,	/* the complaint's Message-ID */
	TVAR_TIMESTAMP,		/* incident time, ISO 8601 UTC */
	TVAR_OURS,		/* a reported address is in our_networks:
				 * "yes" / "no" in the letter's language;
				 * "" when no address was reported */
	TVAR_LANG,		/* the complaint's language ("de"), "" when
				 * unknown (classify/lang.h) */
	TVAR_REF,		/* our reference, "AM-20261208-QUEUEID"
				 * (reply/ref.h); "" offline */
	TVAR_COUNT
};

struct template;

/* template_load - parse PATH and its translations (NAME.LANG.txt next
 * to NAME.txt, for every language of classify/lang.h that has one);
 * NULL with "PATH:LINE: message" in err when any of them is broken */
struct template *template_load(const char *path, char *err, size_t errlen);

/* template_pick - the translation of t for lang (lang.h index), or t
 * itself when there is none or lang is LANG_UNKNOWN; NULL for NULL */
const struct template *template_pick(const struct template *t, int lang);

/* template_file - the file name of t without its directory
 * ("abuse-ssh.de.txt"); NULL for NULL */
const char *template_file(const struct template *t);

/* template_var_mask - the variables t uses, bit (1ul << var) each */
unsigned long template_var_mask(const struct template *t);
void template_free(struct template *t);

/* template_var_name - "to", "subject", ... */
const char *template_var_name(enum template_var v);

/* template_render - expand with vals (indexed by enum template_var,
 * NULL or "" = not known); appends one (name, value) per template header
 * to hdrs and the body, LF line ends, no line over 998 bytes, to body */
void template_render(const struct template *t,
    const char *const vals[TVAR_COUNT], struct kvlist *hdrs, struct buf *body);

/* template_header_reserved - is this a header only the milter may set? */
bool template_header_reserved(const char *name);

#endif
