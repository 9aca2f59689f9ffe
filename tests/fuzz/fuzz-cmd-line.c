/*
 * fuzz-cmd-line: the mailx face's parsers on arbitrary input.
 *
 * The input is split into lines; each line goes through the command-mode
 * lexer (cmd_lex_line), the command table, the word splitter and the
 * message-list parser against a small fixed folder, and is also split
 * into words and given to the command-line option parser as argv.
 * Nothing may crash, leak or read out of bounds.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-xalloc.h"
#include "cmd/cmd-lex.h"
#include "cmd/cmd-msglist.h"
#include "cmd/cmd-opts.h"
#include "cmd/cmd-table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct cmd_msg msgs[] = {
	{CMD_MSG_NEW, "alice@example.org", "Alice", "Lunch", 0, 10, 1},
	{CMD_MSG_OLD_READ, "bob@example.net", "Bob", "Re: Lunch", 0, 10, 1},
	{CMD_MSG_DELETED, "carol@example.com", "", "report", 0, 10, 1},
	{0, "", "", "", 0, 0, 0},
};

static void
one_line(const char *line)
{
	size_t n = sizeof(msgs) / sizeof(msgs[0]), i;
	unsigned char sel[sizeof(msgs) / sizeof(msgs[0])];
	struct cmd_line cl;
	struct cmd_words w;
	struct cmd_opts o;
	struct err err;
	char **argv;

	memset(&w, 0, sizeof(w));
	if (cmd_lex_line(line, &cl, &err) == 0) {
		const struct cmd_def *def = cmd_table_lookup(cl.name);

		cmd_msglist_parse(cl.args, msgs, n, 1, 0, sel, &err);
		cmd_msglist_parse(cl.args, msgs, n, 3, CMD_MSGLIST_DELETED, sel, &err);
		if (def != NULL && def->args == CMD_ARGS_MSGFILE &&
		    cmd_lex_words(cl.args, &w, &err) == 0 && w.n > 0) {
			char *list = xstrndup(cl.args, w.start[w.n - 1]);

			cmd_msglist_parse(list, msgs, n, 2, 0, sel, &err);
			free(list);
		}
		cmd_words_clear(&w);
	}
	if (cmd_lex_words(line, &w, &err) == 0) {
		argv = xcalloc(w.n + 2, sizeof(*argv));
		argv[0] = (char *)"petrel";
		for (i = 0; i < w.n; i++)
			argv[i + 1] = w.w[i];
		if (cmd_opts_parse((int)w.n + 1, argv, &o, &err) == 0)
			cmd_opts_face(&o, 1, 1);
		cmd_opts_clear(&o);
		free(argv);
	}
	cmd_words_clear(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	char *p, *nl;

	memcpy(text, data, size);
	text[size] = '\0';
	for (p = text; p != NULL; p = nl) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		one_line(p);
	}
	free(text);
	return 0;
}
