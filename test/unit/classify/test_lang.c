/*
 * test_lang.c - unit tests of milter/classify/lang.c: a table of
 * complaint sentences in each language (long, short, with pasted logs,
 * capitals and elisions), texts too short or too mixed to decide
 * (unknown), one foreign word that must not turn the decision, and
 * the codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "classify/lang.h"

/* test_table - each text and the language it must get */
static void
test_table(void **state)
{
	static const struct {
		const char *want;
		const char *text;
	} rows[] = {
		/* English */
		{ "en", "Hello, we have detected SSH brute force attempts "
		  "from your IP address 192.0.2.10 against our server. "
		  "Please take action." },
		{ "en", "Your host is scanning our network. Please stop it." },
		{ "en", "Dear abuse team, the address below attacked us." },
		/* German */
		{ "de", "Sehr geehrte Damen und Herren, von Ihrer IP-Adresse "
		  "192.0.2.10 wurden Anmeldeversuche auf unseren Server "
		  "durchgeführt. Bitte unterbinden Sie das." },
		{ "de", "Von Ihrer IP wurde unser Server angegriffen." },
		{ "de", "ÜBER DIE ADRESSE WURDE DAS FORMULAR MISSBRAUCHT, "
		  "BITTE UM PRÜFUNG." },
		/* French */
		{ "fr", "Bonjour, nous avons constaté des tentatives de "
		  "connexion depuis votre adresse IP 192.0.2.10 sur nos "
		  "serveurs. Merci de faire le nécessaire." },
		{ "fr", "L'adresse ci-dessous scanne nos serveurs depuis "
		  "hier, c'est très gênant." },
		{ "fr", "Votre serveur nous attaque. Merci d\u2019agir vite." },
		/* Spanish */
		{ "es", "Hola, hemos detectado intentos de acceso desde su "
		  "dirección IP 192.0.2.10 contra nuestros servidores. Por "
		  "favor, tomen medidas." },
		{ "es", "Estimados, la IP del informe está atacando nuestra "
		  "red." },
		{ "es", "Hola, su equipo ha enviado spam a nuestros usuarios." },
		/* Italian */
		{ "it", "Buongiorno, abbiamo rilevato tentativi di accesso "
		  "dal vostro indirizzo IP 192.0.2.10 verso i nostri server. "
		  "Vi preghiamo di intervenire." },
		{ "it", "Il vostro server è stato segnalato per attacchi alla "
		  "nostra rete." },
		{ "it", "Questo indirizzo ci attacca da ieri, grazie." },
		/* Dutch */
		{ "nl", "Geachte heer/mevrouw, vanaf uw IP-adres 192.0.2.10 "
		  "zijn er inlogpogingen op onze server gedaan. Wilt u dit "
		  "onderzoeken?" },
		{ "nl", "Uw server heeft onze website aangevallen." },
		{ "nl", "Dit adres scant ons netwerk, graag actie." },
		/* a log with one line of prose above it: the prose decides */
		{ "de", "Anbei die Logs, bitte prüfen Sie das:\n"
		  "2026-11-20 10:00:01 sshd[123]: Failed password for root "
		  "from 192.0.2.10 port 4242 ssh2\n"
		  "2026-11-20 10:00:02 sshd[123]: Failed password for root "
		  "from 192.0.2.10 port 4243 ssh2\n" },
		/* Portuguese and Polish are told apart from Spanish (no
		 * letters of their own: the default answers them) */
		{ "pt", "Prezados, o seu servidor está atacando os nossos "
		  "sistemas. Por favor, verifiquem isso. Obrigado." },
		{ "pl", "Dzień dobry, z adresu IP w Państwa sieci są "
		  "prowadzone ataki na nasz serwer. Prosimy o reakcję." },
		/* names for machines are no prose: "com", "de", "the" */
		{ "unknown", "<url_info url=\"http://shop.com/the/de/com\" "
		  "ip=\"192.0.2.1\" /> the.example.com de@com.example" },
		{ "de", "Die Seite http://the-site.example/of/the/and wurde "
		  "von Ihrer Adresse aus angegriffen." },
		/* too little to decide */
		{ "unknown", "" },
		{ "unknown", "Danke." },
		{ "unknown", "merci" },
		{ "unknown", "192.0.2.10 22/tcp 2026-11-20T10:00:00Z" },
		{ "unknown", "Failed password for root" },
		/* half and half: the default letter, not a guess */
		{ "unknown", "We have seen attacks from your address and we "
		  "would like you to stop them. Wir haben Angriffe von Ihrer "
		  "Adresse gesehen und bitten Sie, diese zu stoppen." },
		/* one foreign word, or a foreign greeting, does not turn it */
		{ "en", "Danke! We have seen attacks from your address and we "
		  "would like you to stop them." },
		{ "de", "Hello, wir haben Angriffe von Ihrer Adresse gesehen "
		  "und bitten Sie, diese zu stoppen. Thanks" },
		{ "fr", "Hi, nous avons reçu des attaques depuis votre "
		  "serveur, merci de les bloquer. Regards" },
		{ "es", "Dear team, hemos recibido ataques desde su servidor, "
		  "por favor bloquee el acceso." },
	};
	const char *got;
	int bad = 0;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		got = lang_code(lang_detect(rows[i].text, strlen(rows[i].text)));
		if (strcmp(got, rows[i].want) != 0) {
			print_error("row %zu: want %s, got %s: \"%.50s\"\n", i,
			    rows[i].want, got, rows[i].text);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* test_bounds - NULL, a text not terminated, a word longer than any
 * function word, a text past LANG_SCAN_MAX, broken UTF-8 */
static void
test_bounds(void **state)
{
	static const char part[] = "der Adresse ";
	char *big;
	size_t n = LANG_SCAN_MAX + 4096, i;

	assert_int_equal(lang_detect(NULL, 0), LANG_UNKNOWN);
	/* only the first bytes: "der die das" then garbage cut off */
	assert_int_equal(lang_detect("der die das und ist xxx", 19),
	    lang_index("de"));
	assert_int_equal(lang_detect("derdiedasundistderdiedasundistdie "
	    "und", 37), LANG_UNKNOWN);
	assert_int_equal(lang_detect("\xff\xfe der die \xc3 das und", 20),
	    lang_index("de"));
	/* a long text is read up to LANG_SCAN_MAX, no further */
	big = malloc(n + 1);
	for (i = 0; i + sizeof(part) - 1 < n; i += sizeof(part) - 1)
		memcpy(big + i, part, sizeof(part) - 1);
	memset(big + i, ' ', n - i);
	big[n] = '\0';
	assert_int_equal(lang_detect(big, n), lang_index("de"));
	free(big);
}

/* test_codes - the codes, both ways */
static void
test_codes(void **state)
{
	static const char *const want[] = { "en", "de", "fr", "es", "it", "nl" };

	assert_true(lang_count() >= 6);
	for (size_t i = 0; i < 6; i++) {
		assert_true(lang_index(want[i]) >= 0);
		assert_string_equal(lang_code(lang_index(want[i])), want[i]);
	}
	assert_string_equal(lang_code(LANG_UNKNOWN), "unknown");
	assert_string_equal(lang_code(lang_count()), "unknown");
	assert_int_equal(lang_index("xx"), LANG_UNKNOWN);
	assert_int_equal(lang_index(NULL), LANG_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
