/*
 * petrel: a terminal mail user agent.  main() only picks the face.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/base-err.h"
#include "cmd/cmd.h"
#include "core/core.h"
#include "ui/ui.h"

static void
print_version(void)
{
	static const char *const wanted[] = {"mbox", "maildir", "imap", "pop3", "smtp", "notmuch"};
	const char *names[32];
	size_t n, i, k;

	printf("petrel %s\n", PACKAGE_VERSION);
	n = core_account_backends(names, sizeof(names) / sizeof(names[0]));
	printf("features:");
	for (k = 0; k < sizeof(wanted) / sizeof(wanted[0]); k++) {
		int have = 0;

		for (i = 0; i < n; i++)
			have |= strcmp(names[i], wanted[k]) == 0;
		/* SMTP submission is no folder backend: core-submit.h, always built. */
		have |= strcmp(wanted[k], "smtp") == 0;
		printf(" %c%s", have ? '+' : '-', wanted[k]);
	}
	/* Sending goes to smtp_url when set, else to the sendmail program. */
	printf(" +sendmail +tui\n");
	printf("libraries: %s\n", PETREL_BUILD_LIBS);
}

/* The full-screen face: what it takes of the command line. */
static int
run_tui(const struct cmd_opts *opts, const char *argv0)
{
	struct ui_opts u;

	memset(&u, 0, sizeof(u));
	u.folder = opts->folder_flag && opts->noperands > 0 ? opts->operands[0] : NULL;
	u.config_file = opts->config_file;
	u.vars = opts->vars;
	u.nvars = opts->nvars;
	u.no_sysrc = opts->no_sysrc;
	u.debug_file = opts->debug_file;
	u.argv0 = argv0;
	return ui_main(&u);
}

int
main(int argc, char **argv)
{
	struct cmd_opts opts;
	struct err err;
	enum cmd_face face;
	int rc;

	setlocale(LC_ALL, "");
	if (cmd_opts_parse(argc, argv, &opts, &err) < 0) {
		fprintf(stderr, "petrel: %s\n", err.msg);
		cmd_opts_clear(&opts);
		return 1;
	}
	face = cmd_opts_face(&opts, isatty(0), isatty(1));
	switch (face) {
	case CMD_FACE_HELP:
		fputs(cmd_opts_usage(), stdout);
		rc = 0;
		break;
	case CMD_FACE_VERSION:
		print_version();
		rc = 0;
		break;
	case CMD_FACE_TUI:
		rc = run_tui(&opts, argv[0]);
		break;
	default:
		rc = cmd_main(&opts, face);
		break;
	}
	cmd_opts_clear(&opts);
	return rc;
}
