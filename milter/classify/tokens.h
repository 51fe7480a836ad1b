/*
 * tokens.h - the features the learner (classify/learn.h) counts: what a
 * complaint says about itself, reduced to short case-folded tokens, each
 * token once per message, at most TOKENS_MAX of them.
 *
 * A token is KIND:VALUE:
 *	from:DOMAIN	the From address's domain, and its last two labels
 *			(from:mail.example.com, from:example.com)
 *	subj:WORD	a word of the Subject
 *	w:WORD		a word of the complaint's own text (quoted earlier
 *			mail removed: extract_own_text)
 *	b:WORD_WORD	two adjacent words of that text
 *	report:TYPE	a report found in it (evidence field "report": arf,
 *			xarf, acns)
 *	hdr:NAME	a notable header is present (x-arf, auto-submitted,
 *			list-id, precedence, in-reply-to, ...)
 *	hdr:NAME=VALUE	its value, for the few with a short telling one
 *			(auto-submitted=auto-replied, precedence=bulk)
 *	type:TYPE	the message's own Content-Type (multipart/report)
 *	part:TYPE	the type of a leaf part (message/feedback-report)
 *
 * A word is a run of letters, digits, marks and "_", lower-cased
 * (Unicode); Han, kana, Hangul and Thai characters are one word each, so
 * their adjacent pairs (b:) are the character bigrams such text is read
 * by. Words of one byte, of digits only (addresses, dates, ids) or longer
 * than TOKEN_WORD_MAX bytes are skipped; a skipped word also breaks the
 * pair. At most TOKENS_TEXT_MAX bytes of each text are read.
 *
 * Pure: the same message gives the same tokens, in the same order (the
 * header tokens first, then the text in reading order).
 *
 * Usage:
 *	struct strvec tok;
 *	strvec_init(&tok);
 *	tokens_of(m, ev, NULL, &tok);	... tok.v[i] ...
 *	strvec_free(&tok);
 */
#ifndef ABUSE_TOKENS_H
#define ABUSE_TOKENS_H

#include <stddef.h>

#include "evidence/evidence.h"
#include "parse/message.h"
#include "util/util.h"

#define TOKENS_MAX		1000	/* tokens of one message */
#define TOKENS_TEXT_MAX		(64 * 1024)	/* bytes of a text read */
#define TOKEN_WORD_MAX		40	/* bytes of a word, folded */

/* tokens_of - the tokens of a parsed complaint, appended to out (which
 * may hold tokens already: they count against TOKENS_MAX and are not
 * repeated). own_text: the complaint's own text without quoted mail when
 * the caller has it, NULL to have it made here. */
void tokens_of(const struct parsed_msg *m, const struct evidence *ev,
    const char *own_text, struct strvec *out);

/* tokens_digest - what identifies a message to the learner, so that
 * learning it twice counts once: "sha256:" and the hex SHA-256 of its
 * Message-ID, From, Subject and Date (decoded) and its decoded text and
 * evidence; the same message read from a Maildir or an mbox has the
 * same digest, two reports that share a Message-ID do not. malloc'd. */
char *tokens_digest(const struct parsed_msg *m);

/* tokens_text - the words of text (and with pairs, the b: tokens of
 * adjacent words), each as PREFIX:WORD, appended to out as tokens_of
 * does; for the unit tests and for Subject-like texts */
void tokens_text(const char *text, const char *prefix, int pairs,
    struct strvec *out);

#endif
