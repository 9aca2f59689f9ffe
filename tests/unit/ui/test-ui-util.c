/* The small helpers: shell quoting, reply prefixes, passwords left out of
 * URLs, string vectors. */
#include "config.h"

#include <string.h>

#include "base/base-str.h"
#include "test-common.h"
#include "ui/ui-util.h"

static const char *
quoted(const char *s)
{
	static struct str out;

	str_reset(&out);
	ui_shell_quote(&out, s);
	return out.s;
}

static const char *
redacted(const char *s)
{
	static struct str out;

	str_reset(&out);
	ui_url_redact(&out, s);
	return out.s;
}

int
main(void)
{
	struct ui_strv v = {NULL, 0};

	test_begin("shell quoting");
	test_assert_str(quoted("plain"), "'plain'");
	test_assert_str(quoted("it's"), "'it'\\''s'");
	test_assert_str(quoted("$(rm -rf ~); `x`"), "'$(rm -rf ~); `x`'");
	test_assert_str(quoted(""), "''");
	test_end();

	test_begin("subjects without reply prefixes");
	test_assert_str(ui_subject_base("Re: Re[2]: FWD: hello"), "hello");
	test_assert_str(ui_subject_base("  Aw: Sv: x"), "x");
	test_assert_str(ui_subject_base("Rebase"), "Rebase");
	test_assert_str(ui_subject_base("Re:"), "");
	test_assert_str(ui_subject_base(NULL), "");
	test_end();

	test_begin("passwords left out of URLs");
	test_assert_str(redacted("imaps://ann:s3cret@mail.example.org/INBOX"),
	                "imaps://ann@mail.example.org/INBOX");
	test_assert_str(redacted("imaps://ann@host/x:y@z"), "imaps://ann@host/x:y@z");
	test_assert_str(redacted("imap://a:b:c@host:993"), "imap://a@host:993");
	test_assert_str(redacted("/home/ann/Mail/box"), "/home/ann/Mail/box");
	test_assert_str(redacted("notmuch://?query=a:b@c"), "notmuch://?query=a:b@c");
	test_end();

	test_begin("string vectors");
	ui_strv_push(&v, "a");
	ui_strv_push(&v, "b");
	ui_strv_push(&v, "c");
	ui_strv_remove(&v, 1);
	test_assert_int(v.n, 2);
	test_assert_str(v.v[1], "c");
	test_assert(v.v[2] == NULL);
	ui_strv_remove(&v, 5);
	test_assert_int(v.n, 2);
	ui_strv_clear(&v);
	test_assert_int(v.n, 0);
	test_end();
	return test_done();
}
