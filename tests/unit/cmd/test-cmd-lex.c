#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd/cmd-lex.h"
#include "cmd/cmd-table.h"
#include "test-common.h"

static const char *
name_of(const char *word)
{
	const struct cmd_def *d = cmd_table_lookup(word);

	return d != NULL ? d->name : "(none)";
}

static void
check_line(const char *line, const char *name, const char *args)
{
	struct cmd_line cl;
	struct err err;

	test_assert_int(cmd_lex_line(line, &cl, &err), 0);
	test_assert_str(cl.name, name);
	test_assert_str(cl.args, args);
}

static const char *
words(const char *text)
{
	static char out[512];
	struct cmd_words w;
	struct err err;
	size_t i;

	if (cmd_lex_words(text, &w, &err) < 0) {
		snprintf(out, sizeof(out), "error: %s", err.msg);
		cmd_words_clear(&w);
		return out;
	}
	out[0] = '\0';
	for (i = 0; i < w.n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "[%s]@%zu", w.w[i],
			 w.start[i]);
	cmd_words_clear(&w);
	return out;
}

int
main(void)
{
	struct cmd_line cl;
	struct err err;
	char longname[100];

	test_begin("command word and arguments");
	check_line("type 2", "type", "2");
	check_line("  p2", "p", "2");
	check_line("d1-3", "d", "1-3");
	check_line("t$", "t", "$");
	check_line("3", "", "3");
	check_line("", "", "");
	check_line("!ls -l", "!", "ls -l");
	check_line("| 2 wc", "|", "2 wc");
	check_line("s:u +saved", "s", ":u +saved");
	check_line("echo \"hi\"", "echo", "\"hi\"");
	test_assert_int(cmd_lex_line("# a comment", &cl, &err), 0);
	test_assert(cl.comment);
	test_assert_int(cmd_lex_line("   ", &cl, &err), 0);
	test_assert(cl.comment);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	test_assert_int(cmd_lex_line(longname, &cl, &err), -1);
	test_end();

	test_begin("words");
	test_assert_str(words("a b  c"), "[a]@0[b]@2[c]@5");
	test_assert_str(words("'a b' \"c\\\"d\" e\\ f"), "[a b]@0[c\"d]@6[e f]@13");
	test_assert_str(words("name=\"two words\""), "[name=two words]@0");
	test_assert_str(words("\"a\\nb\""), "[a\\nb]@0");
	test_assert_str(words("''"), "[]@0");
	test_assert_str(words("   "), "");
	test_assert_str(words("\"open"), "error: unmatched \"");
	test_end();

	test_begin("POSIX abbreviations");
	test_assert_str(name_of("p"), "print");
	test_assert_str(name_of("t"), "type");
	test_assert_str(name_of("d"), "delete");
	test_assert_str(name_of("h"), "headers");
	test_assert_str(name_of("q"), "quit");
	test_assert_str(name_of("x"), "xit");
	test_assert_str(name_of("ex"), "exit");
	test_assert_str(name_of("s"), "save");
	test_assert_str(name_of("r"), "reply");
	test_assert_str(name_of("R"), "Reply");
	test_assert_str(name_of("f"), "from");
	test_assert_str(name_of("fi"), "file");
	test_assert_str(name_of("fo"), "followup");
	test_assert_str(name_of("fol"), "followup");
	test_assert_str(name_of("fold"), "folder");
	test_assert_str(name_of("folders"), "folders");
	test_assert_str(name_of("F"), "Followup");
	test_assert_str(name_of("n"), "next");
	test_assert_str(name_of(""), "next");
	test_assert_str(name_of("u"), "undelete");
	test_assert_str(name_of("uns"), "unset");
	test_assert_str(name_of("z"), "z");
	test_assert_str(name_of("mb"), "mbox");
	test_assert_str(name_of("m"), "mail");
	test_assert_str(name_of("ho"), "hold");
	test_assert_str(name_of("pre"), "preserve");
	test_assert_str(name_of("pi"), "pipe");
	test_assert_str(name_of("c"), "copy");
	test_assert_str(name_of("C"), "Copy");
	test_assert_str(name_of("ch"), "chdir");
	test_assert_str(name_of("e"), "edit");
	test_assert_str(name_of("ec"), "echo");
	test_assert_str(name_of("el"), "else");
	test_assert_str(name_of("en"), "endif");
	test_assert_str(name_of("di"), "discard");
	test_assert_str(name_of("ig"), "ignore");
	test_assert_str(name_of("hel"), "help");
	test_assert_str(name_of("i"), "if");
	test_assert_str(name_of("l"), "list");
	test_assert_str(name_of("P"), "Print");
	test_assert_str(name_of("T"), "Type");
	test_assert_str(name_of("S"), "Save");
	test_assert_str(name_of("res"), "respond");
	test_assert_str(name_of("ret"), "retain");
	test_assert_str(name_of("se"), "set");
	test_assert_str(name_of("sh"), "shell");
	test_assert_str(name_of("si"), "size");
	test_assert_str(name_of("so"), "source");
	test_assert_str(name_of("to"), "top");
	test_assert_str(name_of("tou"), "touch");
	test_assert_str(name_of("v"), "visual");
	test_assert_str(name_of("w"), "write");
	test_assert_str(name_of("a"), "alias");
	test_assert_str(name_of("dp"), "dp");
	test_assert_str(name_of("dt"), "dt");
	test_assert_str(name_of("!"), "!");
	test_assert_str(name_of("|"), "|");
	test_assert_str(name_of("parts"), "parts");
	test_assert_str(name_of("mimeview"), "mimeview");
	test_assert_str(name_of("saveattachment"), "saveattachment");
	test_assert_str(name_of("nosuch"), "(none)");
	test_assert_str(name_of("Quit"), "(none)");
	test_assert_str(name_of("pa"), "(none)");
	test_end();
	return test_done();
}
