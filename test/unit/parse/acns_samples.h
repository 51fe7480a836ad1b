/*
 * acns_samples.h - ACNS notices and result checks shared by the tests of
 * acns.c (test_acns.c: one buffer; test_acns_msg.c: parsed messages).
 * Test-only; every function is static.
 */
#ifndef TEST_ACNS_SAMPLES_H
#define TEST_ACNS_SAMPLES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/util.h"

#define XSI "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "

/* ACNS 1.2, acns.net namespace; Service_Provider first, so only the
 * path (Complainant/Entity) can pick the right Entity */
#define ACNS12 \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<Infringement xmlns=\"http://www.acns.net/ACNS\" " XSI \
	"xsi:schemaLocation=\"http://www.acns.net/ACNS " \
	"http://www.acns.net/v1.2/ACNS2v1_2.xsd\">\n" \
	" <Case><ID>A-7731</ID><Status>Open</Status></Case>\n" \
	" <Service_Provider><Entity>Small Host</Entity>" \
	"<Email>abuse@host.example</Email></Service_Provider>\n" \
	" <Complainant><Entity>Example Studios LLC</Entity>" \
	"<Contact>Rights Desk</Contact>" \
	"<Email>rights@studio.example</Email></Complainant>\n" \
	" <Source><TimeStamp>2015-05-06T05:00:00Z</TimeStamp>\n" \
	"  <IP_Address>198.51.100.23</IP_Address><Port>51413</Port>\n" \
	"  <Type>BitTorrent</Type>" \
	"<SubType BaseType=\"P2P\" Protocol=\"BITTORRENT\"/>\n" \
	"  <Number_Files>1</Number_Files></Source>\n" \
	" <Content><Item><TimeStamp>2015-05-06T04:59:00Z</TimeStamp>\n" \
	"  <Title>The Long Example</Title>\n" \
	"  <FileName>The.Long.Example.2015.mkv</FileName>\n" \
	"  <Hash Type=\"SHA1\">0123456789abcdef0123456789abcdef01234567</Hash>\n" \
	" </Item></Content>\n" \
	"</Infringement>\n"

#define WANT12 \
	"report=acns\n" \
	"acns.Case-ID=A-7731\n" \
	"acns.Entity=Example Studios LLC\n" \
	"acns.Email=rights@studio.example\n" \
	"acns.TimeStamp=2015-05-06T05:00:00Z\n" \
	"acns.IP_Address=198.51.100.23\n" \
	"acns.Port=51413\n" \
	"acns.Type=BitTorrent\n" \
	"acns.Protocol=BITTORRENT\n" \
	"acns.Title=The Long Example\n" \
	"acns.FileName=The.Long.Example.2015.mkv\n" \
	"acns.Hash=0123456789abcdef0123456789abcdef01234567\n"

/* ACNS 2.0, movielabs namespace; Content before Source, so the Item's
 * TimeStamp must not be taken for the Source's; two Items */
#define ACNS20 \
	"<Infringement xmlns=\"http://www.movielabs.com/ACNS\" " XSI \
	"xsi:schemaLocation=\"http://www.movielabs.com/ACNS " \
	"http://www.movielabs.com/ACNS/ACNS2v0.xsd\">\n" \
	"<Case><ID>9920011</ID></Case>\n" \
	"<Complainant><Entity>Studio Two</Entity>" \
	"<Email>notices@two.example</Email></Complainant>\n" \
	"<Content><Item><TimeStamp>2015-05-01T00:00:00Z</TimeStamp>" \
	"<Title>First Item</Title><FileName>first.avi</FileName></Item>\n" \
	"<Item><Title>Second Item</Title></Item></Content>\n" \
	"<Source><TimeStamp>2015-05-06T05-00-00UTC</TimeStamp>" \
	"<IP_Address>2001:db8::17</IP_Address><Port>6881</Port>" \
	"<Type>P2P</Type><SubType BaseType=\"P2P\" Protocol=\"eDonkey\"/>" \
	"</Source>\n" \
	"</Infringement>"

#define WANT20 \
	"report=acns\n" \
	"acns.Case-ID=9920011\n" \
	"acns.Entity=Studio Two\n" \
	"acns.Email=notices@two.example\n" \
	"acns.TimeStamp=2015-05-06T05-00-00UTC\n" \
	"acns.IP_Address=2001:db8::17\n" \
	"acns.Port=6881\n" \
	"acns.Type=P2P\n" \
	"acns.Protocol=eDonkey\n" \
	"acns.Title=First Item\n" \
	"acns.FileName=first.avi\n"

/* the smallest notice: no namespace, case and address only */
#define BARE \
	"<Infringement><Case><ID>77</ID></Case>" \
	"<Source><IP_Address>203.0.113.9</IP_Address></Source></Infringement>"
#define WANT_BARE \
	"report=acns\nacns.Case-ID=77\nacns.IP_Address=203.0.113.9\n"

/* a clear-signed notice: markers escaped once and twice, and a wrapped
 * value whose second line began with '-' and was escaped by the signer */
#define PGP_SIGNED \
	"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" \
	"Notice ID: 5512\n" \
	"- ----Start ACNS XML\n" \
	"- - ---Start ACNS XML\n" \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<Infringement xmlns=\"http://www.acns.net/ACNS\">\n" \
	"<Case><ID>5512</ID></Case>\n" \
	"<Source><IP_Address>192.0.2.44</IP_Address></Source>\n" \
	"<Content><Item><FileName>Show.S01E01\n" \
	"- -720p.mkv</FileName></Item></Content>\n" \
	"</Infringement>\n" \
	"- - ---End ACNS XML\n" \
	"-----BEGIN PGP SIGNATURE-----\n\nabc=\n-----END PGP SIGNATURE-----\n"

/* dump - fields as "key=value\n" lines, for one comparison */
static char *
dump(const struct kvlist *kv)
{
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < kv->n; i++)
		buf_printf(&b, "%s=%s\n", kv->v[i].key, kv->v[i].val);
	return b.s;
}

/* check_result - compare what a parser returned with what a row wants;
 * false (and the difference printed) when they differ */
static bool
check_result(const char *label, bool found, const struct kvlist *kv,
    const char *want, const char *never)
{
	char *got = dump(kv);
	bool ok = (want == NULL) == !found &&
	    strcmp(got, want ? want : "") == 0 &&
	    (never == NULL || strstr(got, never) == NULL);

	if (!ok)
		print_error("%s: found=%d\n--- got\n%s--- want\n%s", label,
		    found, got, want ? want : "(nothing)\n");
	free(got);
	return ok;
}

#endif
