/* Saving attachments: names from the message never choose a directory,
 * nothing is overwritten unless asked, the bytes are exact. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base-file.h"
#include "mime/mime-message.h"
#include "test-common.h"

static const char traversal_msg[] =
    "From: a@x\nSubject: names\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"t\"\n\n"
    "--t\nContent-Type: text/plain\n\nbody\n"
    "--t\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"../../.bashrc\"\n\n"
    "rm -rf ~\n"
    "--t\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"/etc/passwd\"\n\n"
    "root\n"
    "--t\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\".hidden\"\n\n"
    "hidden\n"
    "--t\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"a\\\\b\"\n\n"
    "back\n"
    "--t\nContent-Type: application/octet-stream\n"
    "Content-Disposition: attachment; filename*=utf-8''%1B%5B2J%E2%80%AE.txt\n"
    "Content-Transfer-Encoding: base64\n\nAAECAwT/\n"
    "--t\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAEC\n"
    "--t--\n";

static int
file_is(const char *path, const void *want, size_t want_len)
{
	char *data = NULL;
	size_t len = 0;
	struct err err;
	int ok;

	if (file_read_all(path, 1 << 20, &data, &len, &err) < 0)
		return 0;
	ok = len == want_len && memcmp(data, want, len) == 0;
	free(data);
	return ok;
}

static int
count_files(const char *dir)
{
	char cmd[1200];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "find '%s' -type f | wc -l", dir);
	p = popen(cmd, "r");
	if (p != NULL) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

int
main(void)
{
	struct mime_message *msg;
	struct mime_save_params sp;
	struct err err;
	char dir[1024], path[1200], *written = NULL;
	struct stat st;

	mime_init();
	snprintf(dir, sizeof(dir), "%s/save", test_tmpdir());
	test_assert(mkdir(dir, 0700) == 0);
	test_assert(mime_message_parse_mem(traversal_msg, sizeof(traversal_msg) - 1, NULL, &msg,
	                                   &err) == 0);
	memset(&sp, 0, sizeof(sp));
	sp.dir = dir;

	test_begin("traversal names are made safe inside the directory");
	test_assert_int(mime_part_save(msg, "2", &sp, &written, &err), 0);
	snprintf(path, sizeof(path), "%s/_bashrc", dir);
	test_assert_str(written, path);
	test_assert(file_is(path, "rm -rf ~", 8));
	free(written);
	test_assert_int(mime_part_save(msg, "3", &sp, &written, &err), 0);
	snprintf(path, sizeof(path), "%s/passwd", dir);
	test_assert_str(written, path);
	free(written);
	test_assert_int(mime_part_save(msg, "4", &sp, &written, &err), 0);
	snprintf(path, sizeof(path), "%s/_hidden", dir);
	test_assert_str(written, path);
	free(written);
	test_assert_int(mime_part_save(msg, "5", &sp, &written, &err), 0);
	snprintf(path, sizeof(path), "%s/b", dir);
	test_assert_str(written, path);
	free(written);
	test_end();

	test_begin("control and bidi characters, exact binary content");
	test_assert_int(mime_part_save(msg, "6", &sp, &written, &err), 0);
	snprintf(path, sizeof(path), "%s/_[2J_.txt", dir);
	test_assert_str(written, path);
	test_assert(file_is(path, "\0\1\2\3\4\xff", 6));
	test_assert(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	free(written);
	test_end();

	test_begin("a part without a name gets attachment-N");
	test_assert_int(mime_part_save(msg, "7", &sp, &written, &err), 0);
	snprintf(path, sizeof(path), "%s/attachment-7", dir);
	test_assert_str(written, path);
	test_assert(file_is(path, "\0\1\2", 3));
	free(written);
	test_end();

	test_begin("no overwrite without the flag");
	test_assert_int(mime_part_save(msg, "3", &sp, &written, &err), -1);
	test_assert_int(errno, EEXIST);
	test_assert(strstr(err.msg, "exists") != NULL);
	test_assert(written == NULL);
	snprintf(path, sizeof(path), "%s/passwd", dir);
	test_assert(file_is(path, "root", 4));
	/* A symlink planted under the name is not followed either. */
	snprintf(path, sizeof(path), "%s/attachment-9", dir);
	test_assert(symlink("/nonexistent/target", path) == 0);
	sp.name = "attachment-9";
	test_assert_int(mime_part_save(msg, "2", &sp, &written, &err), -1);
	test_assert(lstat(path, &st) == 0 && S_ISLNK(st.st_mode));
	sp.name = NULL;
	test_end();

	test_begin("overwrite when asked");
	sp.overwrite = 1;
	sp.name = "passwd";
	test_assert_int(mime_part_save(msg, "2", &sp, &written, &err), 0);
	snprintf(path, sizeof(path), "%s/passwd", dir);
	test_assert(file_is(path, "rm -rf ~", 8));
	free(written);
	sp.name = "../escape";
	test_assert_int(mime_part_save(msg, "2", &sp, &written, &err), 0);
	snprintf(path, sizeof(path), "%s/escape", dir);
	test_assert_str(written, path);
	free(written);
	sp.overwrite = 0;
	sp.name = NULL;
	test_end();

	test_begin("nothing else was written");
	/* _bashrc passwd _hidden b _[2J_.txt attachment-7 escape; no temporaries. */
	test_assert_int(count_files(dir), 7);
	snprintf(path, sizeof(path), "%s/../.bashrc", dir);
	test_assert(access(path, F_OK) != 0);
	test_end();

	test_begin("errors");
	test_assert_int(mime_part_save(msg, "9", &sp, &written, &err), -1);
	sp.dir = "/nonexistent/dir";
	test_assert_int(mime_part_save(msg, "2", &sp, &written, &err), -1);
	test_assert_int(err.kind, ERR_IO);
	sp.dir = dir;
	sp.max_bytes = 2;
	sp.name = "too-big";
	test_assert_int(mime_part_save(msg, "6", &sp, &written, &err), -1);
	snprintf(path, sizeof(path), "%s/too-big", dir);
	test_assert(access(path, F_OK) != 0);
	test_assert_int(count_files(dir), 7);
	test_end();

	test_begin("an attached message is saved whole, as .eml");
	mime_message_free(&msg);
	{
		static const char fwd[] = "Subject: fwd\nContent-Type: multipart/mixed; boundary=f\n\n"
					  "--f\nContent-Type: text/plain\n\nsee below\n"
					  "--f\nContent-Type: message/rfc822\n\n"
					  "Subject: inner\n\ninner body\n--f--\n";

		sp.max_bytes = 0;
		sp.name = NULL;
		test_assert(mime_message_parse_mem(fwd, sizeof(fwd) - 1, NULL, &msg, &err) == 0);
		test_assert_int(mime_part_save(msg, "2", &sp, &written, &err), 0);
		snprintf(path, sizeof(path), "%s/attachment-2.eml", dir);
		test_assert_str(written, path);
		test_assert(file_is(path, "Subject: inner\n\ninner body", 26));
		free(written);
	}
	test_end();

	mime_message_free(&msg);
	mime_shutdown();
	return test_done();
}
