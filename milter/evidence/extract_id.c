/*
 * extract_id.c - case, ticket and reference ids from a Subject or free
 * text, and the complaint's own text without quoted earlier mail.
 *
 *	char *id = extract_case_id_subject("Re: Ticket #48213");  -> "48213"
 *	char *own = extract_own_text(m->text.s);
 *	char *id2 = extract_case_id_text(own);
 *	... free() each result; the id functions return NULL when absent ...
 *
 * An id follows a label ("Case ID", "Ticket #", "[ref:", "Notice ID:",
 * "Our reference:", "Unser Zeichen:", "Aktenzeichen", "Référence :",
 * "Referencia:", "Ons kenmerk:", "Incident ID", "Report-ID", "CSIRT#",
 * "Issue", ...) and is printed bare: no label, "#" or brackets. It must
 * contain a digit and be at least three characters long, and it is
 * neither a date nor an IP address. A Subject also yields ticket-system
 * tags ("[example.org #48213]", "[clean-mx-viruses-81328588]") and a
 * leading notice number ("314-300154536  Notice of ...").
 *
 * extract_own_text() drops what the complainant quoted from earlier mail:
 * lines starting with ">", attribution lines ("On ... wrote:", "Am ...
 * schrieb", "Le ... a écrit", "El ... escribió", "Op ... schreef", "Il
 * ... ha scritto", "Em ... escreveu"), and
 * everything after "-----Original Message-----" (and its translations),
 * after a bounce's "------ This is a copy of the message" (Exim; qmail's
 * "--- Below this line is a copy of the message."), or after an Outlook
 * header block ("____" line or "From:" then "Sent:"). When an
 * attribution is not followed by ">" lines the quote is unmarked (HTML
 * mail reduced to text), so everything after it goes too.
 * Forwarded mail is kept: "---------- Forwarded message ----------" and
 * Outlook blocks whose Subject starts with FW:/Fwd:/WG:/TR:/RV: carry the
 * complaint itself (a user forwarding the spam, a site owner forwarding
 * the attack log), while a quoted reply is an earlier exchange, often our
 * own answer with our own addresses in it.
 *
 * The patterns are compiled once per process (pthread_once) with the
 * PCRE2 JIT and are read-only afterwards, so threads may share them.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "evidence/extract.h"
#include "util/util.h"

/* longest id taken from text: longer runs are data, not a reference,
 * and the id ends up in a header line */
#define ID_MAX	128

/* Label, separator, then the id. "in case 123" is English prose, not a
 * label; the id needs a digit somewhere (lookahead) so that "Reference:
 * RFC 5322" does not yield "RFC". German court and prosecution file
 * numbers have blanks in them ("4 Js 123/26", "12 O 345/15"). */
static const char id_label_pattern[] =
    "(?<![\\p{L}\\p{N}_])"
    "(?:(?<!in\\s)case(?:[ \\t-]*(?:id|number|no\\.?|nr\\.?|ref))?"
    "|ticket(?:[ \\t-]*(?:id|number|no\\.?|nr\\.?|nummer))?"
    "|notice(?:[ \\t-]*(?:id|number|no\\.?))?"
    "|incident(?:[ \\t-]*(?:id|number|no\\.?))?"
    "|report[ \\t-]*id|complaint[ \\t-]*(?:id|number|no\\.?)"
    "|tracking(?:[ \\t-]*(?:id|number|no\\.?))?"
    "|issue(?:[ \\t-]*(?:id|number|no\\.?))?"
    "|(?:our[ \\t]+)?ref(?:erence)?(?:[ \\t-]*(?:id|number|no\\.?))?"
    "|infringement[ \\t-]*id|claim[ \\t-]*(?:id|number|no\\.?)"
    "|file[ \\t-]*(?:number|no\\.?|nr\\.?|id)"
    "|unsere?[ \\t]+zeichen|aktenzeichen|az\\."
    "|vorgangs[ \\t-]*(?:nummer|nr\\.?)"
    "|referenz(?:nummer)?|fallnummer|meldungsnummer|tagebuchnummer"
    "|gesch\\x{e4}ftszeichen"
    "|r\\x{e9}f\\x{e9}rence|reference(?:[ \\t]+du[ \\t]+dossier)?"
    "|num\\x{e9}ro[ \\t]+de[ \\t]+dossier"
    "|referencia|n\\x{fa}mero[ \\t]+de[ \\t]+caso|caso|incidencia"
    "|diligencias[ \\t]+previas|expediente|procedimiento[ \\t]+abreviado"
    "|ons[ \\t]+kenmerk|kenmerk|referentie|zaaknummer|dossiernummer"
    "|meldingsnummer|rif|protocolo|pratica"
    "|csirt|rid"
    /* "(ID 2859112)", "Listing ID:", a request or file of another desk;
     * never the "id" of a Received: line or "Event ID 4625" */
    "|(?:listing[ \\t-]*)?id(?=[ \\t]*[:#])|(?<=\\()id(?=[ \\t]+[0-9])"
    "|request(?:[ \\t-]*(?:id|number|no\\.?))?"
    "|dossier|pv|proc\\x{e8}s-verbal|refer\\x{ea}ncia|processo|nuipc"
    "|procedimento|provvedimento|parket(?:nummer)?"
    "|sygn(?:\\.|atur[a\\x{119}e])?(?:[ \\t]+akt)?"
    "|n[\\x{b0}\\x{ba}]|\\x{2116}"
    "|(?:\\x{43d}\\x{43e}\\x{43c}\\x{435}\\x{440}[ \\t]+)?"
    "(?:\\x{434}\\x{435}\\x{43b}[\\x{43e}\\x{430}]"
    "|\\x{437}\\x{430}\\x{44f}\\x{432}\\x{43a}[\\x{430}\\x{438}]"
    "|\\x{43e}\\x{431}\\x{440}\\x{430}\\x{449}\\x{435}\\x{43d}\\x{438}"
    "[\\x{435}\\x{44f}])"
    "|\\x{7167}\\x{4f1a}\\x{756a}\\x{53f7}|\\x{53d7}\\x{4ed8}\\x{756a}\\x{53f7}"
    "|\\x{7ba1}\\x{7406}\\x{756a}\\x{53f7}"
    "|\\x{4e8b}\\x{4ef6}\\x{756a}\\x{53f7})"
    "(?![\\p{L}\\p{N}])\\.?(?:[ \\t]+(?:is|ist|est|es)(?!\\p{L}))?"
    "[ \\t]*(?:[:#\\x{ff1a}]|n(?:[o\\x{b0}\\x{ba}]\\.?|\\.)(?!\\p{L})|nr\\."
    "|\\x{2116})?"
    "[ \\t]*[:#]?[ \\t]*(?:\\[[ \\t]*)?#?"
    /* court and police file numbers: "II K 123/26", "2 Ds 41/26",
     * "PR 4412/26" (Polish sygnatura akt and the like) */
    "((?:[IVXL]{1,6}|[0-9]{1,4}) [A-Z][A-Za-z]{0,3} [0-9]{1,6}/[0-9]{2,4}"
    "|[A-Z]{1,4} [0-9]{1,6}/[0-9]{2,4}"
    "|[A-Z]{1,4} [0-9]{1,4}-[0-9][A-Za-z0-9./-]*[0-9]"
    "|(?=[A-Za-z0-9._/@-]*[0-9])[A-Za-z0-9](?:[A-Za-z0-9._/@-]*[A-Za-z0-9])?)"
    "(?![A-Za-z0-9])";

/* Subject only: a ticket-system tag "[queue #48213]", "[#48213]" or
 * SpamCop's "[SpamCop (http://...) id:7012345678]", a
 * bracketed token with a run of digits and no dots (dots mean a host or
 * an address), or a notice number that opens the Subject. */
static const char id_subject_pattern[] =
    "\\[[^\\[\\]\\n]{0,80}?(?:#|(?<![\\p{L}\\p{N}])id[ \\t]*[:#])[ \\t]*"
    "(?=[A-Za-z0-9-]*[0-9])([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\\]"
    "|\\[([A-Za-z0-9_-]*[0-9]{4,}[A-Za-z0-9_-]*)\\]"
    "|^[ \\t]*(?:(?:re|fwd?|aw|wg|tr|rv)[ \\t]*:[ \\t]*)*"
    "([0-9][0-9-]{4,}[0-9])(?![\\p{L}\\p{N}.])";

static pcre2_code *id_label_re;
static pcre2_code *id_subject_re;
static pthread_once_t id_once = PTHREAD_ONCE_INIT;

/* id_compile - compile one built-in pattern; failure is a bug in this
 * file, not bad input, so it stops the process */
static pcre2_code *
id_compile(const char *pattern)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	pcre2_code *re;
	int err;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF,
	    &err, &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(err, msg, sizeof(msg));
		fprintf(stderr, "extract_id: pattern error at %zu: %s\n",
		    (size_t)off, (char *)msg);
		abort();
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);	/* else interpreted */
	return re;
}

/* id_init - compile the patterns, once per process */
static void
id_init(void)
{
	id_label_re = id_compile(id_label_pattern);
	id_subject_re = id_compile(id_subject_pattern);
}

/* id_is_date - "2015-05-06", "06.05.2015", "5/6/15": three numbers with
 * one separator that can be a calendar date */
static bool
id_is_date(const char *id)
{
	long v[3];
	size_t len[3];
	char sep = 0, *end;
	const char *p = id;

	for (int k = 0; k < 3; k++) {
		if (!isdigit((unsigned char)*p))
			return false;
		v[k] = strtol(p, &end, 10);
		len[k] = (size_t)(end - p);
		p = end;
		if (k == 2)
			break;
		if ((*p != '-' && *p != '/' && *p != '.') || (sep && *p != sep))
			return false;
		sep = *p++;
	}
	if (*p != '\0')
		return false;
	if (len[0] == 4)
		return len[1] <= 2 && len[2] <= 2 && v[1] >= 1 && v[1] <= 12 &&
		    v[2] >= 1 && v[2] <= 31;
	if (len[0] > 2 || len[1] > 2 || (len[2] != 2 && len[2] != 4) ||
	    v[0] < 1 || v[1] < 1)
		return false;
	return (v[0] <= 31 && v[1] <= 12) || (v[0] <= 12 && v[1] <= 31);
}

/* id_acceptable - 3 to ID_MAX characters, a digit, no date, no IP */
static bool
id_acceptable(const char *id)
{
	struct in_addr a4;
	size_t len = strlen(id);

	if (len < 3 || len > ID_MAX || strpbrk(id, "0123456789") == NULL)
		return false;
	return inet_pton(AF_INET, id, &a4) != 1 && !id_is_date(id);
}

/* id_search - the first acceptable id that re captures in text */
static char *
id_search(const pcre2_code *re, const char *text)
{
	pcre2_match_data *md;
	PCRE2_SIZE *ov, start = 0, len;
	char *id = NULL;
	int rc;

	if (text == NULL)
		return NULL;
	pthread_once(&id_once, id_init);
	len = strlen(text);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	ov = pcre2_get_ovector_pointer(md);
	while (id == NULL && start < len && (rc = pcre2_match(re,
	    (PCRE2_SPTR)text, len, start, 0, md, NULL)) > 0) {
		for (int g = 1; g < rc && id == NULL; g++) {
			if (ov[2 * g] == PCRE2_UNSET)
				continue;
			id = xstrndup(text + ov[2 * g],
			    ov[2 * g + 1] - ov[2 * g]);
			if (!id_acceptable(id)) {
				free(id);
				id = NULL;
			}
		}
		/* go on after the start of this match: a rejected id may
		 * hide a label inside it */
		start = ov[0] + 1;
	}
	pcre2_match_data_free(md);
	return id;
}

/* extract_case_id_text - the first labelled id in free text */
char *
extract_case_id_text(const char *text)
{
	pthread_once(&id_once, id_init);
	return id_search(id_label_re, text);
}

/* extract_case_id_subject - a labelled id, else a ticket tag or a leading
 * notice number */
char *
extract_case_id_subject(const char *subject)
{
	char *id;

	pthread_once(&id_once, id_init);
	if ((id = id_search(id_label_re, subject)) != NULL)
		return id;
	return id_search(id_subject_re, subject);
}

/* line - one line of the text, without its line break */
struct own_line {
	const char *s;		/* start */
	size_t len;		/* without "\r\n" */
	const char *next;	/* start of the following line */
};

/* own_line_at - the line starting at p */
static struct own_line
own_line_at(const char *p)
{
	struct own_line l;
	const char *nl = strchr(p, '\n');

	l.s = p;
	l.next = nl ? nl + 1 : p + strlen(p);
	l.len = (size_t)((nl ? nl : l.next) - p);
	while (l.len > 0 && (p[l.len - 1] == '\r' || p[l.len - 1] == ' ' ||
	    p[l.len - 1] == '\t'))
		l.len--;
	return l;
}

/* own_skip_blank - first line at or after p that is not blank */
static struct own_line
own_skip_blank(const char *p)
{
	struct own_line l = own_line_at(p);

	for (int k = 0; k < 3 && l.len == 0 && *l.next; k++)
		l = own_line_at(l.next);
	return l;
}

/* own_starts - does the line start with one of the words (any case)? */
static bool
own_starts(const struct own_line *l, const char *const *words)
{
	const char *p = l->s;
	size_t skip = 0;

	while (skip < l->len && (p[skip] == ' ' || p[skip] == '\t'))
		skip++;
	for (int k = 0; words[k]; k++) {
		size_t n = strlen(words[k]);

		if (l->len - skip >= n &&
		    strncasecmp(p + skip, words[k], n) == 0)
			return true;
	}
	return false;
}

/* own_is_quoted - a ">" line */
static bool
own_is_quoted(const struct own_line *l)
{
	static const char *const gt[] = {">", NULL};

	return own_starts(l, gt);
}

/* own_is_original - "-----Original Message-----" and translations */
static bool
own_is_original(const struct own_line *l)
{
	static const char *const names[] = {
		"original message", "ursprüngliche nachricht",
		"originalnachricht", "message d'origine", "mensaje original",
		"oorspronkelijk bericht", "messaggio originale",
		"mensagem original", NULL,
	};
	static const char *const returned[] = {
		"this is a copy of the message",
		"below this line is a copy of the message", NULL,
	};
	const char *p = l->s, *end = l->s + l->len;

	if (l->len > 80)
		return false;
	while (p < end && (*p == '-' || *p == ' ' || *p == '\t'))
		p++;
	if (p - l->s < 3)
		return false;
	while (end > p && (end[-1] == '-' || end[-1] == ' '))
		end--;
	for (int k = 0; names[k]; k++)
		if ((size_t)(end - p) == strlen(names[k]) &&
		    strncasecmp(p, names[k], (size_t)(end - p)) == 0)
			return true;
	/* a bounce that returns the message (Exim, qmail) quotes it, and
	 * the returned message is often our own reply */
	for (int k = 0; returned[k]; k++)
		if ((size_t)(end - p) >= strlen(returned[k]) &&
		    strncasecmp(p, returned[k], strlen(returned[k])) == 0)
			return true;
	return false;
}

/* own_contains - is word inside s[0..len)? (ASCII case-insensitive) */
static bool
own_contains(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, word, n) == 0)
			return true;
	return false;
}

/* own_has_digit - does the line hold a digit? */
static bool
own_has_digit(const struct own_line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (isdigit((unsigned char)l->s[i]))
			return true;
	return false;
}

/* own_attribution - how many lines (1 or 2) an "On ... wrote:" style
 * attribution takes here, or 0 */
static int
own_attribution(const struct own_line *l)
{
	static const char *const openers[] = {"On ", "Am ", "Le ", "El ",
	    "Op ", "Il ", "Em ", "Den ", NULL};
	static const char *const verbs[] = {"wrote", "schrieb",
	    "a \xc3\xa9" "crit", "escribi\xc3\xb3", "schreef", "ha scritto",
	    "escreveu", "skrev", NULL};
	struct own_line l2;

	/* every mail client writes the date into its attribution, which
	 * tells it from a sentence like "On Monday the customer wrote:" */
	if (l->len > 400 || !own_starts(l, openers) || !own_has_digit(l))
		return 0;
	if (l->s[l->len - 1] == ':') {
		for (int k = 0; verbs[k]; k++)
			if (own_contains(l->s, l->len, verbs[k]))
				return 1;
		return 0;
	}
	/* a long attribution is wrapped: "... <a@b>" / "wrote:" */
	l2 = own_line_at(l->next);
	if (l2.len == 0 || l2.len > 200 || l2.s[l2.len - 1] != ':')
		return 0;
	for (int k = 0; verbs[k]; k++)
		if (own_contains(l->s, l->len, verbs[k]) ||
		    own_contains(l2.s, l2.len, verbs[k]))
			return 2;
	return 0;
}

/* own_is_underscores - Outlook's "________________________________" */
static bool
own_is_underscores(const struct own_line *l)
{
	if (l->len < 10 || l->len > 80)
		return false;
	for (size_t i = 0; i < l->len; i++)
		if (l->s[i] != '_')
			return false;
	return true;
}

/* own_forwarded - does the header block starting at p carry a Subject
 * that says "forwarded"? */
static bool
own_forwarded(const char *p)
{
	static const char *const subj[] = {"Subject:", "Betreff:", "Objet :",
	    "Objet:", "Asunto:", "Onderwerp:", "Oggetto:", NULL};
	static const char *const fw[] = {"fw:", "fwd:", "wg:", "tr:", "rv:",
	    "doorst:", "i:", NULL};

	for (int k = 0; k < 8 && *p; k++) {
		struct own_line l = own_line_at(p);

		if (own_starts(&l, subj)) {
			struct own_line v = l;
			const char *colon = memchr(l.s, ':', l.len);

			v.s = colon + 1;
			v.len = l.len - (size_t)(v.s - l.s);
			return own_starts(&v, fw);
		}
		p = l.next;
	}
	return false;
}

/* own_is_outlook - an Outlook header block of a quoted reply: a "____"
 * line followed by From:, or From: directly followed by Sent: */
static bool
own_is_outlook(const struct own_line *l)
{
	static const char *const from[] = {"From:", "Von:", "De :", "De:",
	    "Van:", "Da:", NULL};
	static const char *const sent[] = {"Sent:", "Gesendet:",
	    "Envoy\xc3\xa9", "Envia", "Verzonden:", "Inviato:", NULL};
	struct own_line n;

	if (own_is_underscores(l)) {
		n = own_skip_blank(l->next);
		return own_starts(&n, from) && !own_forwarded(n.s);
	}
	if (!own_starts(l, from))
		return false;
	n = own_line_at(l->next);
	return own_starts(&n, sent) && !own_forwarded(l->s);
}

/* own_quote_follows - is the next non-blank line a ">" line? */
static bool
own_quote_follows(const char *p)
{
	struct own_line n = own_skip_blank(p);

	return own_is_quoted(&n);
}

/* extract_own_text - the text without quoted earlier mail */
char *
extract_own_text(const char *text)
{
	struct buf out;
	const char *p = text;
	int attr;

	buf_init(&out);
	if (text == NULL)
		return out.s;
	while (*p) {
		struct own_line l = own_line_at(p);

		if (own_is_original(&l) || own_is_outlook(&l))
			break;
		if ((attr = own_attribution(&l)) > 0) {
			p = attr == 2 ? own_line_at(l.next).next : l.next;
			if (!own_quote_follows(p))
				break;
			continue;
		}
		if (!own_is_quoted(&l))
			buf_append(&out, l.s, (size_t)(l.next - l.s));
		p = l.next;
	}
	return out.s;	/* the caller owns the bytes now */
}
