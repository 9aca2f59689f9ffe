/* Address completion: the entry under the cursor, aliases with
 * redefinitions and unalias, query command output (names quoted, bad
 * lines skipped), running a query command with a timeout, and replacing
 * the completed entry in a prompt line. */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "test-common.h"
#include "ui/ui-complete.h"
#include "ui/ui-model-line.h"

static void
test_entry(void)
{
	test_begin("entry start");
	test_assert_int(ui_complete_entry_start(""), 0);
	test_assert_int(ui_complete_entry_start("bo"), 0);
	test_assert_int(ui_complete_entry_start("ann@x.org, bo"), 11);
	test_assert_int(ui_complete_entry_start("ann@x.org,bo"), 10);
	test_assert_int(ui_complete_entry_start("\"Doe, J\" <j@x>, "), 16);
	test_assert_int(ui_complete_entry_start("\"Doe, J"), 0);
	test_assert_int(ui_complete_entry_start("<a,b@x> c"), 0);
	test_assert_int(ui_complete_entry_start("\"a\\\",b\" c"), 0);
	test_end();
}

static struct config_record
rec(enum config_rec_kind kind, char **argv)
{
	struct config_record r;
	size_t n = 0;

	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.file = "petrelrc";
	while (argv[n] != NULL)
		n++;
	r.argc = n;
	r.argv = argv;
	return r;
}

static void
test_aliases(void)
{
	char *a1[] = {"bob", "Bob Jones <bob@example.org>", NULL};
	char *a2[] = {"team", "ann@example.org", "carol@example.net", NULL};
	char *a3[] = {"Bobby", "bobby@example.com", NULL};
	char *a4[] = {"old", "old@example.org", NULL};
	char *u1[] = {"old", NULL};
	char *a5[] = {"bob", "Robert <rob@example.org>", NULL};
	char *b1[] = {"index", "j", "next-entry", NULL};
	char *star[] = {"*", NULL};
	struct config_record r[8];
	struct ui_strv out = {NULL, 0};

	test_begin("aliases");
	r[0] = rec(CONFIG_REC_ALIAS, a1);
	r[1] = rec(CONFIG_REC_ALIAS, a2);
	r[2] = rec(CONFIG_REC_ALIAS, a3);
	r[3] = rec(CONFIG_REC_ALIAS, a4);
	r[4] = rec(CONFIG_REC_UNALIAS, u1);
	r[5] = rec(CONFIG_REC_ALIAS, a5);
	r[6] = rec(CONFIG_REC_BIND, b1);
	test_assert_int(ui_complete_aliases(r, 7, "bo", &out), 2);
	/* The last definition of bob, in the place of the first. */
	test_assert_str(out.v[0], "Robert <rob@example.org>");
	test_assert_str(out.v[1], "bobby@example.com");
	ui_strv_clear(&out);
	test_assert_int(ui_complete_aliases(r, 7, "TEAM", &out), 1);
	test_assert_str(out.v[0], "ann@example.org, carol@example.net");
	ui_strv_clear(&out);
	test_assert_int(ui_complete_aliases(r, 7, "old", &out), 0);
	test_assert_int(ui_complete_aliases(r, 7, "x", &out), 0);
	test_assert_int(ui_complete_aliases(r, 7, "", &out), 3);
	/* Not twice. */
	test_assert_int(ui_complete_aliases(r, 7, "", &out), 0);
	ui_strv_clear(&out);
	r[7] = rec(CONFIG_REC_UNALIAS, star);
	test_assert_int(ui_complete_aliases(r, 8, "", &out), 0);
	test_assert(out.n == 0);
	test_end();
}

static void
test_parse(void)
{
	const char *o = "Searching database ... 4 entries ... 3 matching:\n"
	                "ann@example.org\tAnn Lindqvist\tfriends\n"
	                "doe@example.org\tDoe, John\n"
	                "bare@example.org\n"
	                "not an address\tNobody\n"
	                "evil@example.org\tEvil \x1b[31mred\n"
	                "\n"
	                "crlf@example.org\t\"Q\" Person\r\n"
	                "last@example.org\tLast";
	struct ui_strv out = {NULL, 0};

	test_begin("query output");
	test_assert_int(ui_complete_parse_query(o, strlen(o), &out), 5);
	test_assert_str(out.v[0], "Ann Lindqvist <ann@example.org>");
	test_assert_str(out.v[1], "\"Doe, John\" <doe@example.org>");
	test_assert_str(out.v[2], "bare@example.org");
	test_assert_str(out.v[3], "\"\\\"Q\\\" Person\" <crlf@example.org>");
	test_assert_str(out.v[4], "Last <last@example.org>");
	ui_strv_clear(&out);
	test_assert_int(ui_complete_parse_query("No matches\n", 11, &out), 0);
	test_assert_int(ui_complete_parse_query("no newline", 10, &out), 0);
	test_assert_int(ui_complete_parse_query("", 0, &out), 0);
	test_end();
}

static void
test_query(void)
{
	struct str out = STR_INIT;
	struct err err;
	char *cmd;
	const char *dir = test_tmpdir();
	FILE *f;

	test_begin("query command");
	cmd = xasprintf("%s/q.sh", dir);
	f = fopen(cmd, "w");
	test_assert(f != NULL);
	if (f == NULL)
		goto out;
	fputs("printf 'found:\\n%s@example.org\\tQ\\n' \"$1\"\n"
	      "[ \"$1\" = none ] && exit 1\n"
	      "[ \"$1\" = fail ] && exit 3\n"
	      "[ \"$1\" = slow ] && sleep 5\n"
	      "exit 0\n",
	      f);
	fclose(f);
	free(cmd);
	cmd = xasprintf("sh %s/q.sh %%s", dir);
	test_assert_int(ui_complete_query(cmd, "it's; x", 2000, &out, &err), 0);
	test_assert_str(str_cstr(&out), "found:\nit's; x@example.org\tQ\n");
	str_reset(&out);
	/* Exit status 1 with output: no match, as abook says it. */
	test_assert_int(ui_complete_query(cmd, "none", 2000, &out, &err), 0);
	str_reset(&out);
	test_assert_int(ui_complete_query(cmd, "fail", 2000, &out, &err), -1);
	test_assert(strstr(err.msg, "status 3") != NULL);
	str_reset(&out);
	test_assert_int(ui_complete_query(cmd, "slow", 300, &out, &err), -1);
	test_assert(strstr(err.msg, "stopped") != NULL);
	test_assert(err.kind == ERR_TIMEOUT);
	str_reset(&out);
	free(cmd);
	/* Without %s the text is one more word. */
	cmd = xasprintf("sh %s/q.sh", dir);
	test_assert_int(ui_complete_query(cmd, "ann", 2000, &out, &err), 0);
	test_assert_str(str_cstr(&out), "found:\nann@example.org\tQ\n");
out:
	free(cmd);
	str_free(&out);
	test_end();
}

/* Runs q to its end the way the TUI's loop does: poll its fd, or wait
 * the time it asks for once the output ended. */
static int
query_run(struct ui_query *q, struct str *out, struct err *err)
{
	int rc;

	while ((rc = ui_query_step(q, out, err)) == 0) {
		struct pollfd pfd = {ui_query_fd(q), POLLIN, 0};

		poll(&pfd, pfd.fd >= 0 ? 1 : 0, ui_query_ms_left(q));
	}
	return rc;
}

static void
test_query_async(void)
{
	struct str out = STR_INIT;
	struct ui_query *q = NULL;
	struct err err;
	char *cmd, *pidfile;
	const char *dir = test_tmpdir();
	FILE *f;
	long pid = 0;

	test_begin("query command without waiting");
	cmd = xasprintf("%s/qa.sh", dir);
	pidfile = xasprintf("%s/qa.pid", dir);
	f = fopen(cmd, "w");
	test_assert(f != NULL);
	if (f == NULL)
		goto out;
	fprintf(f,
	        "case \"$1\" in\n"
	        "slow) echo $$ > '%s'; sleep 30 ;;\n"
	        "late) sleep 0.2 ;;\n"
	        "fail) exit 3 ;;\n"
	        "esac\n"
	        "printf 'found:\\n%%s@example.org\\tQ\\n' \"$1\"\n",
	        pidfile);
	fclose(f);
	free(cmd);
	cmd = xasprintf("sh %s/qa.sh %%s", dir);
	/* An answer that comes after a while: nothing yet, then all. */
	test_assert_int(ui_query_start(cmd, "late", 5000, &q, &err), 0);
	test_assert_str(ui_query_text(q), "late");
	test_assert_int(ui_query_step(q, &out, &err), 0);
	test_assert_int(out.len, 0);
	test_assert_int(query_run(q, &out, &err), 1);
	test_assert_str(str_cstr(&out), "found:\nlate@example.org\tQ\n");
	ui_query_free(&q);
	test_assert(q == NULL);
	str_reset(&out);
	test_assert_int(ui_query_start(cmd, "fail", 5000, &q, &err), 0);
	test_assert_int(query_run(q, &out, &err), -1);
	test_assert(strstr(err.msg, "status 3") != NULL);
	ui_query_free(&q);
	/* Past its time: stopped, with what it started. */
	test_assert_int(ui_query_start(cmd, "slow", 300, &q, &err), 0);
	test_assert_int(query_run(q, &out, &err), -1);
	test_assert(err.kind == ERR_TIMEOUT);
	ui_query_free(&q);
	/* Given up: freed while it runs, the whole group goes. */
	remove(pidfile);
	test_assert_int(ui_query_start(cmd, "slow", 5000, &q, &err), 0);
	for (int i = 0; i < 200 && pid == 0; i++) {
		f = fopen(pidfile, "r");
		if (f != NULL) {
			if (fscanf(f, "%ld", &pid) != 1)
				pid = 0;
			fclose(f);
		}
		if (pid == 0)
			usleep(10000);
	}
	test_assert(pid > 0);
	ui_query_free(&q);
	/* (A grandchild is reaped by init: a moment after, maybe.) */
	for (int i = 0; i < 200 && pid > 0 && kill((pid_t)pid, 0) == 0; i++)
		usleep(10000);
	test_assert(pid > 0 && kill((pid_t)pid, 0) < 0);
out:
	free(cmd);
	free(pidfile);
	str_free(&out);
	test_end();
}

static void
test_replace(void)
{
	struct ui_line l;
	char *t;

	test_begin("line replace");
	ui_line_init(&l, "ann@x.org, bo, zed", NULL);
	l.cursor = 13;
	ui_line_replace(&l, 11, 13, "Bob Jöns <bob@example.org>");
	t = ui_line_text(&l);
	test_assert_str(t, "ann@x.org, Bob Jöns <bob@example.org>, zed");
	free(t);
	test_assert_int(l.cursor, 11 + 26);
	ui_line_replace(&l, 0, 100, "x");
	t = ui_line_text(&l);
	test_assert_str(t, "x");
	free(t);
	test_assert_int(l.cursor, 1);
	ui_line_clear(&l);
	test_end();
}

int
main(void)
{
	test_entry();
	test_aliases();
	test_parse();
	test_query();
	test_query_async();
	test_replace();
	return test_done();
}
