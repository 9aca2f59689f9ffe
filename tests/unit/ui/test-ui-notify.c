/* new_mail_command: the expansions, and starting the command in the
 * background with its output discarded. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "test-common.h"
#include "ui/ui-notify.h"

static const char *
expanded(const char *fmt, const struct ui_notify_info *info)
{
	static struct str out;

	str_reset(&out);
	ui_notify_expand(&out, fmt, info);
	return out.s != NULL ? out.s : "";
}

static void
test_expand(void)
{
	struct ui_notify_info info = {"/home/me/Mail/inbox", 2, 7, 120};
	struct ui_notify_info odd = {"it's $(rm -rf ~) `x`", 1, 1, 1};
	struct ui_notify_info none = {NULL, 0, 0, 0};

	test_begin("expansions");
	test_assert_str(expanded("notify-send %n", &info), "notify-send 2");
	test_assert_str(expanded("%n new, %u unread of %m in %f", &info),
	                "2 new, 7 unread of 120 in '/home/me/Mail/inbox'");
	test_assert_str(expanded("100%% %x %", &info), "100% %x %");
	test_assert_str(expanded("", &info), "");
	/* A folder name is one quoted word, whatever it holds. */
	test_assert_str(expanded("echo %f", &odd), "echo 'it'\\''s $(rm -rf ~) `x`'");
	test_assert_str(expanded("[%f] %n", &none), "[''] 0");
	test_end();
}

/* Waits up to 5 s for path to hold want. */
static int
file_holds(const char *path, const char *want)
{
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");
		char buf[256] = "";

		if (f != NULL) {
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);

			buf[n] = '\0';
			fclose(f);
			if (strcmp(buf, want) == 0)
				return 1;
		}
		usleep(10000);
	}
	return 0;
}

static void
test_spawn(void)
{
	char *out = xasprintf("%s/notified", test_tmpdir());
	char *slow = xasprintf("%s/slow-done", test_tmpdir());
	char *cmd;
	struct err err;

	test_begin("the command runs in the background");
	/* Its output and errors go nowhere: only what it writes to a file
	 * shows. */
	cmd = xasprintf("echo to-stdout; echo to-stderr >&2; [ -t 0 ] || echo ok > '%s'", out);
	test_assert(ui_notify_spawn(cmd, &err) == 0);
	test_assert(file_holds(out, "ok\n"));
	free(cmd);

	/* A slow command does not hold the caller up: it has not finished
	 * when the call returns. */
	cmd = xasprintf("sleep 1; echo done > '%s'", slow);
	test_assert(ui_notify_spawn(cmd, &err) == 0);
	test_assert(access(slow, F_OK) != 0);
	test_assert(file_holds(slow, "done\n"));
	free(cmd);

	/* No child is left for the caller to reap. */
	test_assert(waitpid(-1, NULL, WNOHANG) < 0);
	free(out);
	free(slow);
	test_end();
}

int
main(void)
{
	test_expand();
	test_spawn();
	return test_done();
}
