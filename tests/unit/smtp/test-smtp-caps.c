#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/base-str.h"
#include "smtp/smtp-caps.h"
#include "test-common.h"

/* Parses a whole EHLO reply given as text. */
static void
caps_of(const char *text, struct smtp_caps *caps)
{
	struct smtp_reply_parser *p = smtp_reply_parser_new(65536, 1000);
	const struct smtp_reply *r;
	struct err err;

	smtp_reply_parser_feed(p, text, strlen(text));
	memset(caps, 0xff, sizeof(*caps));
	if (smtp_reply_parser_next(p, &r, &err) == 1)
		smtp_caps_parse(caps, r);
	else
		printf("# cannot parse: %s\n", err.msg);
	smtp_reply_parser_free(&p);
}

static void
test_postfix(void)
{
	struct smtp_caps c;

	test_begin("Postfix 3.7 after STARTTLS");
	caps_of("250-mail.petrel.test\r\n250-PIPELINING\r\n250-SIZE 20480000\r\n250-VRFY\r\n"
	        "250-ETRN\r\n250-AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256\r\n"
	        "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n"
	        "250 CHUNKING\r\n",
	        &c);
	test_assert(c.esmtp);
	test_assert_str(c.domain, "mail.petrel.test");
	test_assert(c.pipelining);
	test_assert(c.size);
	test_assert_int(c.size_max, 20480000);
	test_assert(c.auth);
	test_assert_str(c.auth_mechs, "PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256");
	test_assert(c.enhancedstatuscodes);
	test_assert(c.eightbitmime);
	test_assert(c.dsn);
	test_assert(c.smtputf8);
	test_assert(c.chunking);
	test_assert(!c.starttls);
	test_assert(!c.binarymime);
	test_assert(smtp_caps_has_mech(&c, "scram-sha-256"));
	test_assert(smtp_caps_has_mech(&c, "PLAIN"));
	test_assert(!smtp_caps_has_mech(&c, "SCRAM-SHA"));
	test_assert(!smtp_caps_has_mech(&c, "GSSAPI"));
	test_end();
}

static void
test_forms(void)
{
	struct smtp_caps c;

	test_begin("keyword forms");
	/* The old "AUTH=" form, lower case, duplicates, STARTTLS, BINARYMIME. */
	caps_of("250-host\r\n250-auth=login plain\r\n250-AUTH PLAIN XOAUTH2\r\n250-starttls\r\n"
	        "250-BINARYMIME\r\n250 size\r\n",
	        &c);
	test_assert_str(c.auth_mechs, "LOGIN PLAIN XOAUTH2");
	test_assert(c.starttls);
	test_assert(c.binarymime);
	test_assert(c.size);
	test_assert_int(c.size_max, 0);
	/* Only the greeting line: nothing offered. */
	caps_of("250 host.example greets you\r\n", &c);
	test_assert(c.esmtp);
	test_assert_str(c.domain, "host.example");
	test_assert(!c.pipelining && !c.size && !c.auth && !c.starttls);
	test_assert_str(c.auth_mechs, "");
	test_end();
}

static void
test_hostile(void)
{
	struct smtp_caps c;
	struct str text = STR_INIT;

	test_begin("hostile capabilities");
	caps_of("250-h\r\n250-SIZE -1\r\n250 PIPELINING\r\n", &c);
	test_assert(c.size);
	test_assert_int(c.size_max, 0);
	caps_of("250-h\r\n250 SIZE 99999999999999999999999\r\n", &c);
	test_assert_int(c.size_max, 0);
	caps_of("250-h\r\n250 SIZE 12abc\r\n", &c);
	test_assert_int(c.size_max, 0);
	caps_of("250-h\r\n250 SIZE 18446744073709551615\r\n", &c);
	test_assert(c.size_max == 18446744073709551615ULL);
	caps_of("250-h\r\n250 SIZE 18446744073709551616\r\n", &c);
	test_assert_int(c.size_max, 0);
	/* Keywords with arguments they do not take are not the keyword. */
	caps_of("250-h\r\n250-8BITMIME junk\r\n250-PIPELININGX\r\n250 STARTTLS now\r\n", &c);
	test_assert(!c.eightbitmime && !c.pipelining && !c.starttls);
	caps_of("250-h\r\n250 AUTH PLAIN <x> a/b THIS-NAME-IS-FAR-TOO-LONG-FOR-SASL LOGIN\r\n", &c);
	test_assert_str(c.auth_mechs, "PLAIN LOGIN");
	/* A thousand mechanisms: kept to what fits, no overflow. */
	str_append(&text, "250-h\r\n250 AUTH");
	for (int i = 0; i < 1000; i++)
		str_appendf(&text, " MECH-%d", i);
	str_append(&text, "\r\n");
	caps_of(str_cstr(&text), &c);
	test_assert(strlen(c.auth_mechs) < sizeof(c.auth_mechs));
	test_assert(strncmp(c.auth_mechs, "MECH-0 MECH-1 MECH-2", 20) == 0);
	test_assert(smtp_caps_has_mech(&c, "MECH-50"));
	test_assert(!smtp_caps_has_mech(&c, "MECH-999"));
	str_free(&text);
	/* A 250-character domain is cut to fit. */
	str_init(&text);
	str_append(&text, "250 ");
	for (int i = 0; i < 300; i++)
		str_append_char(&text, 'd');
	str_append(&text, "\r\n");
	caps_of(str_cstr(&text), &c);
	test_assert_int(strlen(c.domain), sizeof(c.domain) - 1);
	str_free(&text);
	test_end();
}

int
main(void)
{
	test_postfix();
	test_forms();
	test_hostile();
	return test_done();
}
