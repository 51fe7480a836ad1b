/*
 * extract_ipctx.c - decide what role an address found in a complaint
 * plays: the reported offender, a victim, a mail relay, or no address at
 * all (a version or section number). Called by the line walker
 * (extract_ipwalk.c) one line at a time through ipctx_classify(); the
 * heuristic is described at the top of extract_ip.c.
 *
 * The rules read the words around an address the way a person does:
 *   - the nearest cue word before the address wins ("attack from our
 *     server 203.0.113.9" is a victim, "our server was attacked from
 *     198.51.100.7" an offender); cues are looked for back to the previous
 *     address, the start of the sentence, or 8 words;
 *   - possessives ("our", "my", "unser", "notre", "nuestro", "onze")
 *     and "to"/"into"/"nach"/"vers" count only when nothing but host
 *     nouns ("server", "host", "network", ...) and host names stand
 *     between them and the address; "to" also needs a word of motion
 *     before it ("connections to", "traffic to") or an address ("A to
 *     B"), since "relating to the IP address" names no direction; a
 *     "from" further left makes it "from A to B" and B the victim;
 *   - the words of dotted host names are no cues ("attack from
 *     mx.example.net [addr]" is an offender), but an "mx.*" host that
 *     nothing else is said of is a mail hop (bounces);
 *   - "relay" counts in its log form ("relay=host[addr]") only, since a
 *     Tor exit operator's "relays" are the reported machines;
 *   - "by" is a relay ("received by") unless an attack verb precedes it
 *     ("attacked by");
 *   - an attack verb right before the address makes it the object ("is
 *     attacking 203.0.113.1"), with a noun between the actor ("attacking
 *     host 198.51.100.7");
 *   - arrows between two addresses ("a -> b", tcpdump "a > b") make the
 *     right one the victim; "(victim)", "(our server)", "was attacked"
 *     after an address do the same;
 *   - an address that only follows another one through separators
 *     ("1.2.3.4, 1.2.3.5 and 1.2.3.6") takes that one's role;
 *   - an address that starts a line and is followed by " - " or " [" is
 *     the client field of an access log (Apache, nginx);
 *   - when a sentence names an offender explicitly, its other addresses
 *     that nothing names are the attacked side (sshd "Connection from A port
 *     P on B port Q", nginx "client: A, ... host: B"), unless "and",
 *     "or", "also" join them to the one before.
 */
#include "evidence/extract_ipctx.h"

#include <string.h>

#define IPCTX_MAX_WORDS	8	/* how far back a cue word still counts */
#define IPCTX_MAX_SPAN	160	/* bytes looked at before an address */

/* ipctx_lower_word - see extract_ipctx.h */
bool
ipctx_lower_word(const char *t, size_t from, size_t to, char *w,
    size_t wsize)
{
	size_t i;

	if (to - from >= wsize)
		return false;
	for (i = from; i < to; i++)
		w[i - from] = t[i] >= 'A' && t[i] <= 'Z' ? (char)(t[i] | 0x20)
		    : t[i];
	w[to - from] = '\0';
	return true;
}

/* ipctx_prev_word - the word ending at or before *pos (not before ws),
 * lower-cased into w; *pos moves to its start. Over-long words come back
 * as "" so that they match nothing but still count. */
static bool
ipctx_prev_word(const char *t, size_t ws, size_t *pos, char *w,
    size_t wsize)
{
	size_t i = *pos, e;

	while (i > ws && !ipctx_is_alpha((unsigned char)t[i - 1]))
		i--;
	if (i == ws)
		return false;
	e = i;
	while (i > ws && ipctx_is_alpha((unsigned char)t[i - 1]))
		i--;
	if (!ipctx_lower_word(t, i, e, w, wsize))
		w[0] = '\0';
	*pos = i;
	return true;
}

/* ipctx_next_word - the word starting at or after *pos (before le) */
static bool
ipctx_next_word(const char *t, size_t le, size_t *pos, char *w,
    size_t wsize)
{
	size_t i = *pos, s;

	while (i < le && !ipctx_is_alpha((unsigned char)t[i]))
		i++;
	if (i == le)
		return false;
	s = i;
	while (i < le && ipctx_is_alpha((unsigned char)t[i]))
		i++;
	if (!ipctx_lower_word(t, s, i, w, wsize))
		w[0] = '\0';
	*pos = i;
	return true;
}

/* ipctx_sentence_end - does the character at t[i] end a sentence
 * (before lim)? "!", "?", ";", or "." before a blank and a capital. */
static bool
ipctx_sentence_end(const char *t, size_t i, size_t lim)
{
	char c = t[i];

	if (c == '!' || c == '?' || c == ';')
		return true;
	return c == '.' && i + 2 < lim && (t[i + 1] == ' ' || t[i + 1] == '\t')
	    && t[i + 2] >= 'A' && t[i + 2] <= 'Z';
}

/* ipctx_sentence_start - move ws up to the start of the sentence that
 * holds pos, so cue words of an earlier sentence do not count; a new
 * sentence is "word. Capital" (not "mx.example.jp. [192.0.2.1]") */
static size_t
ipctx_sentence_start(const char *t, size_t ws, size_t pos)
{
	size_t i;

	for (i = pos; i > ws; i--)
		if (ipctx_sentence_end(t, i - 1, pos))
			return i;
	return ws;
}

/* ipctx_by - "VERB by ADDR": the actor after an attack verb, else a relay */
static int
ipctx_by(const char *t, size_t ws, size_t pos)
{
	char w[24];

	if (ipctx_prev_word(t, ws, &pos, w, sizeof(w))
	    && (ipctx_kinds(w) & K_VERB))
		return IPROLE_OFFENDER;
	return IPROLE_RELAY;
}

/* ipctx_dotted - is the word of len bytes at t[s..] part of a dotted
 * host name ("forum.example.com")? Its words are no cues ("mx.example"
 * is a host, not a relay). */
static bool
ipctx_dotted(const char *t, size_t ws, size_t s, size_t len)
{
	size_t e = s + len;

	if (len == 0)
		return false;
	/* the whole label: "mx1" in "mx1.example.net" */
	while (ipctx_is_alnum((unsigned char)t[e]) || t[e] == '-')
		e++;
	while (s > ws && (ipctx_is_alnum((unsigned char)t[s - 1])
	    || t[s - 1] == '-'))
		s--;
	if (s >= ws + 2 && t[s - 1] == '.'
	    && ipctx_is_alnum((unsigned char)t[s - 2]))
		return true;
	return t[e] == '.' && ipctx_is_alnum((unsigned char)t[e + 1]);
}

/* ipctx_motion_before - does a word of movement ("connections to",
 * "traffic to") stand before the "to" at pos, or, with nothing before
 * it, an address ("A to B")? Without one, "to" is no direction
 * ("relating to the IP address ..."). */
static bool
ipctx_motion_before(const char *t, size_t ws, size_t pos, bool after_addr)
{
	char w[24];

	if (!ipctx_prev_word(t, ws, &pos, w, sizeof(w)))
		return after_addr;
	return (ipctx_kinds(w) & K_MOTION) != 0;
}

/* ipctx_left - role named by the words in t[ws..pos), nearest cue first */
static int
ipctx_left(const char *t, size_t ws, size_t pos, bool after_addr)
{
	char w[24];
	bool fillers_only = true, toward = false, mx_host = false;
	unsigned k;
	int nwords;

	for (nwords = 0; nwords < IPCTX_MAX_WORDS; nwords++) {
		if (!ipctx_prev_word(t, ws, &pos, w, sizeof(w)))
			break;
		if (ipctx_dotted(t, ws, pos, strlen(w))) {
			/* part of a host name, no cue; but an "mx.*" host
			 * with nothing said about it is a mail hop (bounces:
			 * "host mx.example.net [192.0.2.25]") */
			mx_host |= strcmp(w, "mx") == 0 && (pos == ws
			    || t[pos - 1] != '.');
			continue;
		}
		k = ipctx_kinds(w);
		if (nwords == 0 && (k & K_NOTADDR))
			return IPROLE_NOTADDR;
		if (nwords == 0 && (k & K_VERB_OBJECT))
			return IPROLE_VICTIM;
		if (strcmp(w, "by") == 0)
			return ipctx_by(t, ws, pos);
		if (k & K_OFFENDER)	/* "from A to B": B is the victim */
			return toward ? IPROLE_VICTIM : IPROLE_OFFENDER;
		if (k & K_VICTIM)
			return IPROLE_VICTIM;
		if ((k & K_RELAY) && (strcmp(w, "relay") != 0
		    || t[pos + 5] == '=' || t[pos + 5] == ':'))
			return IPROLE_RELAY;
		if (fillers_only && (k & K_POSS))
			return IPROLE_VICTIM;
		if (fillers_only && (k & K_TOWARD)) {
			if (!(k & K_WEAK_TOWARD)
			    || ipctx_motion_before(t, ws, pos, after_addr))
				return IPROLE_VICTIM;
			toward = true;
		}
		if (!(k & K_FILLER))
			fillers_only = false;
	}
	return mx_host ? IPROLE_RELAY : IPROLE_NEUTRAL;
}

/* ipctx_arrow - does t[ws..pos) hold only a port and an arrow, as between
 * the two addresses of "a:p -> b" or tcpdump "a.p > b"? */
static bool
ipctx_arrow(const char *t, size_t ws, size_t pos)
{
	bool arrow = false;
	size_t i;

	for (i = ws; i < pos; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c == '>')
			arrow = true;
		else if (c == 0xe2 && i + 2 < pos
		    && (unsigned char)t[i + 1] == 0x86
		    && (unsigned char)t[i + 2] == 0x92) {
			arrow = true;	/* U+2192 RIGHTWARDS ARROW */
			i += 2;
		} else if (!(c == ' ' || c == '\t' || c == '-' || c == '='
		    || c == ':' || c == ']' || ipctx_is_digit(c)))
			return false;
	}
	return arrow;
}

/* ipctx_separators_only - does t[ws..pos) only join list members? */
static bool
ipctx_separators_only(const char *t, size_t ws, size_t pos)
{
	char w[8];
	size_t i = ws;

	while (i < pos) {
		unsigned char c = (unsigned char)t[i];
		size_t s = i;

		if (ipctx_is_alpha(c)) {
			while (i < pos && ipctx_is_alpha((unsigned char)t[i]))
				i++;
			if (!ipctx_lower_word(t, s, i, w, sizeof(w))
			    || !(ipctx_kinds(w) & K_CONJ))
				return false;
			continue;
		}
		if (strchr(" \t,;/&|+-\"'()[]", c) == NULL || c == '\0')
			return false;
		i++;
	}
	return true;
}

/* ipctx_has_alpha - any letter in t[from..to)? */
static bool
ipctx_has_alpha(const char *t, size_t from, size_t to)
{
	for (; from < to; from++)
		if (ipctx_is_alpha((unsigned char)t[from]))
			return true;
	return false;
}

/* ipctx_right - role named right after the address: "(victim)",
 * "(our server)", "was attacked"; a bounce's "said:" */
static int
ipctx_right(const char *t, size_t pos, size_t le)
{
	char w[24];
	size_t i = pos, end;

	if (le - pos > 64)	/* the cue must stand right after it */
		le = pos + 64;
	while (i < le && (t[i] == ' ' || t[i] == '\t'))
		i++;
	if (i < le && t[i] == '(') {
		end = i + 48 < le ? i + 48 : le;
		while (ipctx_next_word(t, end, &i, w, sizeof(w))) {
			if (ipctx_kinds(w) & (K_VICTIM | K_POSS))
				return IPROLE_VICTIM;
			if (ipctx_kinds(w) & K_OFFENDER)
				return IPROLE_OFFENDER;
			if (i < end && t[i] == ')')
				break;
		}
		return IPROLE_NEUTRAL;
	}
	if (!ipctx_next_word(t, le, &i, w, sizeof(w)))
		return IPROLE_NEUTRAL;
	if (strcmp(w, "said") == 0 && i < le && t[i] == ':')
		return IPROLE_RELAY;	/* DSN: "host mx[addr] said: 550" */
	if (!(ipctx_kinds(w) & K_PASSIVE))
		return IPROLE_NEUTRAL;
	/* "was attacked", "is our server", "is the target" */
	if (!ipctx_next_word(t, le, &i, w, sizeof(w)))
		return IPROLE_NEUTRAL;
	if (ipctx_kinds(w) & K_PASSIVE_CUE)
		return IPROLE_VICTIM;
	if (!(ipctx_kinds(w) & K_POSS) && strcmp(w, "the") != 0)
		return IPROLE_NEUTRAL;
	if (ipctx_next_word(t, le, &i, w, sizeof(w))
	    && (ipctx_kinds(w) & (K_FILLER | K_VICTIM | K_PASSIVE_CUE)))
		return IPROLE_VICTIM;
	return IPROLE_NEUTRAL;
}

/* ipctx_label_role - see extract_ipctx.h */
int
ipctx_label_role(const char *t, size_t ls, size_t le)
{
	size_t i, words = 0;
	int role;

	while (le > ls && (t[le - 1] == ' ' || t[le - 1] == '\t'))
		le--;
	if (le == ls || t[le - 1] != ':' || le - ls > 80)
		return -1;
	for (i = ls; i < le; i++)	/* a heading, not a sentence */
		if (ipctx_is_alpha((unsigned char)t[i]) && (i == ls
		    || !ipctx_is_alpha((unsigned char)t[i - 1])) && ++words > 4)
			return IPROLE_NEUTRAL;
	role = ipctx_left(t, ls, le - 1, false);
	return role == IPROLE_NOTADDR ? IPROLE_NEUTRAL : role;
}

/* ipctx_log_client - is an address at the start of a line followed the
 * way the client field of an access log is ("1.2.3.4 - - [date]",
 * "1.2.3.4 [date]")? */
static bool
ipctx_log_client(const char *t, size_t pos, size_t le)
{
	if (pos >= le || (t[pos] != ' ' && t[pos] != '\t'))
		return false;
	while (pos < le && (t[pos] == ' ' || t[pos] == '\t'))
		pos++;
	return pos < le && (t[pos] == '-' || t[pos] == '[');
}

/* ipctx_joined - does t[ws..pos) join two items with "and"/"or"? An
 * address joined so to a named offender is another one. */
static bool
ipctx_joined(const char *t, size_t ws, size_t pos)
{
	char w[8];

	while (ipctx_prev_word(t, ws, &pos, w, sizeof(w)))
		if ((ipctx_kinds(w) & K_CONJ) || strcmp(w, "also") == 0)
			return true;
	return false;
}

/* ipctx_one - role of hit k from the text around it */
static void
ipctx_one(const struct ipctx_line *ln, struct iphit *h, size_t k)
{
	const char *t = ln->t;
	size_t ws = k > 0 ? h[k - 1].after : ln->ls;
	size_t pos = h[k].start, ss;
	int role;

	if (pos - ws > IPCTX_MAX_SPAN)
		ws = pos - IPCTX_MAX_SPAN;
	ss = ipctx_sentence_start(t, ws, pos);
	if (k > 0 && ipctx_arrow(t, ws, pos))
		role = IPROLE_VICTIM;
	else
		role = ipctx_left(t, ss, pos, k > 0 && ss == h[k - 1].after);
	if (role == IPROLE_NEUTRAL)
		role = ipctx_right(t, h[k].after, ln->le);
	h[k].role = role;
	h[k].explicit_role = role != IPROLE_NEUTRAL;
	if (role != IPROLE_NEUTRAL)
		return;
	if (k > 0 && ipctx_separators_only(t, ws, pos)) {
		h[k].role = h[k - 1].role;
		h[k].explicit_role = h[k - 1].explicit_role;
		h[k].inherited = true;
	} else if (k == 0 && !ipctx_has_alpha(t, ln->ls, pos)) {
		if (ln->label_role != IPROLE_NEUTRAL)
			h[k].role = ln->label_role;
		else if (ipctx_log_client(t, h[k].after, ln->le))
			h[k].role = IPROLE_OFFENDER;
		h[k].explicit_role = h[k].role != IPROLE_NEUTRAL;
	}
}

/* ipctx_classify - roles of all hits of one line, then the sentence
 * rule: once an offender is named, unnamed addresses of the same
 * sentence are the other side */
void
ipctx_classify(const struct ipctx_line *ln, struct iphit *h, size_t n)
{
	const char *t = ln->t;
	size_t k, j, i = ln->ls, sentence = 0;
	bool named = false;

	for (k = 0; k < n; k++) {
		for (; i < h[k].start; i++)
			sentence += ipctx_sentence_end(t, i, ln->le);
		h[k].sentence = sentence;
		ipctx_one(ln, h, k);
		named |= h[k].role == IPROLE_OFFENDER && h[k].explicit_role;
	}
	for (k = 0; named && k < n; k = j) {	/* one sentence at a time */
		bool here = false;
		size_t m;

		for (j = k; j < n && h[j].sentence == h[k].sentence; j++)
			here |= h[j].role == IPROLE_OFFENDER
			    && h[j].explicit_role;
		for (m = k; here && m < j; m++)
			if (h[m].role == IPROLE_NEUTRAL && !(m > 0
			    && ipctx_joined(t, h[m - 1].after, h[m].start)))
				h[m].role = IPROLE_VICTIM;
	}
}
