#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "cmd/cmd-opts.h"
#include "test-common.h"

static int
parse(struct cmd_opts *o, struct err *err, ...)
{
	char *argv[32];
	va_list ap;
	int argc = 0;
	char *a;

	argv[argc++] = (char *)"petrel";
	va_start(ap, err);
	while ((a = va_arg(ap, char *)) != NULL)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	return cmd_opts_parse(argc, argv, o, err);
}

int
main(void)
{
	struct cmd_opts o;
	struct err err;

	test_begin("send mode");
	test_assert_int(parse(&o, &err, "-s", "Hello", "-a", "f1", "-af2", "-c", "c@x", "-b",
			      "b@x", "-r", "me@x", "-S", "v=1", "-Sw", "to@x", "to2@x", NULL), 0);
	test_assert_str(o.subject, "Hello");
	test_assert_int(o.nattach, 2);
	test_assert_str(o.attach[1], "f2");
	test_assert_str(o.cc[0], "c@x");
	test_assert_str(o.bcc[0], "b@x");
	test_assert_str(o.from, "me@x");
	test_assert_int(o.nvars, 2);
	test_assert_str(o.vars[1], "w");
	test_assert_int(o.noperands, 2);
	test_assert_int(cmd_opts_face(&o, 1, 1), CMD_FACE_SEND);
	cmd_opts_clear(&o);
	test_end();

	test_begin("receive mode");
	test_assert_int(parse(&o, &err, "-HNf", "box", NULL), 0);
	test_assert(o.headers_only && o.no_header && o.folder_flag);
	test_assert_str(o.operands[0], "box");
	test_assert_int(cmd_opts_face(&o, 1, 1), CMD_FACE_MAILX);
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "-f", "box", "-N", NULL), 0);
	test_assert(o.no_header);
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "-f", NULL), 0);
	test_assert_int(o.noperands, 0);
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "-e", NULL), 0);
	test_assert_int(cmd_opts_face(&o, 1, 1), CMD_FACE_MAILX);
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "-u", "joe", "-i", "-n", "-F", NULL), 0);
	test_assert_str(o.user, "joe");
	test_assert(o.ignore_int && o.no_sysrc && o.record);
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "-d", "trace.log", NULL), 0);
	test_assert_str(o.debug_file, "trace.log");
	test_assert_int(cmd_opts_face(&o, 1, 1), CMD_FACE_TUI);
	test_assert_int(cmd_opts_face(&o, 0, 1), CMD_FACE_MAILX);
	test_assert_int(cmd_opts_face(&o, 1, 0), CMD_FACE_MAILX);
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "--", "-notanoption@x", NULL), 0);
	test_assert_str(o.operands[0], "-notanoption@x");
	test_assert_int(cmd_opts_face(&o, 1, 1), CMD_FACE_SEND);
	cmd_opts_clear(&o);
	test_end();

	test_begin("long options");
	test_assert_int(parse(&o, &err, "--version", NULL), 0);
	test_assert_int(cmd_opts_face(&o, 1, 1), CMD_FACE_VERSION);
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "--help", NULL), 0);
	test_assert_int(cmd_opts_face(&o, 1, 1), CMD_FACE_HELP);
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "--config=/x", NULL), 0);
	test_assert_str(o.config_file, "/x");
	cmd_opts_clear(&o);
	test_end();

	test_begin("errors");
	test_assert_int(parse(&o, &err, "-q", NULL), -1);
	test_assert_str(err.msg, "unknown option -q (petrel --help lists them)");
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "-s", NULL), -1);
	test_assert_str(err.msg, "option -s needs an argument");
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "-f", "a", "b", NULL), -1);
	test_assert_str(err.msg, "-f takes one folder, not 2");
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "-H", "to@x", NULL), -1);
	test_assert_int(err.kind, ERR_USAGE);
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "-s", "subj", NULL), -1);
	test_assert_str(err.msg, "no recipient given (-s, -a, -c and -b are for sending)");
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "-f", "x", "-u", "joe", NULL), -1);
	cmd_opts_clear(&o);
	test_assert_int(parse(&o, &err, "--bogus", NULL), -1);
	cmd_opts_clear(&o);
	test_end();
	return test_done();
}
