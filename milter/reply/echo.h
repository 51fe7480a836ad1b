/*
 * echo.h - the complaint's own words that a reply may repeat: the
 * display name it greets and the Subject it answers. Whoever sends a
 * complaint chooses both, and an attacker who makes us answer a third
 * party (a forged From) would otherwise choose our text too: "Dear
 * Cheap pills at http://..." is spam with our name on it. So an echoed
 * text is one clean line, without anything a mail reader makes into a
 * link, and short.
 *
 * Usage:
 *	char *name = reply_echo_clean(display_name);	("" when nothing is left)
 *
 * Removed, a whole blank-separated word at a time: URLs (a word with
 * "://", or starting with "www."), e-mail addresses (a word with '@')
 * and host names (a word that, without punctuation around it, is
 * dotted labels ending in a label of two or more letters, optionally
 * followed by a "/path": "pills.example", "pills.example/buy"). IP
 * addresses, case ids and ordinary words stay. Then the text is cut to
 * REPLY_ECHO_MAX characters, at a blank when one is near, and "..."
 * marks the cut.
 */
#ifndef ABUSE_REPLY_ECHO_H
#define ABUSE_REPLY_ECHO_H

#define REPLY_ECHO_MAX	60	/* characters of an echoed text */

/* reply_echo_clean - text fit to be echoed (see above), malloc'd; ""
 * for NULL or when nothing is left */
char *reply_echo_clean(const char *text);

#endif
