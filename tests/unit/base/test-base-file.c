#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base-file.h"
#include "test-common.h"

int
main(void)
{
	struct err err;
	char path[512], nested[512];
	char *data = NULL;
	size_t len = 0;
	struct stat st;

	snprintf(path, sizeof(path), "%s/state", test_tmpdir());

	test_begin("atomic write creates");
	test_assert_int(file_write_atomic(path, "one\n", 4, 0600, &err), 0);
	test_assert_int(file_read_all(path, 1024, &data, &len, &err), 0);
	test_assert_str(data, "one\n");
	test_assert_int(len, 4);
	free(data);
	test_assert(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	test_end();

	test_begin("atomic write replaces");
	test_assert_int(file_write_atomic(path, "two", 3, 0600, &err), 0);
	test_assert_int(file_read_all(path, 1024, &data, &len, &err), 0);
	test_assert_str(data, "two");
	free(data);
	test_end();

	test_begin("read limit");
	test_assert_int(file_read_all(path, 2, &data, &len, &err), -1);
	test_assert_int(err.kind, ERR_IO);
	test_end();

	test_begin("errors name the file");
	test_assert_int(file_read_all("/nonexistent/x", 10, &data, &len, &err), -1);
	test_assert(strstr(err.msg, "/nonexistent/x") != NULL);
	test_assert_int(file_write_atomic("/nonexistent/dir/x", "a", 1, 0600, &err), -1);
	test_assert(strstr(err.msg, "/nonexistent/dir/x") != NULL);
	test_end();

	test_begin("mkdir -p");
	snprintf(nested, sizeof(nested), "%s/a/b/c", test_tmpdir());
	test_assert_int(file_mkdir_p(nested, 0700, &err), 0);
	test_assert(stat(nested, &st) == 0 && S_ISDIR(st.st_mode));
	test_assert_int(file_mkdir_p(nested, 0700, &err), 0);
	test_end();
	return test_done();
}
