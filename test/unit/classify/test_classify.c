/*
 * test_classify.c - unit tests of milter/classify/classify.c, the rule
 * engine, and of explain.c, its --explain text.
 *
 * Rulesets and messages are built by hand, no config file and no MIME
 * parser involved. A ruleset is written as lines of a small spec:
 *
 *	"C name"                  a category (file order = precedence)
 *	"R name"                  a rule in the last category
 *	"A|kind|target|pattern"   an all{} condition (the rule's own one too)
 *	"N|kind|target|pattern"   the same, negated
 *	"Y|kind|target|pattern"   an any{} condition
 *	"Z|kind|target|pattern"   an any{} condition, negated
 *
 * kind is h (header), b (body), o (own text), v (evidence: the attached
 * messages), e (envelope sender) or f (report field); body, own text,
 * evidence and envelope conditions leave target empty. An upper-case kind makes a phrase condition on that target:
 * the pattern is then phrases separated by ";". A message is header
 * lines "Name: value\n", the complaint's own text, evidence text, report
 * fields "key=value\n" and the envelope sender (NULL = unknown).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "classify/classify.h"
#include "classify/explain.h"
#include "classify/phrase.h"
#include "classify/ruleset.h"
#include "config/config.h"
#include "evidence/evidence.h"
#include "parse/message.h"
#include "util/pattern.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

/* ---- building rulesets ---- */

/* add_phrases - make c a phrase condition with the ";"-separated
 * phrases */
static void
add_phrases(struct ruleset *rs, struct cond *c, const char *phrases)
{
	char *copy = xstrdup(phrases), *save = NULL, *p, err[256];

	c->list = ruleset_phrase_list(rs, c->kind, c->target, &c->text);
	c->phrases = xstrdup(phrases);
	for (p = strtok_r(copy, ";", &save); p != NULL;
	    p = strtok_r(NULL, ";", &save))
		if (phrase_set_add(rs->phrases, c->list, p, err,
		    sizeof(err)) != 0)
			fail_msg("phrase %s: %s", p, err);
	free(copy);
}

/* add_cond - append one condition to an array: a regex, or with phrase
 * set, a phrase list */
static void
add_cond(struct ruleset *rs, struct cond **v, size_t *n, enum cond_kind kind,
    const char *target, const char *pattern, bool negate, bool phrase)
{
	struct cond *c;
	char err[256];

	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	c = &(*v)[(*n)++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->target = target != NULL && *target ? xstrdup(target) : NULL;
	c->negate = negate;
	c->line = (int)*n;
	c->list = c->text = -1;
	if (phrase)
		add_phrases(rs, c, pattern);
	else if ((c->re = pattern_compile(pattern, err, sizeof(err))) == NULL)
		fail_msg("pattern %s: %s", pattern, err);
}

/* spec_kind - the condition kind of a spec letter */
static enum cond_kind
spec_kind(char k)
{
	switch (k | 0x20) {	/* lower case */
	case 'h':
		return COND_HEADER;
	case 'b':
		return COND_BODY;
	case 'o':
		return COND_OWN_TEXT;
	case 'v':
		return COND_EVIDENCE;
	case 'e':
		return COND_ENVELOPE_FROM;
	case 'f':
		return COND_REPORT_FIELD;
	}
	fail_msg("bad condition kind %c", k);
	return COND_BODY;
}

/* spec_line - apply one spec line to the ruleset being built */
static void
spec_line(struct ruleset *rs, char *line)
{
	struct category *cat = rs->ncats ? &rs->cats[rs->ncats - 1] : NULL;
	struct rule *r = cat && cat->nrules ? &cat->rules[cat->nrules - 1] : NULL;
	char *kind, *target, *pattern;

	if (line[0] == 'C') {
		ruleset_add_category(rs, line + 2, (int)rs->ncats + 1);
		return;
	}
	assert_non_null(cat);
	if (line[0] == 'R') {
		ruleset_add_rule(cat, line + 2, (int)cat->nrules + 1);
		return;
	}
	assert_non_null(r);
	/* "X|k|target|pattern": the pattern may contain '|' itself */
	kind = line + 2;
	target = kind + 2;
	pattern = strchr(target, '|');
	assert_non_null(pattern);
	*pattern++ = '\0';
	if (line[0] == 'A' || line[0] == 'N')
		add_cond(rs, &r->all, &r->nall, spec_kind(*kind), target,
		    pattern, line[0] == 'N', *kind < 'a');
	else if (line[0] == 'Y' || line[0] == 'Z')
		add_cond(rs, &r->any, &r->nany, spec_kind(*kind), target,
		    pattern, line[0] == 'Z', *kind < 'a');
	else
		fail_msg("bad spec line %s", line);
}

/* build_ruleset - a ruleset from a spec; fallback names its default
 * category (NULL: the last one) */
static struct ruleset *
build_ruleset(const char *spec, const char *fallback)
{
	struct ruleset *rs = xcalloc(1, sizeof(*rs));
	char *copy = xstrdup(spec), *save = NULL, *line;

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		spec_line(rs, line);
	free(copy);
	assert_true(rs->ncats > 0);
	rs->fallback = fallback != NULL ? ruleset_find(rs, fallback) :
	    &rs->cats[rs->ncats - 1];
	assert_non_null(rs->fallback);
	ruleset_finish(rs);
	return rs;
}

/* free_ruleset - what build_ruleset allocated */
static void
free_ruleset(struct ruleset *rs)
{
	ruleset_free(rs);
	free(rs);
}

/* ---- building messages ---- */

/* fill_msg - headers ("Name: value\n" lines), own text, evidence text */
static void
fill_msg(struct parsed_msg *m, const char *headers, const char *text,
    const char *evidence)
{
	const char *p = headers != NULL ? headers : "", *nl, *colon;

	memset(m, 0, sizeof(*m));
	buf_init(&m->text);
	buf_init(&m->evidence);
	for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		colon = memchr(p, ':', (size_t)(nl - p));
		assert_non_null(colon);
		m->hdrs = xrealloc(m->hdrs, (m->nhdrs + 1) * sizeof(*m->hdrs));
		m->hdrs[m->nhdrs].name = xstrndup(p, (size_t)(colon - p));
		for (colon++; *colon == ' '; colon++)
			;
		m->hdrs[m->nhdrs].value = xstrndup(colon, (size_t)(nl - colon));
		m->nhdrs++;
	}
	if (text != NULL)
		buf_puts(&m->text, text);
	if (evidence != NULL)
		buf_puts(&m->evidence, evidence);
}

/* free_msg - what fill_msg allocated */
static void
free_msg(struct parsed_msg *m)
{
	for (size_t i = 0; i < m->nhdrs; i++) {
		free(m->hdrs[i].name);
		free(m->hdrs[i].value);
	}
	free(m->hdrs);
	buf_free(&m->text);
	buf_free(&m->evidence);
}

/* fill_fields - report fields from "key=value\n" lines */
static void
fill_fields(struct evidence *ev, const char *fields)
{
	const char *p = fields != NULL ? fields : "", *nl, *eq;

	evidence_init(ev);
	for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		char *key, *val;

		eq = memchr(p, '=', (size_t)(nl - p));
		assert_non_null(eq);
		key = xstrndup(p, (size_t)(eq - p));
		val = xstrndup(eq + 1, (size_t)(nl - eq - 1));
		kvlist_add(&ev->fields, key, val);
		free(key);
		free(val);
	}
}

/* ---- the table ---- */

struct classify_row {
	const char *label;
	const char *rules;	/* ruleset spec */
	const char *headers;
	const char *text;	/* the complaint's own text */
	const char *evidence;	/* attached evidence text */
	const char *fields;	/* report fields */
	const char *envfrom;	/* NULL: unknown */
	const char *want_cat;
	const char *want_rule;	/* NULL: no rule (default category) */
};

/* two categories whose rules all look at the Subject */
#define TWO_CATS \
	"C first\nR f1\nA|h|Subject|apple\nR f2\nA|h|Subject|banana\n" \
	"C second\nR s1\nA|h|Subject|banana\nR s2\nA|h|Subject|cherry\n" \
	"C other\n"

static const struct classify_row rows[] = {
	/* precedence: categories in file order, then rules in file order */
	{ "first category wins", TWO_CATS, "Subject: banana\n", "", NULL,
	  NULL, NULL, "first", "f2" },
	{ "second category when first has nothing", TWO_CATS,
	  "Subject: cherry\n", "", NULL, NULL, NULL, "second", "s2" },
	{ "first rule of the category wins", TWO_CATS,
	  "Subject: apple banana cherry\n", "", NULL, NULL, NULL, "first", "f1" },
	{ "file order, not match position", TWO_CATS,
	  "Subject: cherry then apple\n", "", NULL, NULL, NULL, "first", "f1" },
	{ "nothing matches: default category", TWO_CATS,
	  "Subject: durian\n", "", NULL, NULL, NULL, "other", NULL },
	{ "no headers at all: default", TWO_CATS, "", "", NULL, NULL, NULL,
	  "other", NULL },
	{ "default category may be any configured one", "C a\nR r\nA|b||x\n"
	  "C fallback\n", "", "nothing", NULL, NULL, NULL, "fallback", NULL },
	{ "category without rules never matches",
	  "C empty\nC full\nR r\nA|b||.\n", "", "text", NULL, NULL, NULL,
	  "full", "r" },

	/* all{} and any{} */
	{ "all: both hold", "C c\nR r\nA|h|Subject|copyright\nA|b||\\d+\\.\\d+\n"
	  "C other\n", "Subject: copyright notice\n", "from 198.51.100.7",
	  NULL, NULL, NULL, "c", "r" },
	{ "all: one fails", "C c\nR r\nA|h|Subject|copyright\nA|b||\\d+\\.\\d+\n"
	  "C other\n", "Subject: copyright notice\n", "no address here",
	  NULL, NULL, NULL, "other", NULL },
	{ "any: one of two is enough", "C c\nR r\nA|h|Subject|report\n"
	  "Y|b||ssh\nY|b||ftp\nC other\n", "Subject: report\n", "ftp login",
	  NULL, NULL, NULL, "c", "r" },
	{ "any: none holds", "C c\nR r\nA|h|Subject|report\n"
	  "Y|b||ssh\nY|b||ftp\nC other\n", "Subject: report\n", "http",
	  NULL, NULL, NULL, "other", NULL },
	{ "any: all{} must hold as well", "C c\nR r\nA|h|Subject|report\n"
	  "Y|b||ssh\nC other\n", "Subject: hello\n", "ssh", NULL, NULL, NULL,
	  "other", NULL },
	{ "rule made of any{} only", "C c\nR r\nY|b||ssh\nY|b||ftp\nC other\n",
	  "", "ssh", NULL, NULL, NULL, "c", "r" },

	/* negation */
	{ "negated condition holds when the pattern does not match",
	  "C c\nR r\nA|h|List-Unsubscribe|.\nN|h|Subject|(?i)abuse\nC other\n",
	  "List-Unsubscribe: <mailto:u@x.example>\nSubject: news\n", "",
	  NULL, NULL, NULL, "c", "r" },
	{ "negated condition fails when it matches",
	  "C c\nR r\nA|h|List-Unsubscribe|.\nN|h|Subject|(?i)abuse\nC other\n",
	  "List-Unsubscribe: <mailto:u@x.example>\nSubject: Abuse report\n",
	  "", NULL, NULL, NULL, "other", NULL },
	{ "negated absent header holds", "C c\nR r\nN|h|X-Missing|.\nC other\n",
	  "Subject: x\n", "", NULL, NULL, NULL, "c", "r" },
	{ "absent header fails", "C c\nR r\nA|h|X-Missing|.*\nC other\n",
	  "Subject: x\n", "", NULL, NULL, NULL, "other", NULL },
	{ "negated any{}", "C c\nR r\nZ|b||copyright\nC other\n", "",
	  "brute force", NULL, NULL, NULL, "c", "r" },

	/* header instances and names */
	{ "every instance of a header is tested",
	  "C c\nR r\nA|h|Received|203\\.0\\.113\\.9\nC other\n",
	  "Received: from a (198.51.100.1)\nReceived: from b (203.0.113.9)\n"
	  "Subject: x\n", "", NULL, NULL, NULL, "c", "r" },
	{ "header names compare without case",
	  "C c\nR r\nA|h|auto-submitted|^auto-replied\nC other\n",
	  "AUTO-SUBMITTED: auto-replied\n", "", NULL, NULL, NULL, "c", "r" },
	{ "a negated header holds only when no instance matches",
	  "C c\nR r\nN|h|Received|203\\.0\\.113\\.9\nC other\n",
	  "Received: from a (198.51.100.1)\nReceived: from b (203.0.113.9)\n",
	  "", NULL, NULL, NULL, "other", NULL },
	{ "empty header value is present",
	  "C c\nR r\nA|h|X-Autoreply|^$\nC other\n", "X-Autoreply: \n", "",
	  NULL, NULL, NULL, "c", "r" },

	/* report fields */
	{ "report field matches", "C spam\nR arf\n"
	  "A|f|arf.Feedback-Type|(?i)^abuse$\nC other\n", "", "", NULL,
	  "report=arf\narf.Feedback-Type=abuse\n", NULL, "spam", "arf" },
	{ "report field keys compare without case", "C spam\nR arf\n"
	  "A|f|ARF.feedback-type|^abuse$\nC other\n", "", "", NULL,
	  "arf.Feedback-Type=abuse\n", NULL, "spam", "arf" },
	{ "every value of a repeated field", "C c\nR r\nA|f|report|^acns$\n"
	  "C other\n", "", "", NULL, "report=arf\nreport=acns\n", NULL,
	  "c", "r" },
	{ "absent field fails", "C c\nR r\nA|f|xarf.Category|.\nC other\n", "",
	  "", NULL, "report=arf\n", NULL, "other", NULL },
	{ "negated absent field holds", "C c\nR r\nA|b||copyright\n"
	  "N|f|arf.Feedback-Type|.\nC other\n", "", "copyright notice", NULL,
	  NULL, NULL, "c", "r" },
	{ "negated present field fails", "C c\nR r\nA|b||copyright\n"
	  "N|f|arf.Feedback-Type|.\nC other\n", "", "copyright notice", NULL,
	  "arf.Feedback-Type=abuse\n", NULL, "other", NULL },

	/* envelope sender */
	{ "envelope sender matches", "C c\nR r\nA|e||@fbl\\.example$\nC other\n",
	  "", "", NULL, NULL, "reports@fbl.example", "c", "r" },
	{ "unknown envelope sender fails", "C c\nR r\nA|e||.*\nC other\n",
	  "", "", NULL, NULL, NULL, "other", NULL },
	{ "null sender is known and empty", "C c\nR r\nA|e||^$\nC other\n",
	  "", "", NULL, NULL, "", "c", "r" },
	{ "unknown is not the null sender", "C c\nR r\nA|e||^$\nC other\n",
	  "", "", NULL, NULL, NULL, "other", NULL },

	/* body: own text only */
	{ "body sees the own text", "C c\nR r\nA|b||(?i)infring\nC other\n",
	  "", "Notice of infringement", NULL, NULL, NULL, "c", "r" },
	{ "body never sees the evidence", "C c\nR r\nA|b||(?i)infring\n"
	  "C other\n", "", "Please see the attached spam.",
	  "Subject: stop copyright infringement now", NULL, NULL,
	  "other", NULL },
	{ "empty body", "C c\nR r\nA|b||^$\nC other\n", "", NULL, NULL, NULL,
	  NULL, "c", "r" },

	/* evidence: the attached messages only */
	{ "evidence sees an attached message", "C c\nR r\n"
	  "A|v||(?im)^received:\nC other\n", "", "See attached.",
	  "Received: from mx.example\nSubject: cheap pills\n", NULL, NULL,
	  "c", "r" },
	{ "evidence never sees the own text", "C c\nR r\nA|v||(?i)pills\n"
	  "C other\n", "", "cheap pills", NULL, NULL, NULL, "other", NULL },
	{ "no attachment: negated evidence holds", "C c\nR r\nN|v||.\n"
	  "C other\n", "", "text only", NULL, NULL, NULL, "c", "r" },

	/* own text: quoted earlier mail removed */
	{ "own text sees the new text", "C c\nR r\nA|o||(?i)please block\n"
	  "C other\n", "", "Please block 198.51.100.7.", NULL, NULL, NULL,
	  "c", "r" },
	{ "a quoted line is body, not own text",
	  "C body\nR b\nA|b||(?i)please block\nC own\nR o\n"
	  "A|o||(?i)please block\nC other\n", "",
	  "Thanks.\n\n> please block 198.51.100.7\n", NULL, NULL, NULL,
	  "body", "b" },
	{ "a quoted line does not count in own text",
	  "C own\nR o\nA|o||(?i)please block\nC other\n", "",
	  "Thanks.\n\n> please block 198.51.100.7\n", NULL, NULL, NULL,
	  "other", NULL },
	{ "negated own text holds on a quote",
	  "C own\nR o\nN|o||(?i)please block\nC other\n", "",
	  "Thanks.\n\n> please block 198.51.100.7\n", NULL, NULL, NULL,
	  "own", "o" },

	/* phrase conditions */
	{ "phrase in the own text", "C c\nR r\nA|O||spam trap;honeypot\n"
	  "C other\n", "", "Our Spam  Trap got mail.", NULL, NULL, NULL,
	  "c", "r" },
	{ "phrase on word boundaries only", "C c\nR r\nA|O||spam\n"
	  "C other\n", "", "spamming antispam", NULL, NULL, NULL, "other",
	  NULL },
	{ "a hyphen is a word boundary", "C c\nR r\nA|O||spam\n"
	  "C other\n", "", "not spam-free", NULL, NULL, NULL, "c", "r" },
	{ "no phrase: fails", "C c\nR r\nA|O||spam trap\nC other\n", "",
	  "a trap for spam", NULL, NULL, NULL, "other", NULL },
	{ "a quoted phrase does not count", "C c\nR r\nA|O||please block\n"
	  "C other\n", "", "Thanks!\n> Please block this.\n", NULL, NULL,
	  NULL, "other", NULL },
	{ "phrase in the body counts quotes", "C c\nR r\nA|B||please block\n"
	  "C other\n", "", "Thanks!\n> Please block this.\n", NULL, NULL,
	  NULL, "c", "r" },
	{ "phrase in a header", "C c\nR r\nA|H|Subject|abuse report\n"
	  "C other\n", "Subject: [x] Abuse Report 12\n", "nothing", NULL,
	  NULL, NULL, "c", "r" },
	{ "phrase in the second instance of a header",
	  "C c\nR r\nA|H|Received|evil.example\nC other\n",
	  "Received: from a.example\nReceived: from evil.example\n", "",
	  NULL, NULL, NULL, "c", "r" },
	{ "phrase in a header, not in the text",
	  "C c\nR r\nA|H|Subject|abuse report\nC other\n", "Subject: hi\n",
	  "an abuse report", NULL, NULL, NULL, "other", NULL },
	{ "absent header: phrase fails, negated holds",
	  "C c\nR r\nN|H|X-None|x\nA|H|X-None2|x\nC d\nR s\nN|H|X-None|x\n"
	  "C other\n", "Subject: x\n", "", NULL, NULL, NULL, "d", "s" },
	{ "phrase in a report field", "C c\nR r\nA|F|arf.Feedback-Type|abuse\n"
	  "C other\n", "", "", NULL, "arf.Feedback-Type=Abuse\n", NULL, "c",
	  "r" },
	{ "two lists on one text, each its own", "C a\nR ra\nA|O||copyright\n"
	  "C b\nR rb\nA|O||brute force\nC other\n", "",
	  "Brute force from 198.51.100.2", NULL, NULL, NULL, "b", "rb" },
	{ "the same list text in header and own text are two texts",
	  "C a\nR ra\nA|H|Subject|copyright\nC b\nR rb\nA|O||copyright\n"
	  "C other\n", "Subject: hello\n", "copyright notice", NULL, NULL,
	  NULL, "b", "rb" },
	{ "negated phrase", "C c\nR r\nA|b||.\nN|O||newsletter\nC other\n",
	  "", "a complaint", NULL, NULL, NULL, "c", "r" },
	{ "phrase and regex together in a rule",
	  "C c\nR r\nA|O||port scan\nA|h|Subject|(?i)^report\nC other\n",
	  "Subject: Report 7\n", "a port scan from 198.51.100.1", NULL, NULL,
	  NULL, "c", "r" },

	/* broken text */
	{ "invalid UTF-8 in a subject still matches",
	  "C c\nR r\nA|h|Subject|(?i)spam\nC other\n",
	  "Subject: caf\xc3 \xff\xfe SPAM \xe2\x82\n", "", NULL, NULL, NULL,
	  "c", "r" },
	{ "invalid UTF-8 and a Unicode pattern",
	  "C c\nR r\nA|h|Subject|(?i)unerw\xc3\xbcnscht\nC other\n",
	  "Subject: \xff UNERW\xc3\x9c" "NSCHT \xc0\xaf\n", "", NULL, NULL,
	  NULL, "c", "r" },
	{ "invalid UTF-8 never matches a dot across it",
	  "C c\nR r\nA|h|Subject|^a.b$\nC other\n", "Subject: a\xff" "b\n",
	  "", NULL, NULL, NULL, "other", NULL },
};

/* test_classify_table - every row */
static void
test_classify_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct classify_row *r = &rows[i];
		/* the default category of every ruleset is the last one */
		struct ruleset *rs = build_ruleset(r->rules, NULL);
		const struct category *cat;
		const struct rule *rule;
		struct classify_decision d;
		struct parsed_msg m;
		struct evidence ev;

		fill_msg(&m, r->headers, r->text, r->evidence);
		fill_fields(&ev, r->fields);
		classify_run(rs, &m, &ev, r->envfrom, &d);
		cat = d.cat;
		rule = d.rule;
		if (cat == NULL || strcmp(cat->name, r->want_cat) != 0)
			fail_msg("%s: category want %s got %s", r->label,
			    r->want_cat, cat ? cat->name : "(null)");
		if (r->want_rule == NULL && rule != NULL)
			fail_msg("%s: rule want none got %s", r->label,
			    rule->name);
		if (r->want_rule != NULL &&
		    (rule == NULL || strcmp(rule->name, r->want_rule) != 0))
			fail_msg("%s: rule want %s got %s", r->label,
			    r->want_rule, rule ? rule->name : "(none)");
		evidence_free(&ev);
		free_msg(&m);
		free_ruleset(rs);
	}
}

/* test_backtracking - '(a+)+$' on 100 KB of 'a' and a 'b' must give up
 * (match limit) quickly and count as no match; the next rule still runs */
static void
test_backtracking(void **state)
{
	/* evil's pattern would match only after catastrophic backtracking:
	 * the limit makes it no match, so "next" decides */
	struct ruleset *rs = build_ruleset("C evil\nR r\nA|b||^(a+)+c|^a+b$\n"
	    "C next\nR n\nA|b||b$\nC other\n", "other");
	size_t n = 100 * 1024;
	char *text = xmalloc(n + 2);
	const struct category *cat;
	const struct rule *rule;
	struct classify_decision d;
	struct parsed_msg m;
	struct evidence ev;

	(void)state;
	memset(text, 'a', n);
	text[n] = 'b';
	text[n + 1] = '\0';
	fill_msg(&m, "Subject: x\n", text, NULL);
	fill_fields(&ev, NULL);
	classify_run(rs, &m, &ev, NULL, &d);
	cat = d.cat;
	rule = d.rule;
	assert_non_null(cat);
	assert_string_equal(cat->name, "next");
	assert_string_equal(rule->name, "n");
	free(text);
	evidence_free(&ev);
	free_msg(&m);
	free_ruleset(rs);
}

/* explain_text - classify_explain's text for a ruleset and message */
static char *
explain_text(const struct ruleset *rs, const char *headers, const char *text,
    const char *reply)
{
	struct parsed_msg m;
	struct evidence ev;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	fill_msg(&m, headers, text, NULL);
	fill_fields(&ev, NULL);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	classify_explain(rs, &m, &ev, NULL, reply, false, f);
	fclose(f);
	evidence_free(&ev);
	free_msg(&m);
	return out;
}

/* in_order - each of the strings occurs in s, in this order */
static void
in_order(const char *s, const char *const *want, size_t n)
{
	const char *p = s;

	for (size_t i = 0; i < n; i++) {
		const char *q = strstr(p, want[i]);

		if (q == NULL)
			fail_msg("\"%s\" missing or out of order in:\n%s",
			    want[i], s);
		p = q + strlen(want[i]);
	}
}

/* test_explain - the decision first, then categories by total (highest
 * first, ties in file order), each with its rules strongest first and
 * what they matched, then the categories nothing scored for */
static void
test_explain(void **state)
{
	struct ruleset *rs = build_ruleset("C none\nR n1\nA|h|Subject|zzz\n"
	    "C low\nR l1\nA|h|Subject|cherry\n"
	    "C high\nR weak\nA|h|Subject|pie\nR strong\nA|O||brute force\n"
	    "N|h|Subject|(?i)^re:\nR off\nA|h|Subject|apple\n"
	    "C tie\nR t1\nA|h|Subject|cherry\nC other\n", "other");
	static const char *const want[] = {
	    "decision: high, total 3.5\n", "runner-up: low, total 1\n",
	    "rule: strong\n", "reply: send, template x.txt\n",
	    "\nhigh, total 3.5\n",
	    "  +2.5  strong (ends at line ",
	    "        own_text: phrase \"brute force\"\n",
	    "        not header \"Subject\": no match for \"(?i)^re:\"\n",
	    "  +1  weak (ends at line ", "        header \"Subject\": \"pie\"\n",
	    "low, total 1\n", "  +1  l1", "tie, total 1\n", "  +1  t1",
	    "no match: none, other\n",
	};
	char *out;

	(void)state;
	rs->cats[2].rules[1].score = 2.5;
	out = explain_text(rs, "Subject: cherry pie\n", "Brute Force!",
	    "send, template x.txt");
	in_order(out, want, sizeof(want) / sizeof(want[0]));
	assert_null(strstr(out, "off"));	/* a rule that did not match */
	assert_null(strstr(out, "zzz"));
	free(out);

	/* nothing matches: the default category, every category listed
	 * as no match, no reply line when the caller gives none */
	out = explain_text(rs, "Subject: durian\n", "", NULL);
	in_order(out, (const char *const[]){ "decision: other, total 0 (the "
	    "default category", "runner-up: none\n", "rule: (none)\n",
	    "no match: none, low, high, tie, other\n" }, 4);
	assert_null(strstr(out, "reply:"));
	free(out);

	/* long matches are cut */
	out = explain_text(rs, "Subject: pie "
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", "", NULL);
	assert_non_null(strstr(out, "\"pie\""));
	free(out);
	free_ruleset(rs);
}

/* test_explain_cut - a long match is cut to EXPLAIN_MATCH_MAX bytes on
 * a character boundary, marked with "..." */
static void
test_explain_cut(void **state)
{
	struct ruleset *rs = build_ruleset("C c\nR r\nA|b||(?s).*\nC other\n",
	    "other");
	struct buf text;
	char *out, *q;

	(void)state;
	buf_init(&text);
	for (int i = 0; i < 100; i++)
		buf_puts(&text, "\xc3\xa9");	/* é, two bytes */
	out = explain_text(rs, "", text.s, NULL);
	q = strstr(out, "body: \"");
	assert_non_null(q);
	q += strlen("body: \"");
	assert_int_equal(strstr(q, "...\"") - q, EXPLAIN_MATCH_MAX);
	free(out);
	buf_free(&text);
	free_ruleset(rs);
}

/* test_eval - one result per rule in precedence order: matched or not,
 * and traced, each condition's verdict with the text it matched */
static void
test_eval(void **state)
{
	struct ruleset *rs = build_ruleset("C c\nR both\nA|h|Subject|pie\n"
	    "N|b||(?i)spam\nY|b||nothing\nY|b||cherry\nR none\n"
	    "A|h|Subject|apple\nC other\n", "other");
	struct classify_result res;
	const struct cond_result *cr;
	struct parsed_msg m;
	struct evidence ev;

	(void)state;
	fill_msg(&m, "Subject: cherry pie\n", "a cherry on top", NULL);
	fill_fields(&ev, NULL);
	classify_eval(rs, &m, &ev, NULL, false, &res);
	assert_int_equal(res.n, 2);
	assert_string_equal(res.rules[0].rule->name, "both");
	assert_string_equal(res.rules[0].cat->name, "c");
	assert_true(res.rules[0].matched);
	assert_null(res.rules[0].conds);
	assert_false(res.rules[1].matched);
	classify_result_free(&res);

	classify_eval(rs, &m, &ev, NULL, true, &res);
	assert_int_equal(res.n, 2);
	assert_true(res.rules[0].matched);
	cr = res.rules[0].conds;	/* all{}: Subject, not spam; any{} */
	assert_true(cr[0].held);
	assert_int_equal(cr[0].end - cr[0].start, 3);
	assert_memory_equal(cr[0].subject + cr[0].start, "pie", 3);
	assert_true(cr[1].held);	/* negated, nothing matched */
	assert_null(cr[1].subject);
	assert_false(cr[2].held);
	assert_true(cr[3].held);
	assert_memory_equal(cr[3].subject + cr[3].start, "cherry", 6);
	assert_ptr_equal(cr[3].cond, &rs->cats[0].rules[0].any[1]);
	assert_false(res.rules[1].matched);
	assert_false(res.rules[1].conds[0].held);
	classify_result_free(&res);
	assert_null(res.rules);
	evidence_free(&ev);
	free_msg(&m);
	free_ruleset(rs);
}

/* test_eval_phrases - a traced phrase condition names the phrase found
 * as written (the first in the text), none when it fails; the own text
 * the conditions saw is kept with the result */
static void
test_eval_phrases(void **state)
{
	struct ruleset *rs = build_ruleset("C c\nR r\n"
	    "A|O||Brute Force;failed password\nA|H|Subject|nothing here\n"
	    "Y|o||(?i)password\nC other\n", "other");
	struct classify_result res;
	const struct cond_result *cr;
	struct parsed_msg m;
	struct evidence ev;

	(void)state;
	fill_msg(&m, "Subject: ssh\n", "Failed  password for root; brute "
	    "force.\n> quoted password\n", NULL);
	fill_fields(&ev, NULL);
	classify_eval(rs, &m, &ev, NULL, true, &res);
	assert_int_equal(res.n, 1);
	cr = res.rules[0].conds;
	assert_true(cr[0].held);
	assert_string_equal(cr[0].phrase, "failed password");
	assert_null(cr[0].subject);
	assert_false(cr[1].held);
	assert_null(cr[1].phrase);
	assert_true(cr[2].held);	/* own text regex */
	assert_non_null(res.own_text);
	assert_ptr_equal(cr[2].subject, res.own_text);
	assert_null(strstr(res.own_text, "quoted"));
	assert_false(res.rules[0].matched);
	classify_result_free(&res);
	assert_null(res.own_text);
	evidence_free(&ev);
	free_msg(&m);
	free_ruleset(rs);
}

/* thread_arg - one thread of test_threads */
struct thread_arg {
	const struct ruleset *rs;
	int bad;
};

/* thread_run - classify two complaints over and over against the shared
 * ruleset; count the wrong answers */
static void *
thread_run(void *p)
{
	struct thread_arg *a = p;
	struct parsed_msg m1, m2;
	struct evidence ev;

	fill_msg(&m1, "Subject: report\n", "A port scan!\n> brute force\n",
	    NULL);
	fill_msg(&m2, "Subject: Abuse report\n", "Brute force from x.", NULL);
	fill_fields(&ev, NULL);
	for (int i = 0; i < 300; i++) {
		struct classify_decision d1, d2;

		classify_run(a->rs, &m1, &ev, NULL, &d1);
		classify_run(a->rs, &m2, &ev, NULL, &d2);
		if (strcmp(d1.cat->name, "scan") != 0 ||
		    strcmp(d2.cat->name, "brute") != 0 || d2.total != 3)
			a->bad++;
	}
	evidence_free(&ev);
	free_msg(&m1);
	free_msg(&m2);
	return NULL;
}

/* test_threads - many threads classify against one ruleset (as the
 * milter's connections do): phrase scans, own text and regexes keep
 * their state per evaluation */
static void
test_threads(void **state)
{
	struct ruleset *rs = build_ruleset("C scan\nR s\nA|O||port scan\n"
	    "C brute\nR b\nA|O||brute force\nR h\nA|H|Subject|abuse report\n"
	    "R r\nA|o||(?i)^brute\nC other\n", "other");
	pthread_t t[4];
	struct thread_arg a[4];

	(void)state;
	for (int i = 0; i < 4; i++) {
		a[i].rs = rs;
		a[i].bad = 0;
		assert_int_equal(pthread_create(&t[i], NULL, thread_run, &a[i]),
		    0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(a[i].bad, 0);
	}
	free_ruleset(rs);
}

/* the traps of the shipped ruleset, at the engine level: headers, own
 * text and report fields as the parsers would hand them over */
struct shipped_row {
	const char *label;
	const char *headers;
	const char *text;
	const char *fields;
	const char *want_cat;
};

static const struct shipped_row shipped[] = {
	{ "auto-generated copyright notice stays dmca",
	  "From: robot@notices.example\nAuto-Submitted: auto-generated\n"
	  "Subject: Infringement report 4411\n",
	  "This is a notice of claimed infringement under the Digital\n"
	  "Millennium Copyright Act about 198.51.100.7.", NULL, "dmca" },
	{ "ACNS wins over a Re: subject",
	  "Subject: Re: your answer\n", "see the notice", "report=acns\n",
	  "dmca" },
	{ "ARF report with a copyright Subject is spam",
	  "Subject: Protect your copyright today\n",
	  "This is an email abuse report.",
	  "report=arf\narf.Feedback-Type=abuse\n", "spam" },
	{ "Exchange out-of-office with only X-Auto-Response-Suppress",
	  "X-Auto-Response-Suppress: All\nSubject: Re: Brute force\n",
	  "I am out of the office until Monday.", NULL, "auto" },
	{ "German Exchange auto-reply subject",
	  "Subject: Automatische Antwort: Angriff von 198.51.100.9\n",
	  "Ich bin nicht im Haus.", NULL, "auto" },
	{ "DSN quoting our dmca reply",
	  "Content-Type: multipart/report; report-type=delivery-status;\n"
	  "Subject: Returned mail: see transcript for details\n",
	  "copyright infringement notice, DMCA, Tor exit, please block",
	  NULL, "auto" },
	{ "thanks in answer to our reply is other",
	  "Subject: Re: Copyright infringement notice 77001\n",
	  "Thanks, understood.\n> The address is a Tor exit relay.\n"
	  "> block Tor exits for a limited time", NULL, "other" },
	{ "newsletter with a copyright footer",
	  "List-Unsubscribe: <mailto:u@news.example>\n"
	  "Subject: November news\n",
	  "DDoS protection for all plans. Copyright \xc2\xa9 2026 Example.",
	  NULL, "other" },
	{ "DMARC aggregate report",
	  "Subject: Report domain: example.org Submitter: mx.example\n",
	  "aggregate report", NULL, "other" },
	{ "police mail about a DDoS",
	  "From: DC Example <dc@cyber.police.example.uk>\n"
	  "Subject: DDoS attack investigation\n",
	  "We request the subscriber details for 198.51.100.250.", NULL,
	  "law-enforcement" },
	{ "phishing site imitating the police is abuse",
	  "Subject: Phishing page imitating the Policia Nacional\n",
	  "A fake fine portal asks for the account holder's card data.",
	  NULL, "abuse" },
	{ "they will block Tor", "Subject: Your exit\n",
	  "After the attack from 198.51.100.3 we will block all Tor exit\n"
	  "nodes.", NULL, "block-request" },
	{ "changing Tor exits, please block",
	  "Subject: Ongoing attack on our forum\n",
	  "The attack comes from changing Tor exits. Could you please\n"
	  "block connections to 203.0.113.30?", NULL, "block-request" },
	{ "one attacker, please block this IP, is abuse",
	  "Subject: Hacking attempts\n",
	  "Brute force from 198.51.100.180. Please block this IP.", NULL,
	  "abuse" },
	{ "X-ARF login attack", "Subject: report\n", "",
	  "report=xarf\nxarf.Category=abuse\nxarf.Report-Type=login-attack\n",
	  "abuse" },
	{ "X-ARF spam", "Subject: report\n", "",
	  "report=xarf\nxarf.Category=abuse\nxarf.Report-Type=spam\n",
	  "spam" },
	{ "a person reporting spam", "Subject: Unsolicited mail\n",
	  "I keep getting spam from 198.51.100.33.", NULL, "spam" },
	{ "nothing of a complaint", "Subject: Question about servers\n",
	  "Do you rent dedicated servers?", NULL, "other" },
	{ "CERT notice with list headers names the address",
	  "List-Unsubscribe: <mailto:u@cert.example>\n"
	  "Subject: Infected hosts in your network\n",
	  "198.51.100.61 is part of a botnet and talks to a command and\n"
	  "control server. You receive this email because you are listed\n"
	  "as abuse contact.", NULL, "abuse" },
	{ "CERT notice whose addresses are only in an attachment",
	  "List-Unsubscribe: <mailto:u@cert.example>\n"
	  "Subject: Drone report for AS64500\n",
	  "Attached is the daily report of infected systems (botnet\n"
	  "drones) in your network. You are receiving this email because\n"
	  "you subscribed to our reports.", NULL, "abuse" },
	{ "newsletter naming attacks but no address",
	  "List-Unsubscribe: <mailto:u@news.example>\n"
	  "Subject: This month in security\n",
	  "In this issue: ransomware, a record DDoS attack and phishing\n"
	  "kits. You are receiving this email because you subscribed.",
	  NULL, "other" },
	{ "thanks, and a new address scanning us",
	  "Subject: Re: port scans\n",
	  "Thanks for your answer. Now 198.51.100.12 is scanning our\n"
	  "network for open ports.", NULL, "abuse" },
	{ "a question about running an exit is no block request",
	  "Subject: Question about exit relays\n",
	  "I would like to know how you handle complaints. Do you use a\n"
	  "reduced exit policy to block some ports?", NULL, "other" },
};

/* test_shipped_ruleset - etc/abuse-milter.conf of the source tree */
static void
test_shipped_ruleset(void **state)
{
	struct config *cfg;
	char err[512];

	(void)state;
	if (chdir(TEST_SRCDIR) != 0)
		fail_msg("chdir %s", TEST_SRCDIR);
	cfg = config_load("etc/abuse-milter.conf", err, sizeof(err));
	if (cfg == NULL)
		fail_msg("shipped config: %s", err);
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		const struct shipped_row *r = &shipped[i];
		const struct category *cat;
		const struct rule *rule;
		struct classify_decision d;
		struct parsed_msg m;
		struct evidence ev;

		fill_msg(&m, r->headers, r->text, NULL);
		fill_fields(&ev, r->fields);
		classify_run(&cfg->rules, &m, &ev, NULL, &d);
		cat = d.cat;
		rule = d.rule;
		if (cat == NULL || strcmp(cat->name, r->want_cat) != 0)
			fail_msg("%s: category want %s got %s (rule %s)",
			    r->label, r->want_cat, cat ? cat->name : "(null)",
			    rule ? rule->name : "none");
		evidence_free(&ev);
		free_msg(&m);
	}
	config_unref(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_table),
		cmocka_unit_test(test_backtracking),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_explain_cut),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_eval_phrases),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_shipped_ruleset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
