/*
 * cli.c - `--classify` (JSON Lines, a fixed interface: doc/abuse-milter.8) and
 * `--explain`. Offline, the envelope sender is the first Return-Path
 * header; stored state (rate limits, case ids) is never consulted, but
 * what the learner was taught is (read-only, with the configuration:
 * config/learn_load.h).
 */
#include "cli/cli.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify/explain.h"
#include "classify/lang.h"
#include "classify/learn_explain.h"
#include "complaint/complaint.h"
#include "parse/rfc5322.h"
#include "util/log.h"

/* cli_return_path - the offline envelope sender: first Return-Path of
 * the header block, without angle brackets ("" for <>); NULL when
 * absent. A plain scan: parsing the whole message twice with GMime cost
 * a fifth of --classify's time. */
static char *
cli_return_path(const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len, *eol;
	static const char name[] = "return-path:";
	struct buf v;
	char *out;

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (eol == p || (eol == p + 1 && *p == '\r'))
			return NULL;	/* end of the header block */
		if ((size_t)(eol - p) >= sizeof(name) - 1 &&
		    strncasecmp(p, name, sizeof(name) - 1) == 0)
			break;
		if (eol == end)
			return NULL;
	}
	if (p >= end)
		return NULL;
	buf_init(&v);
	buf_append(&v, p + sizeof(name) - 1, (size_t)(eol - p) -
	    (sizeof(name) - 1));
	/* folded continuation lines belong to the value */
	while (eol < end && eol + 1 < end && (eol[1] == ' ' || eol[1] == '\t')) {
		p = eol + 1;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		buf_append(&v, p, (size_t)(eol - p));
	}
	out = rfc5322_addr_first(v.s);
	buf_free(&v);
	return out != NULL ? out : xstrdup("");
}

/* cli_json_strings - a JSON array of strings */
static json_object *
cli_json_strings(const struct strvec *sv)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < sv->n; i++)
		json_object_array_add(a, json_object_new_string(sv->v[i]));
	return a;
}

/* cli_json_opt - a string or JSON null */
static json_object *
cli_json_opt(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/* cli_json_number - a JSON number written as the header writes totals,
 * but with up to three decimals: 0.1 + 0.2 comes out as 0.3 */
static json_object *
cli_json_number(double v)
{
	struct buf b;
	json_object *o;

	buf_init(&b);
	score_number(&b, v, 3);
	o = json_object_new_double_s(v, b.s);
	buf_free(&b);
	return o;
}

/* cli_json - the JSON object of one analysed complaint */
static json_object *
cli_json(const char *file, const struct complaint *c)
{
	json_object *o = json_object_new_object(), *ports;

	json_object_object_add(o, "file", json_object_new_string(file));
	json_object_object_add(o, "category", json_object_new_string(c->cat->name));
	json_object_object_add(o, "rule", cli_json_opt(c->rule ? c->rule->name :
	    NULL));
	json_object_object_add(o, "ips", cli_json_strings(&c->ev.ips));
	ports = json_object_new_array();
	for (size_t i = 0; i < c->ev.nports; i++)
		json_object_array_add(ports, json_object_new_int(c->ev.ports[i]));
	json_object_object_add(o, "ports", ports);
	json_object_object_add(o, "case_id", cli_json_opt(c->ev.case_id));
	json_object_object_add(o, "reporter", cli_json_opt(c->ev.reporter));
	json_object_object_add(o, "timestamp", cli_json_opt(c->ev.timestamp));
	json_object_object_add(o, "ours", json_object_new_boolean(c->ours));
	json_object_object_add(o, "tor_exit", c->tor_exit == TRI_NULL ? NULL :
	    json_object_new_boolean(c->tor_exit == TRI_TRUE));
	json_object_object_add(o, "score", cli_json_number(c->dec.total));
	json_object_object_add(o, "template",
	    cli_json_opt(complaint_template_name(c)));
	if (c->reply_reason == NULL)
		json_object_object_add(o, "reply", json_object_new_string("send"));
	else {
		char *r = xasprintf("suppress: %s", c->reply_reason);

		json_object_object_add(o, "reply", json_object_new_string(r));
		free(r);
	}
	return o;
}

/* cli_unreadable - the line for an input that cannot be read */
static json_object *
cli_unreadable(const struct config *cfg, const char *file)
{
	struct complaint c;
	json_object *o;

	complaint_analyze(cfg, "", 0, NULL, &c);
	o = cli_json(file, &c);
	json_object_object_add(o, "error", json_object_new_string(strerror(errno)));
	complaint_free(&c);
	return o;
}

/* cli_input - one input file, read and analysed; complaint.msg points
 * into raw, so both live until cli_input_close */
struct cli_input {
	char *raw;
	char *envfrom;
	struct complaint c;
};

/* cli_input_open - read and analyse file ("-": stdin); -1 with errno
 * set when it cannot be read (then nothing needs closing) */
static int
cli_input_open(const struct config *cfg, const char *file,
    struct cli_input *in)
{
	size_t len = 0;

	if ((in->raw = util_read_file(file, &len)) == NULL)
		return -1;
	in->envfrom = cli_return_path(in->raw, len);
	complaint_analyze(cfg, in->raw, len, in->envfrom, &in->c);
	return 0;
}

/* cli_input_close - what cli_input_open kept */
static void
cli_input_close(struct cli_input *in)
{
	complaint_free(&in->c);
	free(in->envfrom);
	free(in->raw);
}

/* cli_classify - see cli.h */
int
cli_classify(const struct config *cfg, char **files, int nfiles, FILE *out)
{
	int rc = 0;

	for (int i = 0; i < nfiles; i++) {
		struct cli_input in;
		json_object *o;

		if (cli_input_open(cfg, files[i], &in) != 0) {
			int saved = errno;

			log_msg(LOG_ERR, NULL, "%s: %s", files[i], strerror(saved));
			errno = saved;
			o = cli_unreadable(cfg, files[i]);
			rc = 1;
		} else {
			o = cli_json(files[i], &in.c);
			cli_input_close(&in);
		}
		fprintf(out, "%s\n", json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	}
	fflush(out);
	return rc;
}

/* cli_reply_text - the reply line of --explain: what would happen
 * offline, and why not; then the language line, which belongs under
 * it because it picked the letter */
static char *
cli_reply_text(const struct complaint *c)
{
	const char *t = complaint_template_name(c), *lang = lang_code(c->lang);

	if (c->reply_reason != NULL)
		return xasprintf("none (suppressed: %s)\nlanguage: %s",
		    c->reply_reason, lang);
	return xasprintf("send, template %s\nlanguage: %s",
	    t != NULL ? t : "(none)", lang);
}

/* cli_explain - see cli.h */
int
cli_explain(const struct config *cfg, char **files, int nfiles, bool brief,
    FILE *out)
{
	int rc = 0;

	for (int i = 0; i < nfiles; i++) {
		struct cli_input in;
		const struct complaint *c = &in.c;
		char *reply;

		if (cli_input_open(cfg, files[i], &in) != 0) {
			fprintf(out, "%s: %s\n", files[i], strerror(errno));
			rc = 1;
			continue;
		}
		fprintf(out, "== %s\n", files[i]);
		if (c->msg.truncated)
			fprintf(out, "cut: only the first %zu bytes of the body "
			    "were read (max_body)\n", cfg->max_body);
		if (c->msg.scan_cut > 0)
			fprintf(out, "cut: a text part of %zu bytes was scanned "
			    "to its first %zu (max_scan)\n", c->msg.scan_cut,
			    cfg->max_scan);
		reply = cli_reply_text(c);
		classify_explain(&cfg->rules, &c->msg, &c->ev, in.envfrom,
		    reply, brief, out);
		free(reply);
		if (!c->unparsed && !brief)
			learn_explain(&cfg->rules, &c->msg, &c->ev, out);
		cli_input_close(&in);
	}
	return rc;
}
