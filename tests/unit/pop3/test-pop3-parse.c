#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "pop3/pop3-parse.h"
#include "test-common.h"

static const char *
stat_of(const char *text)
{
	static char buf[128];
	unsigned long count;
	uint64_t size;
	struct err err;

	if (pop3_parse_stat(text, &count, &size, &err) < 0)
		return "error";
	snprintf(buf, sizeof(buf), "%lu %llu", count, (unsigned long long)size);
	return buf;
}

static const char *
list(const char *text)
{
	static char buf[128];
	unsigned long msg;
	uint64_t size;
	struct err err;

	if (pop3_parse_list(text, &msg, &size, &err) < 0)
		return "error";
	snprintf(buf, sizeof(buf), "%lu %llu", msg, (unsigned long long)size);
	return buf;
}

static const char *
uidl(const char *text)
{
	static char buf[256];
	unsigned long msg;
	const char *uid;
	size_t len;
	struct err err;
	int r = pop3_parse_uidl(text, &msg, &uid, &len, &err);

	if (r < 0)
		return "error";
	if (r == 1)
		snprintf(buf, sizeof(buf), "%lu bad", msg);
	else
		snprintf(buf, sizeof(buf), "%lu %.*s", msg, (int)len, uid);
	return buf;
}

static void
test_numbers(void)
{
	test_begin("STAT and LIST");
	test_assert_str(stat_of("3 2659"), "3 2659");
	test_assert_str(stat_of("0 0"), "0 0");
	test_assert_str(stat_of("2 320 more text"), "2 320");
	test_assert_str(stat_of("2147483647 9223372036854775807"),
	                "2147483647 9223372036854775807");
	test_assert_str(stat_of("2147483648 1"), "error");
	test_assert_str(stat_of("1 9223372036854775808"), "error");
	test_assert_str(stat_of("99999999999999999999 5"), "error");
	test_assert_str(stat_of("abc octets"), "error");
	test_assert_str(stat_of("-1 0"), "error");
	test_assert_str(stat_of("+1 0"), "error");
	test_assert_str(stat_of("1"), "error");
	test_assert_str(stat_of("1  2"), "error");
	test_assert_str(stat_of("1 2x"), "error");
	test_assert_str(stat_of(""), "error");
	test_assert_str(list("1 80"), "1 80");
	test_assert_str(list("0 80"), "error");
	test_assert_str(list("1 12abc"), "error");
	test_assert_str(list("1e9 1"), "error");
	test_assert_str(list("1"), "error");
	test_end();
}

static void
test_uidl(void)
{
	char uid70[80], uid71[80];

	test_begin("UIDL lines");
	memset(uid70, 'u', 70);
	uid70[70] = '\0';
	memset(uid71, 'u', 71);
	uid71[71] = '\0';
	test_assert_str(uidl("1 000000016b032509"), "1 000000016b032509");
	test_assert_str(uidl("3 ~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}"),
	                "3 ~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}");
	{
		char line[100];

		snprintf(line, sizeof(line), "2 %s", uid70);
		test_assert(strcmp(uidl(line), "2 bad") != 0);
		snprintf(line, sizeof(line), "2 %s", uid71);
		test_assert_str(uidl(line), "2 bad");
	}
	test_assert_str(uidl("1"), "1 bad");
	test_assert_str(uidl("1 "), "1 bad");
	test_assert_str(uidl("1 a b"), "1 bad");
	test_assert_str(uidl("1 a\x7f"), "1 bad");
	test_assert_str(uidl("1 \xc3\xa9"), "1 bad");
	test_assert_str(uidl("-1 x"), "error");
	test_assert_str(uidl("abc def"), "error");
	test_assert_str(uidl("0 x"), "error");
	test_end();
}

static const char *
stamp(const char *greeting)
{
	static char buf[POP3_TIMESTAMP_MAX + 1];

	if (!pop3_parse_apop_timestamp(greeting, buf, sizeof(buf)))
		return "none";
	return buf;
}

static void
test_apop(void)
{
	char big[400];

	test_begin("APOP timestamps");
	test_assert_str(stamp("POP3 server ready <1896.697170952@dbc.mtview.ca.us>"),
	                "<1896.697170952@dbc.mtview.ca.us>");
	test_assert_str(stamp("ready <a@b> trailing"), "<a@b>");
	test_assert_str(stamp("Dovecot (Debian) ready."), "none");
	test_assert_str(stamp("<not-a-msg-id>"), "none");
	test_assert_str(stamp("<a@b@c>"), "none");
	test_assert_str(stamp("<@b>"), "none");
	test_assert_str(stamp("<a@>"), "none");
	test_assert_str(stamp("<a b@c>"), "none");
	test_assert_str(stamp("<a@b\x01>"), "none");
	test_assert_str(stamp("<a<b@c>"), "none");
	test_assert_str(stamp("<a@b"), "none");
	memset(big, 'a', sizeof(big));
	big[0] = '<';
	big[100] = '@';
	big[sizeof(big) - 2] = '>';
	big[sizeof(big) - 1] = '\0';
	test_assert_str(stamp(big), "none");
	test_end();
}

static void
test_caps(void)
{
	struct pop3_caps c;
	char line[700];

	test_begin("CAPA lines");
	memset(&c, 0, sizeof(c));
	pop3_caps_add_line(&c, "CAPA");
	pop3_caps_add_line(&c, "TOP");
	pop3_caps_add_line(&c, "UIDL");
	pop3_caps_add_line(&c, "RESP-CODES");
	pop3_caps_add_line(&c, "PIPELINING");
	pop3_caps_add_line(&c, "AUTH-RESP-CODE");
	pop3_caps_add_line(&c, "STLS");
	pop3_caps_add_line(&c, "user");
	pop3_caps_add_line(&c, "SASL CRAM-MD5 scram-sha-256 CRAM-MD5 b@d");
	pop3_caps_add_line(&c, "EXPIRE 31 USER");
	pop3_caps_add_line(&c, "LOGIN-DELAY 900");
	pop3_caps_add_line(&c, "IMPLEMENTATION Shlemazle-Plotz-v302\x1b[2J");
	pop3_caps_add_line(&c, "X-UNKNOWN whatever");
	test_assert(c.top && c.uidl && c.resp_codes && c.pipelining && c.auth_resp_code);
	test_assert(c.stls && c.user && c.sasl && c.expire && c.login_delay);
	test_assert_str(c.sasl_mechs, "CRAM-MD5 SCRAM-SHA-256");
	test_assert(pop3_caps_has_mech(&c, "scram-sha-256"));
	test_assert(!pop3_caps_has_mech(&c, "PLAIN"));
	test_assert_int(c.expire_days, 31);
	test_assert_int(c.login_delay_secs, 900);
	test_assert_str(c.implementation, "Shlemazle-Plotz-v302?[2J");
	pop3_caps_add_line(&c, "EXPIRE NEVER");
	test_assert_int(c.expire_days, -1);
	memset(&c, 0, sizeof(c));
	pop3_caps_add_line(&c, "EXPIRE -1");
	pop3_caps_add_line(&c, "LOGIN-DELAY 99999999999999999999");
	test_assert(!c.expire && !c.login_delay);
	/* Many mechanisms: kept to what fits. */
	strcpy(line, "SASL");
	for (int i = 0; strlen(line) < sizeof(line) - 12; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), " M%d", i);
	pop3_caps_add_line(&c, line);
	test_assert(strlen(c.sasl_mechs) < sizeof(c.sasl_mechs));
	test_assert(pop3_caps_has_mech(&c, "M0"));
	test_end();
}

int
main(void)
{
	test_numbers();
	test_uidl();
	test_apop();
	test_caps();
	return test_done();
}
