/*
 * test_extract_id.c - unit tests for milter/evidence/extract_id.c: case ids from
 * Subjects and free text, and the complaint's own text without quotes.
 * Several Subject rows are the Subjects of the real samples in
 * ../shared/corpus/real (their ids checked against LABELS.tsv).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evidence/extract.h"
#include "util/util.h"

struct id_row {
	const char *label;
	const char *input;
	const char *want;	/* NULL: absent */
};

static const struct id_row subject_rows[] = {
	{"ipechelon case id",
	    "Notice of Claimed Infringement - Case ID 314620451", "314620451"},
	{"ticket hash", "Re: Ticket #48213", "48213"},
	{"csirt tag", "[CSIRT#2015092310000001] Malicious content "
	    "(CYSC.MALWARE.URL.GEN)", "2015092310000001"},
	{"netcraft issue", "Issue 1234567: [Abuse204.nl] malware attack at "
	    "http://www.domain.tld/guestbook.html", "1234567"},
	{"blocklist.de rid", "[noreply] abuse report about 10.0.2.150 - Fri, "
	    "31 Jan 2014 07:19:02 +0100 -- service: regbot (First x 1) "
	    "RID: 123456789", "123456789"},
	{"clean-mx tag", "[clean-mx-viruses-81328588](172.16.10.13)-->"
	    "(abuseio@domain.tld) viruses sites", "clean-mx-viruses-81328588"},
	{"leading notice number", "314-300154536  Notice of Unauthorized Use "
	    "of Starz Entertainment,", "314-300154536"},
	{"leading number after Re/AW", "Re: AW: 314-300154536 Notice",
	    "314-300154536"},
	{"rt queue tag", "[example.org #48213] Spam from your network",
	    "48213"},
	{"otrs tag", "[Ticket#2015092310000001] Re: abuse",
	    "2015092310000001"},
	{"ref tag", "Abuse report [ref:ABC-123]", "ABC-123"},
	{"spamcop id", "[SpamCop (http://www.spamcop.net/) id:7012345678]"
	    "Cheap meds", "7012345678"},
	{"spanish court", "Requerimiento judicial - Diligencias Previas "
	    "1234/2026", "1234/2026"},
	{"feedback report ip", "Email Feedback Report for IP 10.17.18.1", NULL},
	{"domain tag", "[Abuse204.nl] phishing attack", NULL},
	{"ip tag", "[172.16.10.13] [Shadowserver Botnet Drone] Incident Report",
	    NULL},
	{"date range", "Project Honey Pot Monitor Report (09/02/2015 - "
	    "10/03/2015)", NULL},
	{"date", "[SAMPLE] Shadowserver scan_ntp-sample Report: 2015-01-01",
	    NULL},
	{"leading date", "2015-05-06 attack report", NULL},
	{"in case", "In case 123 hosts are affected", NULL},
	{"glued label", "MyTicket #48213", NULL},
	{"ID in parentheses", "URLwatch: malware site on your network "
	    "(ID 2859112)", "2859112"},
	{"Polish sygn.", "Naruszenie praw autorskich - sygn. KP/1187/2026",
	    "KP/1187/2026"},
	{"Russian case in parentheses", "\xd0\xa3\xd0\xb2\xd0\xb5\xd0\xb4"
	    "\xd0\xbe\xd0\xbc\xd0\xbb\xd0\xb5\xd0\xbd\xd0\xb8\xd0\xb5 "
	    "(\xd0\xb4\xd0\xb5\xd0\xbb\xd0\xbe RU-AP-55012)", "RU-AP-55012"},
	{"Russian request sign", "\xd0\x97\xd0\xb0\xd1\x8f\xd0\xb2\xd0\xba"
	    "\xd0\xb0 \xe2\x84\x96" "45120 \xd0\xb7\xd0\xb0\xd0\xba\xd1\x80"
	    "\xd1\x8b\xd1\x82\xd0\xb0", "45120"},
	{"German Az. with blanks", "Ermittlungsverfahren - Az. SO "
	    "41-2026-118734", "SO 41-2026-118734"},
	{"French PV n\xc2\xb0", "R\xc3\xa9quisition judiciaire - PV n\xc2\xb0 "
	    "2026/004417", "2026/004417"},
	{"Dutch parketnummer", "Bevel - parketnummer 09/123456-26",
	    "09/123456-26"},
	{"Japanese inquiry number", "\xe7\x85\xa7\xe4\xbc\x9a\xe6\x9b\xb8"
	    "\xef\xbc\x88\xe7\x85\xa7\xe4\xbc\x9a\xe7\x95\xaa\xe5\x8f\xb7 "
	    "2026-0877\xef\xbc\x89", "2026-0877"},
	{"Italian procedimento", "Procedimento PS12345 - ordine", "PS12345"},
	{"Portuguese NUIPC", "Of\xc3\xad" "cio - NUIPC 1234/26.5JDLSB",
	    "1234/26.5JDLSB"},
	{"request", "Takedown approved - request TR-55812 (x.example)",
	    "TR-55812"},
	{"CERT tag", "[CERT-Bund#2022101128000288] Schwachstellen",
	    "2022101128000288"},
	{"tracking in parentheses", "Abuse report (Tracking: #EFC1079054)",
	    "EFC1079054"},
	{"spamcop id in the prefix", "[SpamCop (http://198.51.100.9/x) "
	    "id:7012345678]Buy now", "7012345678"},
	{"dossier n\xc2\xba", "Dossier n\xc2\xba 77-4410", "77-4410"},
	{"Portuguese refer\xc3\xaancia", "Refer\xc3\xaancia: BR-2026/881",
	    "BR-2026/881"},
	{"listing id", "Spamhaus Listing ID: SBL612345", "SBL612345"},
	{"too short", "Case #12", NULL},
	{"empty", "", NULL},
};

static const struct id_row text_rows[] = {
	{"case hash", "Please see Case #1234 for details.", "1234"},
	{"case id", "Case ID 1234", "1234"},
	{"case-id colon", "Case-ID: 44-55", "44-55"},
	{"notice id", "Notice ID: 312-200234534\n", "312-200234534"},
	{"notice id hash", "Notice ID#312-200234534", "312-200234534"},
	{"our reference", "Our reference: X-2015-0042.", "X-2015-0042"},
	{"reference no", "REFERENCE NO. 55512", "55512"},
	{"unser zeichen", "Unser Zeichen: 123/15 Ab", "123/15"},
	{"aktenzeichen", "Aktenzeichen 4711-2015", "4711-2015"},
	{"reference fr", "R\xc3\xa9""f\xc3\xa9rence : 2015-ABC-77",
	    "2015-ABC-77"},
	{"reference fr upper", "R\xc3\x89""F\xc3\x89RENCE : 88771",
	    "88771"},
	{"referencia", "Referencia: ES-99812", "ES-99812"},
	{"ons kenmerk", "Ons kenmerk: NL123456", "NL123456"},
	{"incident id", "Incident ID 8876543", "8876543"},
	{"fallnummer", "Fallnummer: 2015-0815-A", "2015-0815-A"},
	{"incidencia", "Incidencia n\xc2\xba 445566", "445566"},
	{"meldingsnummer", "Meldingsnummer: M-123456", "M-123456"},
	{"pratica n.", "Pratica n. 2026/778", "2026/778"},
	{"rif", "Rif.: AB-9912", "AB-9912"},
	{"ref dot", "Our Ref. 2026/0042", "2026/0042"},
	{"protocolo", "N\xc3\xbamero de protocolo: 20261124001",
	    "20261124001"},
	{"report-id", "Report-ID: 91942290@postfix.clean-mx.de",
	    "91942290@postfix.clean-mx.de"},
	{"issue", "Issue 1234567", "1234567"},
	{"csirt", "CSIRT#2015092310000001", "2015092310000001"},
	{"otrs brackets", "[Ticket#2015092310000001]", "2015092310000001"},
	{"case no", "Case no 4711-1", "4711-1"},
	{"reference is", "Our reference is CR/7781/26.", "CR/7781/26"},
	{"file number", "Re: Preservation of records, our file number "
	    "2026-5521", "2026-5521"},
	{"expediente", "Expediente: 88/2026", "88/2026"},
	{"geschaeftszeichen", "Gesch\xc3\xa4""ftszeichen: 4 Js 123/26.",
	    "4 Js 123/26"},
	{"aktenzeichen court", "Aktenzeichen 12 O 345/15", "12 O 345/15"},
	{"is without id", "The case is closed, ticket 55512", "55512"},
	{"bracketed hash", "Ticket: [#12345]", "12345"},
	{"infringement id", "Infringement ID: 88-77-66", "88-77-66"},
	{"claim number", "Claim number 4471122", "4471122"},
	{"vorgangs-nr", "Vorgangs-Nr.: 2015/4711", "2015/4711"},
	{"event id is no case", "Event ID 4625 logged", NULL},
	{"no is a word", "Ticket no longer valid", NULL},
	{"incident date is no id", "Incident date: 2015-05-06", NULL},
	{"rfc is no id", "Reference: RFC 5322", NULL},
	{"later label", "Reference: RFC 5322 and case 1234", "1234"},
	{"date skipped", "Ticket number: 2015-05-06, Case ID 777888",
	    "777888"},
	{"german date skipped", "Aktenzeichen 06.05.2015", NULL},
	{"us date skipped", "Ticket 5/6/15", NULL},
	{"no date: month 13", "Ticket 2015-13-01", "2015-13-01"},
	{"no date: mixed separators", "Ticket 06.05-2015", "06.05-2015"},
	{"ip is no id", "the ticket 10.0.0.1 was", NULL},
	{"no label", "host 198.51.100.7 port 22 at 2015-05-06", NULL},
	{"in case", "in case 1234 hosts", NULL},
	{"8-bit garbage", "\xff\xfe Ticket #5551212 \xc3\x28", "5551212"},
	{"received id is no case", "by mx.example.com with ESMTP id 4Zk2; "
	    "Tue, 24 Nov 2026", NULL},
	{"id without colon is prose", "the id 12345 of your session", NULL},
	{"URLwatch ID", "URLwatch ID:   2859112\nURL: http://x/", "2859112"},
	{"Russian case number", "\xd0\x9d\xd0\xbe\xd0\xbc\xd0\xb5\xd1\x80 "
	    "\xd0\xb4\xd0\xb5\xd0\xbb\xd0\xb0: RU-AP-55012.", "RU-AP-55012"},
	{"sygnatura akt", "sygn. akt II K 123/26", "II K 123/26"},
	{"sygn. akt with a colon", "Sygn. akt: PR 4412/26, prosimy",
	    "PR 4412/26"},
	{"court number with arabic division", "Aktenzeichen 2 Ds 41/26",
	    "2 Ds 41/26"},
	{"n\xc2\xb0 alone", "votre dossier est le n\xc2\xb0 4471-B", "4471-B"},
	{"a label and nothing", "Dossier:\n\n", NULL},
	{"long run", "Ticket #111111111111111111111111111111111111111111111111"
	    "111111111111111111111111111111111111111111111111111111111111111111"
	    "1111111111111111111", NULL},
	{"empty", "", NULL},
};

static const struct id_row own_rows[] = {
	{"no quotes", "Hello\n1.2.3.4 attacked us\n",
	    "Hello\n1.2.3.4 attacked us\n"},
	{"gt lines", "Hello\n> quoted 1.2.3.4\n  > also\nBye\n",
	    "Hello\nBye\n"},
	{"crlf", "a\r\n> b\r\nc\r\n", "a\r\nc\r\n"},
	{"no final newline", "a\n> b", "a\n"},
	{"original message", "Text\n-----Original Message-----\nFrom: x\n",
	    "Text\n"},
	{"original spaced", "Text\n----- Original Message -----\nold\n",
	    "Text\n"},
	{"exim bounce copy", "failed:\n  x@y.example\n\n------ This is a "
	    "copy of the message, including all the headers. ------\n\n"
	    "From: abuse@example.org\n", "failed:\n  x@y.example\n\n"},
	{"qmail bounce copy", "Sorry.\n--- Below this line is a copy of the "
	    "message.\n\nReturn-Path: <a@b>\n", "Sorry.\n"},
	{"german original", "Text\n-----Urspr\xc3\xbcngliche Nachricht-----\n"
	    "Von: x\n", "Text\n"},
	{"on wrote top", "Top\nOn Wed, May 6, 2015 at 5:00 AM, Abuse "
	    "<abuse@example.org> wrote:\n> our reply\n", "Top\n"},
	{"on wrote bottom", "On Wed, 6 May, abuse wrote:\n> quote\n"
	    "My answer\n", "My answer\n"},
	{"on wrote wrapped", "Top\nOn Wed, May 6, 2015 at 5:00 AM, Abuse "
	    "Desk <\nabuse@example.org> wrote:\n> q\n", "Top\n"},
	{"unmarked quote", "Top\nOn 6 May 2015, abuse@example.org wrote:\n"
	    "plain old text 1.2.3.4\n", "Top\n"},
	{"german", "Hallo\nAm 06.05.2015 um 05:00 schrieb Abuse <a@b.de>:\n"
	    "> alt\n", "Hallo\n"},
	{"french", "Bonjour\nLe 6 mai 2015 \xc3\xa0 05:00, Abuse <a@b.fr> a "
	    "\xc3\xa9" "crit :\n> x\n", "Bonjour\n"},
	{"spanish", "Hola\nEl 6 may 2015, Abuse <a@b.es> escribi\xc3\xb3:\n"
	    "> x\n", "Hola\n"},
	{"dutch", "Hoi\nOp 6 mei 2015 schreef Abuse <a@b.nl>:\n> x\n",
	    "Hoi\n"},
	{"italian", "Ciao\nIl giorno 6 mag 2015, Abuse <a@b.it> ha scritto:\n"
	    "> x\n", "Ciao\n"},
	{"portuguese", "Ol\xc3\xa1\nEm 6 de mai de 2015, Abuse <a@b.pt> "
	    "escreveu:\n> x\n", "Ol\xc3\xa1\n"},
	{"prose starting with On", "On Monday the host attacked us:\nlog\n",
	    "On Monday the host attacked us:\nlog\n"},
	{"prose with wrote", "On Monday your customer wrote:\nbuy now\n",
	    "On Monday your customer wrote:\nbuy now\n"},
	{"thunderbird wrapped", "Top\nOn 06.05.2015 05:00, Abuse Desk\n"
	    "wrote:\n> q\n", "Top\n"},
	{"outlook reply", "Text\n\n________________________________\n"
	    "From: Abuse\nSent: Wednesday\nTo: x\nSubject: RE: complaint\n\n"
	    "old 192.0.2.1\n", "Text\n\n"},
	{"outlook plain reply", "Text\nFrom: Abuse\nSent: Wed\n"
	    "Subject: RE: x\nold\n", "Text\n"},
	{"outlook forward kept", "See below\n________________________________"
	    "\nFrom: Site\nSent: Wed\nTo: me\nSubject: FW: attack from "
	    "1.2.3.4\n\nlog\n", "See below\n________________________________"
	    "\nFrom: Site\nSent: Wed\nTo: me\nSubject: FW: attack from "
	    "1.2.3.4\n\nlog\n"},
	{"gmail forward kept", "fyi\n---------- Forwarded message ---------\n"
	    "From: X <x@y>\nDate: Wed, 6 May\nSubject: attack\n\n"
	    "1.2.3.4 attacked\n",
	    "fyi\n---------- Forwarded message ---------\n"
	    "From: X <x@y>\nDate: Wed, 6 May\nSubject: attack\n\n"
	    "1.2.3.4 attacked\n"},
	{"only quotes", "> a\n> b\n", ""},
	{"empty", "", ""},
};

/* check_rows - run one function over a table */
static void
check_rows(const struct id_row *rows, size_t n, char *(*fn)(const char *))
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		char *got = fn(rows[i].input);

		if ((got == NULL) != (rows[i].want == NULL) ||
		    (got && strcmp(got, rows[i].want) != 0)) {
			print_error("%s: got [%s], want [%s]\n", rows[i].label,
			    got ? got : "NULL",
			    rows[i].want ? rows[i].want : "NULL");
			bad++;
		}
		free(got);
	}
	assert_int_equal(bad, 0);
}

#define NROWS(t) (sizeof(t) / sizeof((t)[0]))

/* test_subject - ids in Subjects */
static void
test_subject(void **state)
{
	check_rows(subject_rows, NROWS(subject_rows), extract_case_id_subject);
	assert_null(extract_case_id_subject(NULL));
}

/* test_text - ids in free text */
static void
test_text(void **state)
{
	check_rows(text_rows, NROWS(text_rows), extract_case_id_text);
	assert_null(extract_case_id_text(NULL));
}

/* test_own - quoted mail removed, forwarded mail kept */
static void
test_own(void **state)
{
	char *s;

	check_rows(own_rows, NROWS(own_rows), extract_own_text);
	s = extract_own_text(NULL);
	assert_string_equal(s, "");
	free(s);
}

/* test_long_token - an "id" longer than any reference is data */
static void
test_long_token(void **state)
{
	struct buf b;
	char *got;

	buf_init(&b);
	buf_puts(&b, "Case ID ");
	while (b.len < 128 + 8)
		buf_puts(&b, "1");
	got = extract_case_id_text(b.s);
	assert_non_null(got);
	assert_int_equal(strlen(got), 128);
	free(got);
	while (b.len < 1024 * 1024)
		buf_puts(&b, "1.");
	buf_puts(&b, "1 and Ticket #4455667");
	got = extract_case_id_text(b.s);
	assert_non_null(got);
	assert_string_equal(got, "4455667");
	free(got);
	buf_free(&b);
}

/* test_large - 2 MB of labels without ids, one id at the end; and the
 * same text through extract_own_text, which must keep it all */
static void
test_large(void **state)
{
	struct buf b;
	char *got;

	buf_init(&b);
	while (b.len < 2 * 1024 * 1024)
		buf_puts(&b, "case ticket: reference RFC on x wrote\n> q\n");
	buf_puts(&b, "Ticket #99887766\n");
	got = extract_case_id_text(b.s);
	assert_non_null(got);
	assert_string_equal(got, "99887766");
	free(got);
	got = extract_own_text(b.s);
	assert_non_null(strstr(got, "Ticket #99887766\n"));
	assert_null(strstr(got, "> q"));
	free(got);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subject),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_own),
		cmocka_unit_test(test_long_token),
		cmocka_unit_test(test_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
