#include "config.h"

#include <stdlib.h>

#include "base/base-url.h"
#include "test-common.h"

static void
check_url(const char *text, const char *scheme, const char *user, const char *pass,
	  const char *host, const char *port, const char *path)
{
	struct url u;
	struct err err;

	test_begin(text);
	test_assert_int(url_parse(text, &u, &err), 0);
	test_assert_str(u.scheme, scheme);
	test_assert_str(u.user, user);
	test_assert_str(u.password, pass);
	test_assert_str(u.host, host);
	test_assert_str(u.port, port);
	test_assert_str(u.path, path);
	url_clear(&u);
	test_end();
}

static void
check_bad(const char *text, const char *msg)
{
	struct url u;
	struct err err;

	test_begin(text);
	test_assert_int(url_parse(text, &u, &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	test_assert_str(err.msg, msg);
	test_end();
}

int
main(void)
{
	struct url u;
	struct err err;
	char *s;

	check_url("imaps://alice:s%40cret@mail.example.org:993/INBOX", "imaps", "alice", "s@cret",
		  "mail.example.org", "993", "INBOX");
	check_url("IMAP://bob@host/Lists/petrel%20dev", "imap", "bob", NULL, "host", NULL,
		  "Lists/petrel dev");
	check_url("pop3://u@[::1]:1110/", "pop3", "u", NULL, "::1", "1110", "");
	check_url("smtp://me@example.com@smtp.example.com", "smtp", "me@example.com", NULL,
		  "smtp.example.com", NULL, "");
	check_url("/var/mail/alice", "file", NULL, NULL, NULL, NULL, "/var/mail/alice");
	check_url("maildir:///home/a/Mail", "maildir", NULL, NULL, NULL, NULL, "/home/a/Mail");
	check_url("notmuch:///db?query=tag:inbox", "notmuch", NULL, NULL, NULL, NULL, "/db");

	check_bad("imap://host:99999/", "imap://host:99999/: bad port number");
	check_bad("imap://host:/", "imap://host:/: bad port number");
	check_bad("imap://[::1/", "imap://[::1/: missing \"]\" after the IPv6 address");
	check_bad("://x", "://x: missing scheme before \"://\"");
	check_bad("im ap://x", "im ap://x: bad character in the scheme");
	check_bad("imap://a%zz@h/", "imap://a%zz@h/: bad percent-escape in the user name");
	check_bad("imap://h/a%00b", "imap://h/a%00b: bad percent-escape in the path");
	check_bad("imap://h/a%4", "imap://h/a%4: bad percent-escape in the path");
	check_bad("", "empty folder name");

	test_begin("query values");
	test_assert_int(url_parse("notmuch://?query=tag%3Ainbox+and+from:x&limit=5", &u, &err), 0);
	s = url_query_get(&u, "query");
	test_assert_str(s, "tag:inbox and from:x");
	free(s);
	s = url_query_get(&u, "limit");
	test_assert_str(s, "5");
	free(s);
	test_assert(url_query_get(&u, "nope") == NULL);
	url_clear(&u);
	test_assert_int(url_parse("notmuch://?query=from:me%2Blist@x", &u, &err), 0);
	s = url_query_get(&u, "query");
	test_assert_str(s, "from:me+list@x");
	free(s);
	url_clear(&u);
	test_end();

	test_begin("display hides the password");
	test_assert_int(url_parse("imaps://alice:pw@[::1]:993/INBOX", &u, &err), 0);
	s = url_display(&u);
	test_assert_str(s, "imaps://alice@[::1]:993/INBOX");
	free(s);
	url_clear(&u);
	test_end();
	return test_done();
}
