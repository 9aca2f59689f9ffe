#include "config.h"

#include <errno.h>
#include <string.h>

#include "base/base-err.h"
#include "test-common.h"

int
main(void)
{
	struct err err;

	test_begin("err_set");
	test_assert_int(err_set(&err, ERR_AUTH, "login to %s failed", "imap.example"), -1);
	test_assert_int(err.kind, ERR_AUTH);
	test_assert_str(err.msg, "login to imap.example failed");
	test_end();

	test_begin("err_prefix keeps the kind");
	err_prefix(&err, "account %s", "work");
	test_assert_str(err.msg, "account work: login to imap.example failed");
	test_assert_int(err.kind, ERR_AUTH);
	test_end();

	test_begin("err_sys");
	err_sys(&err, ERR_IO, ENOENT, "cannot open %s", "/x");
	test_assert_str(err.msg, "cannot open /x: No such file or directory");
	test_end();

	test_begin("err kinds have names");
	for (int k = 0; k < ERR_KIND_COUNT; k++)
		test_assert(strcmp(err_kind_name((enum err_kind)k), "unknown") != 0);
	test_assert_str(err_kind_name(ERR_CONN), "connection");
	test_assert_str(err_kind_name(ERR_KIND_COUNT), "unknown");
	test_end();

	test_begin("NULL err is allowed");
	test_assert_int(err_set(NULL, ERR_PROTO, "x"), -1);
	test_end();

	test_begin("long messages are cut, not overflowed");
	char longer[2000];
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	err_set(&err, ERR_PARSE, "%s", longer);
	test_assert_int(strlen(err.msg), ERR_MSG_MAX - 1);
	err_prefix(&err, "ctx");
	test_assert_int(strlen(err.msg), ERR_MSG_MAX - 1);
	test_end();
	return test_done();
}
