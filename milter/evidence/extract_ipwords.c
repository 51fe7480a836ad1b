/*
 * extract_ipwords.c - the cue words of extract_ipctx.c: which words name
 * an offender, a victim, a relay, a version number, a direction, ...
 * in English, German, French, Spanish and Dutch, and the commonest
 * ones in Italian, Portuguese, Polish, Russian and Japanese (UTF-8,
 * lower case; Japanese labels as written, with "ip" glued). The lists
 * are merged once per process into one sorted table:
 *
 *	if (ipctx_kinds("destination") & K_VICTIM) ...
 */
#include "evidence/extract_ipctx.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static const char *const ipctx_offender[] = {
	"from", "source", "src", "sip", "saddr", "srcip", "srcaddr",
	"sourceip", "attacker", "attackers", "attacking", "offending",
	"offender", "offenders", "abuser", "abusing", "abusive", "origin",
	"originating", "client", "clientip", "sender", "scanner", "scanning",
	"infected", "spammer", "spamming", "culprit", "malicious", "bot",
	"botnet", "drone", "compromised", "rhost", "remote", "remoteip",
	"rip", "infringer", "infringers", "infringing", "peer", "seeder",
	"uploader",
	"von", "quelle", "quell", "angreifer", "absender", "depuis", "provenance",
	"attaquant", "origine", "desde", "origen", "atacante", "fuente",
	"bron", "aanvaller", "afkomstig", "vanaf",
	/* it, pt, pl, ru, ja */
	"sorgente", "attaccante", "origem", "z", "ze", "\xd1\x81",
	"atakujacy", "atakuj\xc4\x85" "cy",
	"\xc5\xba\x72\xc3\xb3\x64\xc5\x82\x6f",
	"\xd0\xb8\xd1\x81\xd1\x82\xd0\xbe\xd1\x87\xd0\xbd\xd0\xb8\xd0\xba",
	"\xd0\xb8\xd1\x81\xd1\x82\xd0\xbe\xd1\x87\xd0\xbd\xd0\xb8"
	    "\xd0\xba\xd0\xb0",
	"\xd0\xb0\xd1\x82\xd0\xb0\xd0\xba\xd1\x83\xd1\x8e\xd1\x89"
	    "\xd0\xb8\xd0\xb9",
	"\xe9\x80\x81\xe4\xbf\xa1\xe5\x85\x83",
	"\xe9\x80\x81\xe4\xbf\xa1\xe5\x85\x83ip",
	"\xe6\x94\xbb\xe6\x92\x83\xe5\x85\x83",
	"\xe6\x94\xbb\xe6\x92\x83\xe5\x85\x83ip",
	"\xe6\x8e\xa5\xe7\xb6\x9a\xe5\x85\x83",
	"\xe6\x8e\xa5\xe7\xb6\x9a\xe5\x85\x83ip",
	NULL
};

static const char *const ipctx_victim[] = {
	"destination", "dest", "dst", "dip", "daddr", "dstip", "dstaddr",
	"destip", "target", "targeted", "targets", "targeting", "victim",
	"victims", "against", "attacked", "honeypot", "honeypots", "sensor",
	"sensors", "spamtrap", "towards", "laddr", "lhost", "lip", "ziel",
	"opfer",
	"angegriffen", "gegen", "cible", "victime", "contre", "destino",
	"objetivo", "contra", "doel", "slachtoffer", "tegen", "aangevallen",
	"destinazione", "bersaglio", "vittima", "alvo", "cel", "celem",
	"ofiara", "docelowy",
	"\xd1\x86\xd0\xb5\xd0\xbb\xd1\x8c",
	"\xd1\x86\xd0\xb5\xd0\xbb\xd1\x8c\xd1\x8e",
	"\xd0\xbd\xd0\xb0\xd0\xb7\xd0\xbd\xd0\xb0\xd1\x87\xd0\xb5"
	    "\xd0\xbd\xd0\xb8\xd1\x8f",
	"\xd0\xb6\xd0\xb5\xd1\x80\xd1\x82\xd0\xb2\xd0\xb0",
	"\xe5\xae\x9b\xe5\x85\x88", "\xe5\xae\x9b\xe5\x85\x88ip",
	"\xe6\x94\xbb\xe6\x92\x83\xe5\x85\x88",
	"\xe6\x8e\xa5\xe7\xb6\x9a\xe5\x85\x88",
	NULL
};

static const char *const ipctx_relay[] = {
	"relay", "relayed", "relaying", "mx", "smarthost", "designates",
	NULL
};

/* words after which a number is a version, section or OID, no address */
static const char *const ipctx_notaddr[] = {
	"version", "ver", "v", "build", "release", "rel", "rev", "revision",
	"firmware", "fw", "oid", "section", "sec", "chapter", "article",
	"art", "clause", "paragraph", "para", "step", "kapitel", "artikel",
	"absatz", "versie",
	/* whois blocks: network bounds, not hosts */
	"inetnum", "inet6num", "netrange", "cidr", "route", "route6",
	NULL
};

/* verbs that make "VERB by ADDR" name the actor, not a relay */
static const char *const ipctx_attack_verbs[] = {
	"attacked", "scanned", "sent", "caused", "originated", "generated",
	"hit", "targeted", "launched", "performed", "initiated", "committed",
	"conducted", "hosted", "probed", "flooded", "spammed", "abused",
	"compromised", "accessed", "visited", "requested", "made", "used",
	"triggered", "started", "executed", "run", "operated", "controlled",
	NULL
};

static const char *const ipctx_toward[] = {
	"to", "into", "nach", "zu", "vers", "hacia", "naar",
	NULL
};

/* verbs whose object follows: "is attacking 203.0.113.1"; with a noun
 * between ("attacking host 198.51.100.7") they describe the offender */
static const char *const ipctx_verb_object[] = {
	"attacking", "attacks", "scanning", "scans", "probing", "probes",
	"hitting", "hits", "flooding", "floods", "targeting", "bombarding",
	"angreifen", "greift", "attaque", "ataca", "atacando", "scant",
	NULL
};

/* the toward words that name a direction only after a motion word */
static const char *const ipctx_weak_toward[] = {
	"to", "zu", NULL
};

/* what moves toward an address: "connections to", "traffic to" */
static const char *const ipctx_motion[] = {
	"connection", "connections", "connect", "connects", "connected",
	"connecting", "traffic", "attack", "attacks", "sent", "send",
	"sending", "packet", "packets", "request", "requests", "flood",
	"flooding", "floods", "scan", "scans", "probe", "probes", "probing",
	"login", "logins", "attempts", "access", "accesses", "redirect",
	"redirects", "redirected", "directed", "outgoing", "outbound",
	"query", "queries", "going", "went", "session", "sessions", "tcp",
	"udp", "ssh", "http", "https", "smtp", "ddos", "dos", "spam",
	"verbindung", "verbindungen", "angriff", "angriffe", "zugriffe",
	"anfragen", "pakete",
	NULL
};

static const char *const ipctx_possessive[] = {
	"our", "ours", "my", "unser", "unsere", "unserem", "unseren",
	"unserer", "unseres", "mein", "meine", "meinem", "meinen", "notre",
	"nos", "mon", "ma", "mes", "nuestro", "nuestra", "nuestros",
	"nuestras", "mi", "mis", "onze", "ons", "mijn",
	"nostro", "nostra", "nostri", "nostre", "nosso", "nossa", "nossos",
	"nossas", "nasz", "nasza", "nasze", "naszego", "naszej", "naszym",
	"naszych", "nasz\xc4\x85",
	"\xd0\xbd\xd0\xb0\xd1\x88", "\xd0\xbd\xd0\xb0\xd1\x88\xd0\xb0",
	"\xd0\xbd\xd0\xb0\xd1\x88\xd0\xb5",
	"\xd0\xbd\xd0\xb0\xd1\x88\xd0\xb8",
	"\xd0\xbd\xd0\xb0\xd1\x88\xd0\xb5\xd0\xb3\xd0\xbe",
	"\xd0\xbd\xd0\xb0\xd1\x88\xd0\xb5\xd0\xb9",
	"\xd0\xbd\xd0\xb0\xd1\x88\xd0\xb8\xd0\xbc",
	"\xd0\xbd\xd0\xb0\xd1\x88\xd0\xb8\xd1\x85",
	"\xe5\xbc\x8a\xe7\xa4\xbe", "\xe5\xbd\x93\xe7\xa4\xbe",
	NULL
};

/* host nouns and small words that may stand between "our"/"to" and the
 * address without changing whose address it is */
static const char *const ipctx_filler[] = {
	"server", "servers", "host", "hosts", "system", "systems", "network",
	"networks", "net", "site", "sites", "website", "websites", "web",
	"mail", "mailserver", "webserver", "machine", "machines", "ip",
	"ips", "ipv", "address", "addresses", "addr", "infrastructure", "box",
	"vps", "range", "subnet", "netblock", "service", "services",
	"endpoint", "firewall", "dns", "resolver", "the", "a", "an", "one",
	"of", "public", "dedicated", "internal", "customer", "customers",
	"rechner", "netz", "netzwerk", "adresse", "serveur", "serveurs",
	"reseau", "servidor", "servidores", "red", "netwerk", "adres",
	"direccion", "den", "die", "das", "dem", "le", "la", "les", "el",
	"het", "de", "http", "https", "hxxp", "hxxps", "ftp", "www", "url",
	"serwer", "serwera", "serwerze", "serwery", "adres", "sieci",
	"indirizzo", "rete", "endereco", "endere\xc3\xa7o", "rede",
	"il", "lo", "i", "o", "os", "um", "uma",
	"\xd1\x81\xd0\xb5\xd1\x80\xd0\xb2\xd0\xb5\xd1\x80",
	"\xd1\x81\xd0\xb5\xd1\x80\xd0\xb2\xd0\xb5\xd1\x80\xd0\xb0",
	"\xd0\xb0\xd0\xb4\xd1\x80\xd0\xb5\xd1\x81",
	NULL
};

/* words that only join the members of a list */
static const char *const ipctx_conj[] = {
	"and", "or", "und", "oder", "et", "ou", "y", "o", "en", "of",
	NULL
};

/* passive forms after an address: "203.0.113.9 was attacked" */
static const char *const ipctx_passive[] = {
	"was", "were", "is", "been", "being", "wurde", "wurden", "est",
	"fue", "werd",
	"by\xc5\x82", "by\xc5\x82" "a", "by\xc5\x82o", "jest", "zosta\xc5\x82",
	"zosta\xc5\x82" "a", "era", "stato", "foi",
	"\xd0\xb1\xd1\x8b\xd0\xbb", "\xd0\xb1\xd1\x8b\xd0\xbb\xd0\xb0",
	NULL
};

static const char *const ipctx_passive_cue[] = {
	"attacked", "targeted", "hit", "scanned", "probed", "victim",
	"target", "angegriffen", "attaque", "atacado", "aangevallen",
	"celem", "atakowany", "zaatakowany", "attaccato", "vittima",
	"\xd0\xb0\xd1\x82\xd0\xb0\xd0\xba\xd0\xbe\xd0\xb2\xd0\xb0\xd0\xbd",
	"\xd1\x86\xd0\xb5\xd0\xbb\xd1\x8c\xd1\x8e",
	NULL
};


static const struct {
	const char *const *list;
	unsigned kind;
} ipctx_lists[] = {
	{ ipctx_offender, K_OFFENDER }, { ipctx_victim, K_VICTIM },
	{ ipctx_relay, K_RELAY }, { ipctx_notaddr, K_NOTADDR },
	{ ipctx_attack_verbs, K_VERB }, { ipctx_toward, K_TOWARD },
	{ ipctx_possessive, K_POSS }, { ipctx_filler, K_FILLER },
	{ ipctx_conj, K_CONJ }, { ipctx_passive, K_PASSIVE },
	{ ipctx_passive_cue, K_PASSIVE_CUE }, { ipctx_motion, K_MOTION },
	{ ipctx_weak_toward, K_WEAK_TOWARD },
	{ ipctx_verb_object, K_VERB_OBJECT },
};

/* ipctx_word - one entry of the merged, sorted cue table */
struct ipctx_word {
	const char *word;
	unsigned kinds;
};

static struct ipctx_word *ipctx_table;
static size_t ipctx_ntable;
static pthread_once_t ipctx_once = PTHREAD_ONCE_INIT;

/* ipctx_word_cmp - order table entries by word */
static int
ipctx_word_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ipctx_word *)a)->word,
	    ((const struct ipctx_word *)b)->word);
}

/* ipctx_table_init - merge the lists into one sorted table, once per
 * process, so that classifying a word is one binary search */
static void
ipctx_table_init(void)
{
	size_t i, n = 0, out = 0;
	const char *const *w;

	for (i = 0; i < sizeof(ipctx_lists) / sizeof(ipctx_lists[0]); i++)
		for (w = ipctx_lists[i].list; *w != NULL; w++)
			n++;
	ipctx_table = xcalloc(n, sizeof(*ipctx_table));
	n = 0;
	for (i = 0; i < sizeof(ipctx_lists) / sizeof(ipctx_lists[0]); i++)
		for (w = ipctx_lists[i].list; *w != NULL; w++) {
			ipctx_table[n].word = *w;
			ipctx_table[n++].kinds = ipctx_lists[i].kind;
		}
	qsort(ipctx_table, n, sizeof(*ipctx_table), ipctx_word_cmp);
	for (i = 0; i < n; i++) {
		if (out > 0 && strcmp(ipctx_table[out - 1].word,
		    ipctx_table[i].word) == 0)
			ipctx_table[out - 1].kinds |= ipctx_table[i].kinds;
		else
			ipctx_table[out++] = ipctx_table[i];
	}
	ipctx_ntable = out;
}

/* ipctx_kinds - see extract_ipctx.h */
unsigned
ipctx_kinds(const char *w)
{
	struct ipctx_word key, *hit;

	if (w[0] == '\0')
		return 0;
	pthread_once(&ipctx_once, ipctx_table_init);
	key.word = w;
	hit = bsearch(&key, ipctx_table, ipctx_ntable, sizeof(key),
	    ipctx_word_cmp);
	return hit != NULL ? hit->kinds : 0;
}

