/*
 * lang_words.c - function words per language, for lang.c. Each list
 * holds the words a complaint in that language cannot do without
 * (articles, pronouns, prepositions, auxiliaries) plus the formulas of
 * a letter (greeting, thanks, closing). Content words are left out on
 * purpose: "server", "port", "attack" are the same in half of these
 * languages and are what the pasted logs are full of. A word may sit
 * in several lists ("die", "des", "de"); lang.c then splits its weight.
 * Lower case, UTF-8; lang.c folds ASCII and Latin-1 capitals before
 * looking up, and splits at apostrophes ("l'adresse": "l", "adresse").
 */
#include "classify/lang_words.h"

#include <stddef.h>

static const char *const en[] = {
	"the", "and", "of", "to", "is", "are", "was", "were", "this", "that",
	"these", "those", "from", "with", "your", "you", "we", "our", "have",
	"has", "been", "for", "not", "please", "which", "would", "could",
	"should", "there", "their", "they", "it", "be", "on", "at", "by",
	"an", "or", "as", "but", "will", "can", "any", "if", "what", "us",
	"my", "i", "a", "into", "about", "than", "also", "regards", "dear",
	"thank", "thanks", "hello", "sincerely", "kindly", "being", "its",
	"who", "do", "does", "did", "no", "all", NULL,
};

static const char *const de[] = {
	"der", "die", "das", "und", "ist", "nicht", "ein", "eine", "einen",
	"einem", "einer", "den", "dem", "des", "von", "mit", "sich", "auf",
	"für", "wir", "sie", "ihr", "ihre", "ihrer", "ihren", "ihrem", "uns",
	"unser", "unsere", "unserem", "unseren", "unserer", "wurde", "wurden",
	"werden", "wird", "sind", "haben", "hat", "auch", "noch", "bei",
	"aus", "nach", "über", "oder", "aber", "wenn", "dass", "daß", "diese",
	"dieser", "diesem", "diesen", "bitte", "vielen", "dank", "danke",
	"freundlichen", "grüßen", "grüße", "gruß", "sehr", "geehrte",
	"geehrter", "geehrten", "damen", "herren", "zu", "im", "vom", "zum",
	"zur", "es", "ich", "kein", "keine", "wie", "um", "seit", "an",
	"was", "also", NULL,
};

static const char *const fr[] = {
	"le", "les", "des", "du", "une", "est", "sont", "et", "pour", "dans",
	"sur", "avec", "par", "pas", "ne", "nous", "vous", "votre", "vos",
	"notre", "nos", "qui", "ce", "cette", "ces", "été", "être", "avons",
	"avez", "ont", "au", "aux", "il", "elle", "ils", "mais", "ou", "où",
	"leur", "leurs", "merci", "bonjour", "madame", "monsieur",
	"cordialement", "veuillez", "depuis", "était", "plus", "très",
	"aussi", "qu", "que", "la", "de", "un", "en", "à", "c", "j", "n",
	"nous", "salutations", "mesdames", "messieurs", "sommes", NULL,
};

static const char *const es[] = {
	"el", "los", "las", "del", "y", "es", "son", "está", "están", "por",
	"para", "con", "una", "sus", "su", "nuestro", "nuestra", "nuestros",
	"nuestras", "hemos", "han", "ha", "fue", "desde", "pero", "como",
	"más", "este", "esta", "estos", "estas", "esto", "se", "lo", "les",
	"gracias", "saludos", "estimado", "estimados", "estimada", "hola",
	"usted", "ustedes", "favor", "muy", "también", "sido", "hay",
	"sobre", "cuando", "donde", "que", "la", "de", "un", "en", "a",
	"al", "atentamente", "nos", "no", NULL,
};

static const char *const it[] = {
	"il", "lo", "gli", "della", "delle", "dei", "degli", "del", "di",
	"che", "è", "sono", "per", "con", "una", "non", "si", "ci", "ha",
	"hanno", "abbiamo", "questo", "questa", "questi", "queste", "nostro",
	"nostra", "nostri", "vostro", "vostra", "vostri", "suo", "sua", "da",
	"dal", "dalla", "nel", "nella", "nei", "sul", "sulla", "anche", "ma",
	"come", "più", "grazie", "saluti", "cordiali", "distinti", "gentile",
	"gentili", "buongiorno", "essere", "stato", "stata", "molto", "alla",
	"al", "ai", "un", "la", "a", "e", "i", "le", "in", NULL,
};

static const char *const nl[] = {
	"de", "het", "een", "en", "van", "is", "niet", "zijn", "wij", "we",
	"ons", "onze", "u", "uw", "jullie", "ik", "dat", "die", "deze",
	"dit", "voor", "met", "op", "naar", "om", "bij", "ook", "maar",
	"nog", "wordt", "worden", "werd", "werden", "heeft", "hebben",
	"geachte", "vriendelijke", "groet", "groeten", "alstublieft",
	"graag", "bedankt", "uit", "wel", "geen", "er", "hier", "daar",
	"te", "of", "in", "aan", "wat", "hoe", "mvg", NULL,
};

/* no letters in Portuguese yet (the default answers), but without its
 * list a Portuguese complaint would read as Spanish and get a Spanish
 * letter */
static const char *const pt[] = {
	"não", "você", "vocês", "obrigado", "obrigada", "os", "as", "um",
	"uma", "do", "da", "dos", "das", "em", "ao", "aos", "é", "são",
	"nosso", "nossa", "nossos", "nossas", "seu", "sua", "seus", "suas",
	"foi", "foram", "está", "estão", "com", "para", "por", "que", "de",
	"nos", "nas", "pelo", "pela", "este", "esta", "isso", "isto",
	"também", "mais", "muito", "prezados", "prezado", "olá",
	"atenciosamente", "cumprimentos", NULL,
};

/* Polish, for the same reason: its "na", "do", "o" would otherwise
 * count for Portuguese and Spanish */
static const char *const pl[] = {
	"nie", "się", "jest", "że", "w", "z", "i", "na", "do", "od", "za",
	"po", "oraz", "jak", "dla", "przez", "ten", "ta", "to", "są", "być",
	"był", "była", "było", "została", "zostało", "został", "pan", "pani",
	"państwo", "dzień", "dobry", "szanowni", "szanowny", "pozdrawiam",
	"poważaniem", "prosimy", "proszę", "dziękuję", "nasz", "nasza",
	"naszego", "naszej", "naszych", "państwa", "który", "która",
	"które", "także", "tym", "tego", "tej", "o", NULL,
};

const struct lang_list lang_lists[] = {
	{ "en", en }, { "de", de }, { "fr", fr },
	{ "es", es }, { "it", it }, { "nl", nl }, { "pt", pt },
	{ "pl", pl },
};

const int lang_nlists = sizeof(lang_lists) / sizeof(lang_lists[0]);
