/*
 * The configuration parser: every syntax form, every error message (by its
 * exact text), accounts, source, -S, MAILRC, typed getters, paths and URLs.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base-file.h"
#include "base/base-xalloc.h"
#include "core/core-config-int.h"
#include "core/core-config.h"
#include "test-common.h"

static char home[512];
static char data_dir[1024];

/* Loads text as "test.conf" into a fresh config; *ret_r gets the result. */
static struct config *
load(const char *text, unsigned flags, int *ret_r, struct err *err)
{
	struct config *cfg = config_new();

	err_clear(err);
	*ret_r = config_load_buffer(cfg, "test.conf", text, strlen(text), flags, err);
	return cfg;
}

/* The errors of cfg are exactly the NULL-terminated list. */
static void
expect_errors_at(const struct config *cfg, int line, ...)
{
	va_list ap;
	size_t i = 0;
	const char *want;

	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL) {
		test_assert_str_at(config_error(cfg, i), want, "error", __FILE__, line);
		i++;
	}
	va_end(ap);
	test_assert_int_at((long long)config_error_count(cfg), (long long)i, "error count",
	                   __FILE__, line);
	if (config_error_count(cfg) != i)
		for (size_t j = 0; j < config_error_count(cfg); j++)
			printf("#   error %zu: %s\n", j, config_error(cfg, j));
}
#define expect_errors(...) expect_errors_at(__VA_ARGS__, (const char *)NULL)

/* Loads text that must have exactly one error, and checks its text. */
static void
one_error_at(const char *text, unsigned flags, const char *want, int line)
{
	struct err err;
	int ret;
	struct config *cfg = load(text, flags, &ret, &err);

	test_assert_int_at(ret, -1, text, __FILE__, line);
	test_assert_str_at(err.msg, want, text, __FILE__, line);
	test_assert_int_at(err.kind, ERR_USAGE, "kind", __FILE__, line);
	expect_errors_at(cfg, line, want, (const char *)NULL);
	config_free(&cfg);
}
#define one_error(text, want) one_error_at(text, 0, want, __LINE__)
#define one_mailrc_error(text, want) one_error_at(text, CONFIG_LOAD_MAILRC, want, __LINE__)

static void
write_file(const char *path, const char *text)
{
	struct err err = {0};
	char *dir = xstrdup(path);

	*strrchr(dir, '/') = '\0';
	if (file_mkdir_p(dir, 0700, &err) < 0 ||
	    file_write_atomic(path, text, strlen(text), 0600, &err) < 0) {
		printf("Bail out! %s\n", err.msg);
		exit(1);
	}
	free(dir);
}

static void
test_set_forms(void)
{
	struct err err;
	struct config *cfg;
	int ret;

	test_begin("set forms");
	cfg = load("set realname=Ann\n"
	           "set askcc\n"
	           "set noheader\n"
	           "set hold\n"
	           "unset hold\n"
	           "set from=\"Ann Smith <ann@example.org>\"\n"
	           "set sign='it''s'\n"
	           "set timeout=5 connect_timeout=7\n"
	           "set toplines = 9 crt =12\n"
	           "set prompt='& ' quiet\n"
	           "set Sign=capital sign=lower\n",
	           0, &ret, &err);
	test_assert_int(ret, 0);
	test_assert_str(err.msg, "");
	expect_errors(cfg, __LINE__);
	test_assert_str(config_string(cfg, NULL, VAR_REALNAME), "Ann");
	test_assert_int(config_bool(cfg, NULL, VAR_ASKCC), 1);
	test_assert_int(config_bool(cfg, NULL, VAR_HEADER), 0);
	test_assert_int(config_bool(cfg, NULL, VAR_HOLD), 0);
	test_assert_str(config_string(cfg, NULL, VAR_FROM), "Ann Smith <ann@example.org>");
	test_assert_str(config_string(cfg, NULL, VAR_SIGN), "lower");
	test_assert_str(config_string(cfg, NULL, VAR_SIGN_CAPITAL), "capital");
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 5);
	test_assert_int(config_number(cfg, NULL, VAR_CONNECT_TIMEOUT), 7);
	test_assert_int(config_number(cfg, NULL, VAR_TOPLINES), 9);
	test_assert_int(config_number(cfg, NULL, VAR_CRT), 12);
	test_assert_str(config_string(cfg, NULL, VAR_PROMPT), "& ");
	test_assert_int(config_bool(cfg, NULL, VAR_QUIET), 1);
	test_assert_str(config_origin(cfg, NULL, VAR_TIMEOUT), "test.conf:8");
	config_free(&cfg);
	test_end();

	test_begin("single quotes join, bare words");
	cfg = load("set sign='it'\"'\"'s'\n", 0, &ret, &err);
	test_assert_str(config_string(cfg, NULL, VAR_SIGN), "it's");
	config_free(&cfg);
	test_end();

	test_begin("bool and quad spellings");
	cfg = load("set hold=on keep=TRUE append=1 metoo=off dot=false bang=0\n"
	           "set copy=ask-no quit=no delete ask=no\n",
	           0, &ret, &err);
	test_assert_int(ret, 0);
	test_assert_int(config_bool(cfg, NULL, VAR_HOLD), 1);
	test_assert_int(config_bool(cfg, NULL, VAR_KEEP), 1);
	test_assert_int(config_bool(cfg, NULL, VAR_APPEND), 1);
	test_assert_int(config_bool(cfg, NULL, VAR_METOO), 0);
	test_assert_int(config_bool(cfg, NULL, VAR_DOT), 0);
	test_assert_int(config_bool(cfg, NULL, VAR_BANG), 0);
	test_assert_int(config_quad(cfg, NULL, VAR_COPY), CONFIG_QUAD_ASK_NO);
	test_assert_int(config_quad(cfg, NULL, VAR_QUIT), CONFIG_QUAD_NO);
	test_assert_int(config_quad(cfg, NULL, VAR_DELETE), CONFIG_QUAD_YES);
	test_assert_int(config_quad(cfg, NULL, VAR_ABORT_NOSUBJECT), CONFIG_QUAD_ASK_YES);
	test_assert_int(config_bool(cfg, NULL, VAR_ASKSUB), 0);
	test_assert_str(config_value_text(cfg, NULL, VAR_COPY), "ask-no");
	test_assert_str(config_value_text(cfg, NULL, VAR_HOLD), "yes");
	config_free(&cfg);
	test_end();

	test_begin("empty values, reset, unset");
	cfg = load("set record=/tmp/sent\n"
	           "set record=\n"
	           "set realname=\n"
	           "set timeout=9\n"
	           "reset timeout\n"
	           "set copy\n"
	           "unset copy\n"
	           "set crt\n"
	           "set notoplines=\n",
	           0, &ret, &err);
	test_assert_int(ret, -1);
	test_assert(config_string(cfg, NULL, VAR_RECORD) == NULL);
	test_assert(!config_is_set(cfg, NULL, VAR_RECORD));
	test_assert_str(config_string(cfg, NULL, VAR_REALNAME), "");
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 60);
	test_assert_str(config_origin(cfg, NULL, VAR_TIMEOUT), "default");
	test_assert_int(config_quad(cfg, NULL, VAR_COPY), CONFIG_QUAD_NO);
	test_assert(config_is_set(cfg, NULL, VAR_CRT));
	test_assert_int(config_number(cfg, NULL, VAR_CRT), 0);
	expect_errors(cfg, __LINE__,
	              "test.conf:9: unknown variable \"notoplines\" (did you mean "
	              "\"toplines\"?)");
	config_free(&cfg);
	test_end();
}

static void
test_quoting(void)
{
	struct err err;
	struct config *cfg;
	int ret;

	test_begin("escapes in double quotes");
	cfg = load("set sign=\"a\\tb\\nc\\\"d\\\\e\\ef\\rg\"\n"
	           "set Sign=\"x\\.y\\q\"\n"
	           "set prompt='a\\tb'\n"
	           "set realname=Ann\\ Smith\\\"\n",
	           0, &ret, &err);
	test_assert_int(ret, 0);
	test_assert_str(config_string(cfg, NULL, VAR_SIGN), "a\tb\nc\"d\\e\033f\rg");
	test_assert_str(config_string(cfg, NULL, VAR_SIGN_CAPITAL), "x\\.y\\q");
	test_assert_str(config_string(cfg, NULL, VAR_PROMPT), "a\\tb");
	test_assert_str(config_string(cfg, NULL, VAR_REALNAME), "Ann Smith\"");
	config_free(&cfg);
	test_end();

	test_begin("comments");
	cfg = load("# a comment\n"
	           "   # an indented comment\n"
	           "set realname=Ann # after a command\n"
	           "set sign=a#b\n"
	           "set Sign=\"x # y\" # z\n"
	           "set prompt='#'\n"
	           "#set timeout=abc\n"
	           "\n\t\n",
	           0, &ret, &err);
	test_assert_int(ret, 0);
	expect_errors(cfg, __LINE__);
	test_assert_str(config_string(cfg, NULL, VAR_REALNAME), "Ann");
	test_assert_str(config_string(cfg, NULL, VAR_SIGN), "a#b");
	test_assert_str(config_string(cfg, NULL, VAR_SIGN_CAPITAL), "x # y");
	test_assert_str(config_string(cfg, NULL, VAR_PROMPT), "#");
	config_free(&cfg);
	test_end();

	test_begin("continuation lines");
	cfg = load("set realname=Ann \\\n"
	           "    timeout=11\n"
	           "set sign=\"one \\\n"
	           "two\"\n"
	           "set Sign=ab\\\n"
	           "cd\n"
	           "set prompt=x\\\r\n"
	           "y\r\n"
	           "# a comment does not continue \\\n"
	           "set toplines=3\n"
	           "set timeout=abc\n",
	           0, &ret, &err);
	test_assert_str(config_string(cfg, NULL, VAR_REALNAME), "Ann");
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 11);
	test_assert_str(config_string(cfg, NULL, VAR_SIGN), "one two");
	test_assert_str(config_string(cfg, NULL, VAR_SIGN_CAPITAL), "abcd");
	test_assert_str(config_string(cfg, NULL, VAR_PROMPT), "xy");
	test_assert_int(config_number(cfg, NULL, VAR_TOPLINES), 3);
	/* Line numbers still count physical lines. */
	expect_errors(cfg, __LINE__, "test.conf:11: \"timeout\" takes a number, not \"abc\"");
	config_free(&cfg);
	test_end();

	test_begin("CRLF line ends");
	cfg = load("set realname=Ann\r\nset timeout=12\r\n", 0, &ret, &err);
	test_assert_int(ret, 0);
	test_assert_str(config_string(cfg, NULL, VAR_REALNAME), "Ann");
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 12);
	config_free(&cfg);
	test_end();

	test_begin("quote errors");
	one_error("set realname=\"Ann\n", "test.conf:1: unterminated double quote");
	one_error("\nset realname='Ann\n", "test.conf:2: unterminated single quote");
	one_error("set realname=\"Ann", "test.conf:1: unterminated double quote");
	one_error("set realname=\"Ann\\", "test.conf:1: unterminated double quote");
	test_end();

	test_begin("a bad line does not stop the file");
	cfg = load("set realname=\"Ann\nset timeout=13\n", 0, &ret, &err);
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 13);
	config_free(&cfg);
	test_end();

	test_begin("NUL bytes");
	{
		static const char text[] = "set timeout=1\nset realname=A\0B\nset toplines=4\n";
		struct config *c = config_new();

		ret = config_load_buffer(c, "test.conf", text, sizeof(text) - 1, 0, &err);
		test_assert_int(ret, -1);
		test_assert_str(err.msg, "test.conf:2: line contains a NUL byte");
		test_assert_int(config_number(c, NULL, VAR_TOPLINES), 4);
		ret = config_load_buffer(c, "test.conf", text, sizeof(text) - 1, CONFIG_LOAD_MAILRC,
		                         &err);
		test_assert_int(ret, -1);
		test_assert_str(err.msg, "test.conf:2: line contains a NUL byte");
		config_free(&c);
	}
	test_end();
}

static void
test_value_errors(void)
{
	test_begin("type errors");
	one_error("set timeout=abc", "test.conf:1: \"timeout\" takes a number, not \"abc\"");
	one_error("set timeout=", "test.conf:1: \"timeout\" takes a number, not \"\"");
	one_error("set timeout=12x", "test.conf:1: \"timeout\" takes a number, not \"12x\"");
	one_error("set timeout=0",
	          "test.conf:1: \"timeout\" takes a number from 1 to 3600, not \"0\"");
	one_error("set timeout=99999999999999999999999",
	          "test.conf:1: \"timeout\" takes a number from 1 to 3600, not "
	          "\"99999999999999999999999\"");
	one_error("set timeout", "test.conf:1: \"timeout\" needs a value: set timeout=NUMBER");
	one_error("set folder", "test.conf:1: \"folder\" needs a value: set folder=FOLDER");
	one_error("set tls_ca_file", "test.conf:1: \"tls_ca_file\" needs a value: set "
	                             "tls_ca_file=PATH");
	one_error("set smtp_url", "test.conf:1: \"smtp_url\" needs a value: set smtp_url=URL");
	one_error("set sort", "test.conf:1: \"sort\" needs a value: set sort=WORD");
	one_error("set tls_verify=maybe",
	          "test.conf:1: \"tls_verify\" takes yes or no, not \"maybe\"");
	one_error("set quit=perhaps",
	          "test.conf:1: \"quit\" takes yes, no, ask-yes or ask-no, not \"perhaps\"");
	one_error("set imap_starttls=sometimes",
	          "test.conf:1: \"imap_starttls\" takes required, optional or no, not "
	          "\"sometimes\"");
	one_error("set keymap=emacs", "test.conf:1: \"keymap\" takes default or vim, not "
	                              "\"emacs\"");
	one_error("set escape=ab", "test.conf:1: \"escape\" takes a single character, not "
	                           "\"ab\"");
	one_error("set dsn_notify=failure,often",
	          "test.conf:1: \"dsn_notify\" takes never, or a comma-separated list of failure, "
	          "delay and success, not \"failure,often\"");
	one_error("unset timeout", "test.conf:1: \"timeout\" cannot be unset; give it a value or "
	                           "use reset timeout for its default");
	one_error("set nosort", "test.conf:1: \"sort\" cannot be unset; give it a value or use "
	                        "reset sort for its default");
	test_end();
}

static void
test_value_errors_2(void)
{
	struct err err;
	struct config *cfg;
	int ret;

	test_begin("good values in range");
	cfg = load("set escape=! dsn_notify=failure,delay dsn_return=full sort=reverse-threads\n"
	           "set timeout=3600 pop3_keep_days=0 imap_keepalive=0\n",
	           0, &ret, &err);
	test_assert_int(ret, 0);
	test_assert_str(config_string(cfg, NULL, VAR_ESCAPE), "!");
	test_assert_str(config_string(cfg, NULL, VAR_DSN_NOTIFY), "failure,delay");
	test_assert_int(config_enum(cfg, NULL, VAR_DSN_RETURN), 1);
	test_assert_str(config_string(cfg, NULL, VAR_SORT), "reverse-threads");
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 3600);
	config_free(&cfg);
	test_end();

	test_begin("control characters in errors are shown, not sent");
	cfg = load("set timeout=\"a\x1b[31mb\"\n", 0, &ret, &err);
	expect_errors(cfg, __LINE__,
	              "test.conf:1: \"timeout\" takes a number, not \"a\\x1b[31mb\"");
	config_free(&cfg);
	test_end();

	test_begin("long values are cut in errors");
	cfg = load("set timeout=1234567890123456789012345678901234567890123456789012345678901234567"
	           "890x\n",
	           0, &ret, &err);
	expect_errors(cfg, __LINE__,
	              "test.conf:1: \"timeout\" takes a number, not "
	              "\"123456789012345678901234567890123456789012345678901234567890...\"");
	config_free(&cfg);
	test_end();
}

static void
test_command_errors(void)
{
	struct err err;
	struct config *cfg;
	int ret;

	test_begin("unknown names");
	one_error("set smpt_url=smtp://h",
	          "test.conf:1: unknown variable \"smpt_url\" (did you mean \"smtp_url\"?)");
	one_error("set nosmpt_url",
	          "test.conf:1: unknown variable \"nosmpt_url\" (did you mean \"nosmtp_url\"?)");
	one_error("set qqqqqqqq=1", "test.conf:1: unknown variable \"qqqqqqqq\"");
	one_error("unset smpt_url",
	          "test.conf:1: unknown variable \"smpt_url\" (did you mean \"smtp_url\"?)");
	one_error("reset qqqqqqqq", "test.conf:1: unknown variable \"qqqqqqqq\"");
	one_error("sett timeout=1", "test.conf:1: unknown command \"sett\" (did you mean "
	                            "\"set\"?)");
	one_error("frobnicate", "test.conf:1: unknown command \"frobnicate\"");
	one_error("timeout=5",
	          "test.conf:1: unknown command \"timeout=5\" (did you mean \"set timeout=5\"?)");
	one_error("unset timeout=5", "test.conf:1: unset takes variable names, not \"timeout=5\"");
	one_error("reset timeout=5", "test.conf:1: reset takes variable names, not \"timeout=5\"");
	one_error("set =5", "test.conf:1: missing variable name before \"=\"");
	one_error("set timeout =", "test.conf:1: missing value after \"=\" for \"timeout\"");
	test_end();

	test_begin("argument counts");
	one_error("set", "test.conf:1: set takes at least 1 argument (set NAME[=VALUE]...), not 0");
	one_error("unset", "test.conf:1: unset takes at least 1 argument (unset NAME...), not 0");
	one_error("reset", "test.conf:1: reset takes at least 1 argument (reset NAME...), not 0");
	one_error("source", "test.conf:1: source takes 1 argument (source FILE), not 0");
	one_error("source a b", "test.conf:1: source takes 1 argument (source FILE), not 2");
	one_error("account work", "test.conf:1: account takes 2 arguments (account NAME {), not 1");
	one_error("account work x", "test.conf:1: account takes a name and \"{\" (account NAME {)");
	one_error("bind index q", "test.conf:1: bind takes 3 arguments (bind MAP KEY FUNCTION), "
	                          "not 2");
	one_error("bind index q quit now",
	          "test.conf:1: bind takes 3 arguments (bind MAP KEY FUNCTION), not 4");
	one_error("macro index x",
	          "test.conf:1: macro takes 3 or 4 arguments (macro MAP KEY SEQUENCE "
	          "[DESCRIPTION]), not 2");
	one_error("macro index x a b c",
	          "test.conf:1: macro takes 3 or 4 arguments (macro MAP KEY SEQUENCE "
	          "[DESCRIPTION]), not 5");
	one_error("color index red",
	          "test.conf:1: color takes 3 or 4 arguments (color OBJECT FOREGROUND BACKGROUND "
	          "[REGEX]), not 2");
	one_error("color a b c d e",
	          "test.conf:1: color takes 3 or 4 arguments (color OBJECT FOREGROUND BACKGROUND "
	          "[REGEX]), not 5");
	one_error("uncolor", "test.conf:1: uncolor takes at least 1 argument (uncolor OBJECT "
	                     "[REGEX...]), not 0");
	one_error("mailboxes", "test.conf:1: mailboxes takes at least 1 argument (mailboxes "
	                       "FOLDER...), not 0");
	one_error("unmailboxes", "test.conf:1: unmailboxes takes at least 1 argument "
	                         "(unmailboxes FOLDER...), not 0");
	one_error("alternates", "test.conf:1: alternates takes at least 1 argument (alternates "
	                        "REGEX...), not 0");
	one_error("unalternates", "test.conf:1: unalternates takes at least 1 argument "
	                          "(unalternates REGEX...), not 0");
	one_error("alias bob", "test.conf:1: alias takes at least 2 arguments (alias NAME "
	                       "ADDRESS...), not 1");
	one_error("unalias", "test.conf:1: unalias takes at least 1 argument (unalias NAME...), "
	                     "not 0");
	one_error("ignore", "test.conf:1: ignore takes at least 1 argument (ignore HEADER...), "
	                    "not 0");
	one_error("unignore", "test.conf:1: unignore takes at least 1 argument (unignore "
	                      "HEADER...), not 0");
	one_error("virtual_mailboxes x",
	          "test.conf:1: virtual_mailboxes takes at least 2 arguments (virtual_mailboxes "
	          "NAME QUERY...), not 1");
	one_error("virtual_mailboxes a b c",
	          "test.conf:1: virtual_mailboxes takes pairs of NAME and QUERY, not 3 arguments");
	one_error("query x", "test.conf:1: query takes at least 2 arguments (query NAME QUERY), "
	                     "not 1");
	one_error("} x", "test.conf:1: \"}\" takes no arguments, not 1");
	test_end();

	test_begin("maps");
	one_error("bind indx q quit", "test.conf:1: unknown map \"indx\" (did you mean "
	                              "\"index\"?)");
	one_error("bind index,paper q quit",
	          "test.conf:1: unknown map \"paper\" (did you mean \"pager\"?)");
	one_error("macro zzzzzz q quit",
	          "test.conf:1: unknown map \"zzzzzz\" (maps: index, pager, compose, browser, "
	          "generic, editor)");
	one_error("bind index, q quit",
	          "test.conf:1: unknown map \"\" (maps: index, pager, compose, browser, generic, "
	          "editor)");
	test_end();

	test_begin("all errors of a file are collected");
	cfg = load("set timeout=abc\n"
	           "set realname=Ann\n"
	           "set smpt_url=x\n"
	           "bogus\n"
	           "set tls_verify=maybe\n",
	           0, &ret, &err);
	test_assert_int(ret, -1);
	test_assert_str(err.msg, "test.conf:1: \"timeout\" takes a number, not \"abc\"");
	expect_errors(cfg, __LINE__, "test.conf:1: \"timeout\" takes a number, not \"abc\"",
	              "test.conf:3: unknown variable \"smpt_url\" (did you mean \"smtp_url\"?)",
	              "test.conf:4: unknown command \"bogus\"",
	              "test.conf:5: \"tls_verify\" takes yes or no, not \"maybe\"");
	test_assert_str(config_string(cfg, NULL, VAR_REALNAME), "Ann");
	config_free(&cfg);
	test_end();

	test_begin("error limit");
	{
		char text[4096] = "";
		char last[128];

		for (int i = 0; i < 70; i++)
			strcat(text, "bogus\n");
		cfg = load(text, 0, &ret, &err);
		test_assert_int(ret, -1);
		test_assert_int(config_error_count(cfg), CONFIG_MAX_ERRORS + 1);
		snprintf(last, sizeof(last), "test.conf:%d: unknown command \"bogus\"",
		         CONFIG_MAX_ERRORS);
		test_assert_str(config_error(cfg, CONFIG_MAX_ERRORS - 1), last);
		test_assert_str(config_error(cfg, CONFIG_MAX_ERRORS),
		                "test.conf: stopping after 50 errors");
		test_assert(config_error(cfg, CONFIG_MAX_ERRORS + 1) == NULL);
		config_free(&cfg);
	}
	test_end();
}

static void
test_records(void)
{
	const struct config_record *r;
	struct err err;
	struct config *cfg;
	size_t n;
	int ret;

	test_begin("records keep order, file, line and arguments");
	cfg = load("bind index,pager q quit\n"
	           "macro index gi \"<change-folder>=INBOX<enter>\" \"go to the inbox\"\n"
	           "macro generic \\Cx '<exit>'\n"
	           "color index yellow default \"~N\"\n"
	           "color status white blue\n"
	           "uncolor index *\n"
	           "mailboxes +INBOX +lists\n"
	           "unmailboxes *\n"
	           "alternates ann@old\\\\.example\n"
	           "unalternates *\n"
	           "alias bob \"Bob Jones <bob@example.org>\" bob2@example.org\n"
	           "unalias bob\n"
	           "ignore * \n"
	           "unignore from subject\n"
	           "virtual_mailboxes inbox \"notmuch://?query=tag:inbox\" todo tag:todo\n"
	           "query unread tag:unread and   not tag:spam\n",
	           0, &ret, &err);
	test_assert_int(ret, 0);
	expect_errors(cfg, __LINE__);
	r = config_records(cfg, &n);
	test_assert_int(n, 17);
	if (n == 17) {
		static const enum config_rec_kind kinds[17] = {
		    CONFIG_REC_BIND,         CONFIG_REC_MACRO,       CONFIG_REC_MACRO,
		    CONFIG_REC_COLOR,        CONFIG_REC_COLOR,       CONFIG_REC_UNCOLOR,
		    CONFIG_REC_MAILBOXES,    CONFIG_REC_UNMAILBOXES, CONFIG_REC_ALTERNATES,
		    CONFIG_REC_UNALTERNATES, CONFIG_REC_ALIAS,       CONFIG_REC_UNALIAS,
		    CONFIG_REC_IGNORE,       CONFIG_REC_UNIGNORE,    CONFIG_REC_QUERY,
		    CONFIG_REC_QUERY,        CONFIG_REC_QUERY};
		int kinds_ok = 1;

		for (int i = 0; i < 17; i++)
			kinds_ok &= r[i].kind == kinds[i];
		test_assert(kinds_ok);
		test_assert_str(r[0].file, "test.conf");
		test_assert_int(r[0].line, 1);
		test_assert_int(r[0].argc, 3);
		test_assert_str(r[0].argv[0], "index,pager");
		test_assert_str(r[0].argv[2], "quit");
		test_assert(r[0].argv[3] == NULL);
		test_assert(r[0].account == NULL);
		test_assert_int(r[1].argc, 4);
		test_assert_str(r[1].argv[2], "<change-folder>=INBOX<enter>");
		test_assert_str(r[1].argv[3], "go to the inbox");
		test_assert_str(r[2].argv[1], "Cx");
		test_assert_int(r[3].argc, 4);
		test_assert_str(r[3].argv[3], "~N");
		test_assert_int(r[4].argc, 3);
		test_assert_str(r[8].argv[0], "ann@old\\.example");
		test_assert_int(r[10].argc, 3);
		test_assert_str(r[10].argv[1], "Bob Jones <bob@example.org>");
		test_assert_int(r[12].line, 13);
		test_assert_str(r[14].argv[0], "inbox");
		test_assert_str(r[14].argv[1], "notmuch://?query=tag:inbox");
		test_assert_int(r[15].line, 15);
		test_assert_str(r[15].argv[0], "todo");
		test_assert_str(r[15].argv[1], "tag:todo");
		test_assert_int(r[16].argc, 2);
		test_assert_str(r[16].argv[0], "unread");
		test_assert_str(r[16].argv[1], "tag:unread and not tag:spam");
	}
	config_free(&cfg);
	test_end();
}

static void
test_accounts(void)
{
	const struct config_account *work, *home_acct;
	const struct config_record *r;
	struct err err;
	struct config *cfg;
	size_t n;
	int ret;

	test_begin("account blocks and inheritance");
	cfg = load("set realname=Ann timeout=20 imap_pass=global\n"
	           "account work {\n"
	           "  set from=ann@work.example timeout=99\n"
	           "  unset imap_pass\n"
	           "  set notls_verify\n"
	           "  mailboxes +work\n"
	           "}\n"
	           "account home {\n"
	           "  set from=ann@home.example\n"
	           "}\n"
	           "set connect_timeout=8 tls_ca_file=/etc/ca.pem\n"
	           "mailboxes +global\n",
	           0, &ret, &err);
	test_assert_int(ret, 0);
	expect_errors(cfg, __LINE__);
	test_assert_int(config_account_count(cfg), 2);
	work = config_account_at(cfg, 0);
	home_acct = config_account_at(cfg, 1);
	test_assert(config_account_at(cfg, 2) == NULL);
	test_assert_str(config_account_name(work), "work");
	test_assert_str(config_account_name(home_acct), "home");
	test_assert(config_account_find(cfg, "home") == home_acct);
	test_assert(config_account_find(cfg, "nope") == NULL);
	test_assert(config_account_default(cfg) == work);
	test_assert_str(config_string(cfg, work, VAR_FROM), "ann@work.example");
	test_assert_str(config_string(cfg, home_acct, VAR_FROM), "ann@home.example");
	test_assert(config_string(cfg, NULL, VAR_FROM) == NULL);
	test_assert_int(config_number(cfg, work, VAR_TIMEOUT), 99);
	test_assert_int(config_number(cfg, home_acct, VAR_TIMEOUT), 20);
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 20);
	/* Global values set after the block are inherited too. */
	test_assert_int(config_number(cfg, work, VAR_CONNECT_TIMEOUT), 8);
	test_assert_str(config_string(cfg, home_acct, VAR_TLS_CA_FILE), "/etc/ca.pem");
	test_assert_str(config_string(cfg, work, VAR_REALNAME), "Ann");
	test_assert(config_string(cfg, work, VAR_IMAP_PASS) == NULL);
	test_assert_str(config_string(cfg, home_acct, VAR_IMAP_PASS), "global");
	test_assert_int(config_bool(cfg, work, VAR_TLS_VERIFY), 0);
	test_assert_int(config_bool(cfg, home_acct, VAR_TLS_VERIFY), 1);
	test_assert_str(config_origin(cfg, work, VAR_TIMEOUT), "test.conf:3");
	test_assert_str(config_origin(cfg, home_acct, VAR_TIMEOUT), "test.conf:1");
	r = config_records(cfg, &n);
	test_assert_int(n, 2);
	test_assert(n == 2 && r[0].account == work && r[1].account == NULL);
	config_free(&cfg);
	test_end();

	test_begin("reset in an account goes back to the global value");
	cfg = load("set timeout=20\n"
	           "account a {\n"
	           "set timeout=30\n"
	           "reset timeout\n"
	           "}\n",
	           0, &ret, &err);
	test_assert_int(config_number(cfg, config_account_at(cfg, 0), VAR_TIMEOUT), 20);
	config_free(&cfg);
	test_end();

	test_begin("default_account");
	cfg = load("account a {\n}\naccount b {\n}\nset default_account=b\n", 0, &ret, &err);
	test_assert_int(ret, 0);
	test_assert_str(config_account_name(config_account_default(cfg)), "b");
	config_free(&cfg);
	one_error("account work {\n}\naccount home {\n}\nset default_account=wrok\n",
	          "test.conf:5: default_account names no account: \"wrok\" (accounts: work, home)");
	one_error("set default_account=x\n",
	          "test.conf:1: default_account names no account: \"x\" (no accounts)");
	cfg = config_new();
	test_assert(config_account_default(cfg) == NULL);
	config_free(&cfg);
	test_end();

	test_begin("account errors");
	one_error("set timeout=1\naccount work {\nset timeout=2\n",
	          "test.conf:2: missing \"}\" for account \"work\" opened here");
	one_error("account work {\naccount home {\n}\n}\n",
	          "test.conf:2: account \"home\" inside account \"work\": account blocks may not "
	          "nest");
	one_error("}\n", "test.conf:1: \"}\" without an open account block");
	one_error("account work {\n}\naccount work {\n}\n",
	          "test.conf:3: account \"work\" is already defined at test.conf:1");
	one_error("account \"\" {\n}\n", "test.conf:1: account name must not be empty");
	test_end();

	test_begin("a nested block does not confuse the rest");
	cfg = load("account work {\n"
	           "account home {\n"
	           "set timeout=5\n"
	           "}\n"
	           "set toplines=7\n"
	           "}\n"
	           "set toplines=1\n",
	           0, &ret, &err);
	test_assert_int(config_error_count(cfg), 1);
	test_assert_int(config_account_count(cfg), 1);
	test_assert_int(config_number(cfg, config_account_at(cfg, 0), VAR_TOPLINES), 7);
	test_assert_int(config_number(cfg, NULL, VAR_TOPLINES), 1);
	config_free(&cfg);
	test_end();
}

static void
test_source(void)
{
	char path[1200], want[2400], tmp_home[600];
	const struct config_account *acct;
	struct err err = {0};
	struct config *cfg;
	int ret;

	test_begin("source, relative to the including file");
	cfg = config_new();
	snprintf(path, sizeof(path), "%s/main.conf", data_dir);
	ret = config_load_file(cfg, path, 0, &err);
	test_assert_int(ret, 0);
	expect_errors(cfg, __LINE__);
	test_assert_str(config_string(cfg, NULL, VAR_REALNAME), "From sub/inc.conf");
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 42);
	test_assert_int(config_number(cfg, NULL, VAR_TOPLINES), 8);
	acct = config_account_find(cfg, "work");
	test_assert(acct != NULL);
	if (acct != NULL)
		test_assert_str(config_string(cfg, acct, VAR_IMAP_PASS), "secret");
	test_assert(config_string(cfg, NULL, VAR_IMAP_PASS) == NULL);
	snprintf(want, sizeof(want), "%s/sub/inc.conf:2", data_dir);
	test_assert_str(config_origin(cfg, NULL, VAR_REALNAME), want);
	config_free(&cfg);
	test_end();

	test_begin("source loops");
	cfg = config_new();
	snprintf(path, sizeof(path), "%s/loop-a.conf", data_dir);
	ret = config_load_file(cfg, path, 0, &err);
	test_assert_int(ret, -1);
	snprintf(want, sizeof(want),
	         "%s/loop-b.conf:2: source loop: \"%s/loop-a.conf\" is already "
	         "being read",
	         data_dir, data_dir);
	test_assert_str(err.msg, want);
	expect_errors(cfg, __LINE__, want);
	/* Both files were read up to the loop. */
	test_assert_int(config_number(cfg, NULL, VAR_TOPLINES), 2);
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 3);
	config_free(&cfg);

	cfg = config_new();
	snprintf(path, sizeof(path), "%s/self.conf", data_dir);
	ret = config_load_file(cfg, path, 0, &err);
	snprintf(want, sizeof(want),
	         "%s/self.conf:1: source loop: \"%s/self.conf\" is already "
	         "being read",
	         data_dir, data_dir);
	test_assert_str(err.msg, want);
	config_free(&cfg);
	test_end();

	test_begin("source errors");
	cfg = config_new();
	snprintf(path, sizeof(path), "%s/missing-source.conf", data_dir);
	ret = config_load_file(cfg, path, 0, &err);
	snprintf(want, sizeof(want),
	         "%s/missing-source.conf:2: cannot read \"%s/no-such-file\": "
	         "No such file or directory",
	         data_dir, data_dir);
	test_assert_str(err.msg, want);
	test_assert_int(config_number(cfg, NULL, VAR_TOPLINES), 6);
	config_free(&cfg);
	one_error("source \"$PETREL_NO_SUCH_VARIABLE/x\"",
	          "test.conf:1: source: environment variable \"PETREL_NO_SUCH_VARIABLE\" is not "
	          "set");
	one_error_at("source x", CONFIG_LOAD_NO_SOURCE, "test.conf:1: source is not allowed here",
	             __LINE__);
	test_end();

	test_begin("source depth");
	snprintf(tmp_home, sizeof(tmp_home), "%s/deep", test_tmpdir());
	for (int i = 0; i < CONFIG_MAX_DEPTH + 2; i++) {
		char text[64];

		snprintf(path, sizeof(path), "%s/d%02d", tmp_home, i);
		snprintf(text, sizeof(text), "set toplines=%d\nsource d%02d\n", i, i + 1);
		write_file(path, text);
	}
	cfg = config_new();
	snprintf(path, sizeof(path), "%s/d00", tmp_home);
	ret = config_load_file(cfg, path, 0, &err);
	test_assert_int(ret, -1);
	snprintf(want, sizeof(want),
	         "%s/d%02d:2: source nesting is deeper than %d files at \"%s/d%02d\"", tmp_home,
	         CONFIG_MAX_DEPTH - 1, CONFIG_MAX_DEPTH, tmp_home, CONFIG_MAX_DEPTH);
	test_assert_str(err.msg, want);
	expect_errors(cfg, __LINE__, want);
	test_assert_int(config_number(cfg, NULL, VAR_TOPLINES), CONFIG_MAX_DEPTH - 1);
	config_free(&cfg);
	test_end();

	test_begin("source with ~, and names shown with ~");
	snprintf(path, sizeof(path), "%s/.config/petrel/config", home);
	write_file(path, "set toplines=11\nsource ~/extra.conf\n");
	snprintf(path, sizeof(path), "%s/extra.conf", home);
	write_file(path, "set timeout=17\nset smpt_url=smtp://x\n");
	setenv("XDG_CONFIG_HOME", "", 1);
	{
		char *def = config_default_path();

		snprintf(path, sizeof(path), "%s/.config/petrel/config", home);
		test_assert_str(def, path);
		cfg = config_new();
		ret = config_load_file(cfg, def, CONFIG_LOAD_OPTIONAL, &err);
		free(def);
	}
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 17);
	test_assert_int(config_number(cfg, NULL, VAR_TOPLINES), 11);
	test_assert_str(
	    err.msg, "~/extra.conf:2: unknown variable \"smpt_url\" (did you mean \"smtp_url\"?)");
	test_assert_str(config_origin(cfg, NULL, VAR_TOPLINES), "~/.config/petrel/config:1");
	config_free(&cfg);
	test_end();
}

static void
test_files(void)
{
	char path[1200];
	struct err err = {0};
	struct config *cfg = config_new();
	int ret;

	test_begin("files that cannot be read");
	snprintf(path, sizeof(path), "%s/no-such-file", data_dir);
	ret = config_load_file(cfg, path, 0, &err);
	test_assert_int(ret, -1);
	test_assert_int(err.kind, ERR_IO);
	test_assert(strstr(err.msg, "/no-such-file: cannot read: No such file or directory") !=
	            NULL);
	ret = config_load_file(cfg, path, CONFIG_LOAD_OPTIONAL, &err);
	test_assert_int(ret, 0);
	ret = config_load_file(cfg, data_dir, CONFIG_LOAD_OPTIONAL, &err);
	test_assert_int(ret, -1);
	test_assert(strstr(err.msg, ": cannot read: Is a directory") != NULL);
	snprintf(path, sizeof(path), "%s/big.conf", test_tmpdir());
	{
		char *big = xmalloc(CONFIG_MAX_FILE_SIZE + 2);

		memset(big, '#', CONFIG_MAX_FILE_SIZE + 1);
		big[CONFIG_MAX_FILE_SIZE + 1] = '\0';
		write_file(path, big);
		free(big);
	}
	ret = config_load_file(cfg, path, 0, &err);
	test_assert_int(ret, -1);
	test_assert(strstr(err.msg, "/big.conf: cannot read: larger than 1048576 bytes") != NULL);
	config_free(&cfg);
	test_end();

	test_begin("default paths");
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	{
		char *p = config_default_path();

		test_assert_str(p, "/xdg/petrel/config");
		free(p);
	}
	setenv("XDG_CONFIG_HOME", "relative", 1);
	{
		char *p = config_default_path(), want[600];

		snprintf(want, sizeof(want), "%s/.config/petrel/config", home);
		test_assert_str(p, want);
		free(p);
	}
	unsetenv("XDG_CONFIG_HOME");
	setenv("MAILRC", "/etc/my.mailrc", 1);
	{
		char *p = config_mailrc_path();

		test_assert_str(p, "/etc/my.mailrc");
		free(p);
	}
	unsetenv("MAILRC");
	{
		char *p = config_mailrc_path(), want[600];

		snprintf(want, sizeof(want), "%s/.mailrc", home);
		test_assert_str(p, want);
		free(p);
	}
	test_end();
}

static void
test_overrides(void)
{
	const struct config_account *acct;
	struct err err = {0};
	struct config *cfg;
	int ret;

	static const char text1[] = "set timeout=5 hold=no header realname=Bob\n"
	                            "account a {\nset timeout=7\n}\n";
	static const char text2[] = "account a {\nset timeout=7\n}\n";

	test_begin("-S before the files wins");
	cfg = config_new();
	test_assert_int(config_set_override(cfg, "timeout=120", &err), 0);
	test_assert_int(config_set_override(cfg, "hold", &err), 0);
	test_assert_int(config_set_override(cfg, "noheader", &err), 0);
	test_assert_int(config_set_override(cfg, "realname=Ann Smith \"x\"", &err), 0);
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 120);
	ret = config_load_buffer(cfg, "test.conf", text1, strlen(text1), 0, &err);
	test_assert_int(ret, 0);
	acct = config_account_at(cfg, 0);
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 120);
	test_assert_int(config_number(cfg, acct, VAR_TIMEOUT), 120);
	test_assert_int(config_bool(cfg, NULL, VAR_HOLD), 1);
	test_assert_int(config_bool(cfg, NULL, VAR_HEADER), 0);
	test_assert_str(config_string(cfg, NULL, VAR_REALNAME), "Ann Smith \"x\"");
	test_assert_str(config_origin(cfg, acct, VAR_TIMEOUT), "-S");
	ret = config_load_buffer(cfg, "mailrc", "set timeout=9\n", 14, CONFIG_LOAD_MAILRC, &err);
	test_assert_int(ret, 0);
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 120);
	config_free(&cfg);
	test_end();

	test_begin("-S after the files wins");
	cfg = config_new();
	ret = config_load_buffer(cfg, "test.conf", text2, strlen(text2), 0, &err);
	test_assert_int(ret, 0);
	test_assert_int(config_set_override(cfg, "timeout=121", &err), 0);
	test_assert_int(config_number(cfg, config_account_at(cfg, 0), VAR_TIMEOUT), 121);
	config_free(&cfg);
	test_end();

	test_begin("-S errors");
	cfg = config_new();
	test_assert_int(config_set_override(cfg, "smpt_url=smtp://x", &err), -1);
	test_assert_str(err.msg, "-S smpt_url=smtp://x: unknown variable \"smpt_url\" (did you "
	                         "mean \"smtp_url\"?)");
	test_assert_int(err.kind, ERR_USAGE);
	test_assert_int(config_set_override(cfg, "timeout=abc", &err), -1);
	test_assert_str(err.msg, "-S timeout=abc: \"timeout\" takes a number, not \"abc\"");
	test_assert_int(config_set_override(cfg, "timeout", &err), -1);
	test_assert_str(err.msg, "-S timeout: \"timeout\" needs a value: set timeout=NUMBER");
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 60);
	/* A rejected -S is not kept. */
	ret = config_load_buffer(cfg, "test.conf", "", 0, 0, &err);
	test_assert_int(ret, 0);
	test_assert_int(config_error_count(cfg), 0);
	test_assert_int(config_set_override(cfg, "default_account=x", &err), 0);
	ret = config_load_buffer(cfg, "test.conf", "account y {\n}\n", 14, 0, &err);
	test_assert_int(ret, -1);
	test_assert_str(err.msg, "-S default_account=x: default_account names no account: \"x\" "
	                         "(accounts: y)");
	config_free(&cfg);
	test_end();
}

static void
test_mailrc(void)
{
	const struct config_mailrc_line *ml;
	struct err err;
	struct config *cfg;
	size_t n;
	int ret;

	test_begin("MAILRC set and unset");
	cfg = load("# mailx start-up file\n"
	           "set hold crt=30 PAGER=\"less -R\" indentprefix='> '\n"
	           "se askcc\n"
	           "set noheader\n"
	           "set record=\"/tmp/my record\"\n"
	           "set sign=\"say \\\"hi\\\"\" myvar=1 flag\n"
	           "set ask\n"
	           "uns askcc\n"
	           "unset myvar nosuch\n"
	           "set nohold\n"
	           "set noflag\n",
	           CONFIG_LOAD_MAILRC, &ret, &err);
	test_assert_int(ret, 0);
	expect_errors(cfg, __LINE__);
	test_assert_int(config_bool(cfg, NULL, VAR_HOLD), 0);
	test_assert_int(config_number(cfg, NULL, VAR_CRT), 30);
	test_assert_str(config_string(cfg, NULL, VAR_ENV_PAGER), "less -R");
	test_assert_str(config_string(cfg, NULL, VAR_INDENTPREFIX), "> ");
	test_assert_int(config_bool(cfg, NULL, VAR_ASKCC), 0);
	test_assert_int(config_bool(cfg, NULL, VAR_HEADER), 0);
	test_assert_int(config_bool(cfg, NULL, VAR_ASKSUB), 1);
	test_assert_str(config_string(cfg, NULL, VAR_RECORD), "/tmp/my record");
	test_assert_str(config_string(cfg, NULL, VAR_SIGN), "say \"hi\"");
	test_assert(config_user_var(cfg, "myvar") == NULL);
	test_assert(config_user_var(cfg, "flag") == NULL);
	test_assert_str(config_origin(cfg, NULL, VAR_CRT), "test.conf:2");
	ml = config_mailrc_lines(cfg, &n);
	test_assert_int(n, 0);
	config_free(&cfg);
	test_end();

	test_begin("MAILRC user variables");
	cfg = load("set myvar=hello empty\n", CONFIG_LOAD_MAILRC, &ret, &err);
	test_assert_str(config_user_var(cfg, "myvar"), "hello");
	test_assert_str(config_user_var(cfg, "empty"), "");
	test_assert(config_user_var(cfg, "other") == NULL);
	config_free(&cfg);
	test_end();

	test_begin("MAILRC other commands come back in order");
	cfg = load("alias bob bob@example.org\n"
	           "  ignore received   \n"
	           "set hold\n"
	           "if r\n"
	           "  set crt=20\n"
	           "  echo receiving\n"
	           "else\n"
	           "  unset hold\n"
	           "endif\n"
	           "set\n"
	           "settle down\n"
	           "retain from subject\n"
	           "!date\n"
	           "source ~/.more\n",
	           CONFIG_LOAD_MAILRC, &ret, &err);
	test_assert_int(ret, 0);
	expect_errors(cfg, __LINE__);
	test_assert_int(config_bool(cfg, NULL, VAR_HOLD), 1);
	test_assert(!config_is_set(cfg, NULL, VAR_CRT));
	ml = config_mailrc_lines(cfg, &n);
	test_assert_int(n, 13);
	if (n == 13) {
		test_assert_str(ml[0].text, "alias bob bob@example.org");
		test_assert_str(ml[0].file, "test.conf");
		test_assert_int(ml[0].line, 1);
		test_assert_str(ml[1].text, "ignore received");
		test_assert_int(ml[1].line, 2);
		test_assert_str(ml[2].text, "if r");
		test_assert_int(ml[2].line, 4);
		test_assert_str(ml[3].text, "set crt=20");
		test_assert_str(ml[4].text, "echo receiving");
		test_assert_str(ml[5].text, "else");
		test_assert_str(ml[6].text, "unset hold");
		test_assert_str(ml[7].text, "endif");
		test_assert_str(ml[8].text, "set");
		test_assert_int(ml[8].line, 10);
		test_assert_str(ml[9].text, "settle down");
		test_assert_str(ml[10].text, "retain from subject");
		test_assert_str(ml[11].text, "!date");
		test_assert_str(ml[12].text, "source ~/.more");
		test_assert_int(ml[12].line, 14);
	}
	config_free(&cfg);
	test_end();

	test_begin("MAILRC errors");
	one_mailrc_error("set crt=abc\n", "test.conf:1: \"crt\" takes a number, not \"abc\"");
	one_mailrc_error("\nset sign=\"abc\n", "test.conf:2: unterminated double quote");
	one_mailrc_error("set timeout\n",
	                 "test.conf:1: \"timeout\" needs a value: set timeout=NUMBER");
	cfg = load("set crt=abc hold\nset toplines=2\n", CONFIG_LOAD_MAILRC, &ret, &err);
	test_assert_int(config_bool(cfg, NULL, VAR_HOLD), 1);
	test_assert_int(config_number(cfg, NULL, VAR_TOPLINES), 2);
	config_free(&cfg);
	test_end();

	test_begin("MAILRC quoting is mailx's");
	cfg = load("set sign=\"a\\tb\" Sign=a\\ b\n", CONFIG_LOAD_MAILRC, &ret, &err);
	test_assert_str(config_string(cfg, NULL, VAR_SIGN), "a\\tb");
	test_assert_str(config_string(cfg, NULL, VAR_SIGN_CAPITAL), "a b");
	config_free(&cfg);
	test_end();
}

static void
test_getters(void)
{
	struct err err;
	struct config *cfg;
	long num = -7;
	int ret;

	test_begin("getters by name");
	cfg = load("set timeout=33 hold copy=ask-yes realname=Ann sort=size\n", 0, &ret, &err);
	test_assert_int(config_get_bool(cfg, NULL, "hold"), 1);
	test_assert_int(config_get_bool(cfg, NULL, "keep"), 0);
	test_assert_int(config_get_bool(cfg, NULL, "timeout"), -1);
	test_assert_int(config_get_bool(cfg, NULL, "nosuch"), -1);
	test_assert_int(config_get_number(cfg, NULL, "timeout", &num), 0);
	test_assert_int(num, 33);
	test_assert_int(config_get_number(cfg, NULL, "hold", &num), -1);
	test_assert_int(num, 33);
	test_assert_int(config_get_number(cfg, NULL, "nosuch", &num), -1);
	test_assert_str(config_get_string(cfg, NULL, "realname"), "Ann");
	test_assert_str(config_get_string(cfg, NULL, "timeout"), "33");
	test_assert_str(config_get_string(cfg, NULL, "hold"), "yes");
	test_assert_str(config_get_string(cfg, NULL, "sort"), "size");
	test_assert(config_get_string(cfg, NULL, "from") == NULL);
	test_assert(config_get_string(cfg, NULL, "nosuch") == NULL);
	test_assert_int(config_get_quad(cfg, NULL, "copy"), CONFIG_QUAD_ASK_YES);
	test_assert_int(config_get_quad(cfg, NULL, "hold"), -1);
	test_assert_int(config_get_bool(cfg, NULL, "ask"), 1);
	test_end();

	test_begin("getters by id");
	test_assert_int(config_enum(cfg, NULL, VAR_SORT), 5);
	test_assert_str(config_string(cfg, NULL, VAR_SORT), "size");
	test_assert_int(config_enum(cfg, NULL, VAR_DSN_RETURN), -1);
	test_assert_int(config_number(cfg, NULL, VAR_SCREEN), 0);
	test_assert(!config_is_set(cfg, NULL, VAR_SCREEN));
	test_assert(config_is_set(cfg, NULL, VAR_HOLD));
	test_assert(config_value_text(cfg, NULL, VAR_SCREEN) == NULL);
	test_assert_str(config_value_text(cfg, NULL, VAR_TIMEOUT), "33");
	test_assert(config_url(cfg, NULL, VAR_SMTP_URL) == NULL);
	config_free(&cfg);
	test_end();
}

static void
test_paths(void)
{
	char want[1200], *s = NULL;
	struct err err;
	struct config *cfg;
	int ret;

	test_begin("path expansion");
	setenv("PETREL_TEST_DIR", "/srv/mail", 1);
	setenv("PETREL_TEST_EMPTY", "", 1);
	unsetenv("PETREL_TEST_UNSET");
	cfg = load("set tls_ca_file=~/ca.pem\n"
	           "set debug_file=$PETREL_TEST_DIR/debug\n"
	           "set header_cache=${PETREL_TEST_DIR}x/cache\n"
	           "set message_cache=${PETREL_TEST_UNSET:-~/bodies}\n"
	           "set notmuch_db=${PETREL_TEST_EMPTY:-/nm}$PETREL_TEST_EMPTY\n"
	           "set signature=~root/.sig\n"
	           "set MBOX=~\n"
	           "set DEAD=/a/$/b$1\n"
	           "set folder=Mail\n"
	           "set postponed=+drafts\n"
	           "set record==sent\n"
	           "set outbox=relative/dir\n",
	           0, &ret, &err);
	test_assert_int(ret, 0);
	expect_errors(cfg, __LINE__);
	snprintf(want, sizeof(want), "%s/ca.pem", home);
	test_assert_str(config_string(cfg, NULL, VAR_TLS_CA_FILE), want);
	test_assert_str(config_string(cfg, NULL, VAR_DEBUG_FILE), "/srv/mail/debug");
	test_assert_str(config_string(cfg, NULL, VAR_HEADER_CACHE), "/srv/mailx/cache");
	snprintf(want, sizeof(want), "%s/bodies", home);
	test_assert_str(config_string(cfg, NULL, VAR_MESSAGE_CACHE), want);
	test_assert_str(config_string(cfg, NULL, VAR_NOTMUCH_DB), "/nm");
	test_assert_str(config_string(cfg, NULL, VAR_SIGNATURE), "/root/.sig");
	test_assert_str(config_string(cfg, NULL, VAR_ENV_MBOX), home);
	test_assert_str(config_string(cfg, NULL, VAR_ENV_DEAD), "/a/$/b$1");
	snprintf(want, sizeof(want), "%s/Mail", home);
	test_assert_str(config_string(cfg, NULL, VAR_FOLDER), want);
	test_assert_str(config_string(cfg, NULL, VAR_POSTPONED), "+drafts");
	test_assert_str(config_string(cfg, NULL, VAR_RECORD), "=sent");
	test_assert_str(config_string(cfg, NULL, VAR_OUTBOX), "relative/dir");
	test_end();

	test_begin("folder names");
	test_assert_int(config_expand_folder(cfg, NULL, "+lists/x", &s, &err), 0);
	snprintf(want, sizeof(want), "%s/Mail/lists/x", home);
	test_assert_str(s, want);
	free(s);
	test_assert_int(config_expand_folder(cfg, NULL, "~/x", &s, &err), 0);
	snprintf(want, sizeof(want), "%s/x", home);
	test_assert_str(s, want);
	free(s);
	test_assert_int(config_expand_folder(cfg, NULL, "imaps://h/INBOX", &s, &err), 0);
	test_assert_str(s, "imaps://h/INBOX");
	free(s);
	config_free(&cfg);
	cfg = load("set folder=imaps://ann@h/\naccount a {\nset folder=/m\n}\nset noMBOX\n", 0,
	           &ret, &err);
	test_assert_int(config_expand_folder(cfg, NULL, "=Sent", &s, &err), 0);
	test_assert_str(s, "imaps://ann@h/Sent");
	free(s);
	test_assert_int(config_expand_folder(cfg, config_account_at(cfg, 0), "+Sent", &s, &err), 0);
	test_assert_str(s, "/m/Sent");
	free(s);
	test_assert(!config_is_set(cfg, NULL, VAR_ENV_MBOX));
	config_free(&cfg);
	cfg = load("set folder=\n", 0, &ret, &err);
	test_assert_int(config_expand_folder(cfg, NULL, "+x", &s, &err), -1);
	test_assert_str(err.msg, "\"+x\" is relative to folder, which is not set");
	config_free(&cfg);
	test_end();

	test_begin("path errors");
	one_error("set tls_ca_file=$PETREL_TEST_UNSET/ca",
	          "test.conf:1: \"tls_ca_file\" takes a path: environment variable "
	          "\"PETREL_TEST_UNSET\" is not set");
	one_error("set tls_ca_file=~petrel_no_such_user/ca",
	          "test.conf:1: \"tls_ca_file\" takes a path: there is no user "
	          "\"petrel_no_such_user\" (for \"~petrel_no_such_user\")");
	one_error("set tls_ca_file=${HOME",
	          "test.conf:1: \"tls_ca_file\" takes a path: unterminated \"${\" in \"${HOME\"");
	one_error("set tls_ca_file=${1x}/a",
	          "test.conf:1: \"tls_ca_file\" takes a path: bad variable name in \"${1x}\"");
	one_error("set tls_ca_file=${A:x}/a",
	          "test.conf:1: \"tls_ca_file\" takes a path: bad variable name in \"${A:x}\"");
	test_end();

	test_begin("path expansion without a home, and overlong names");
	test_assert_int(config_path_expand("~/x", NULL, &s, &err), -1);
	test_assert_str(err.msg, "\"~\" cannot be expanded: $HOME is not set");
	test_assert_int(config_path_expand("/a/~/b", NULL, &s, &err), 0);
	test_assert_str(s, "/a/~/b");
	free(s);
	{
		char name[400], text[420];

		memset(name, 'u', 300);
		name[300] = '\0';
		snprintf(text, sizeof(text), "~%s/x", name);
		test_assert_int(config_path_expand(text, NULL, &s, &err), -1);
		test_assert_str(err.msg, "there is no user "
		                         "\"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu...\"");
		memset(name, 'V', 200);
		name[200] = '\0';
		snprintf(text, sizeof(text), "$%s", name);
		test_assert_int(config_path_expand(text, NULL, &s, &err), -1);
		test_assert(strncmp(err.msg, "variable name too long in \"$VVV",
		                    strlen("variable name too long in \"$VVV")) == 0);
		snprintf(text, sizeof(text), "${%s}", name);
		test_assert_int(config_path_expand(text, NULL, &s, &err), -1);
		test_assert(strncmp(err.msg, "variable name too long in \"${VVV",
		                    strlen("variable name too long in \"${VVV")) == 0);
	}
	test_end();

	test_begin("defaults from the environment");
	setenv("MBOX", "/var/mbox-from-env", 1);
	setenv("VISUAL", "emacs", 1);
	setenv("EDITOR", "nano", 1);
	setenv("MAIL", "/var/mail/ann", 1);
	cfg = config_new();
	test_assert_str(config_string(cfg, NULL, VAR_ENV_MBOX), "/var/mbox-from-env");
	test_assert_str(config_origin(cfg, NULL, VAR_ENV_MBOX), "environment");
	test_assert_str(config_string(cfg, NULL, VAR_EDITOR), "emacs");
	test_assert_str(config_string(cfg, NULL, VAR_ENV_EDITOR), "nano");
	test_assert_str(config_string(cfg, NULL, VAR_SPOOLFILE), "/var/mail/ann");
	config_free(&cfg);
	unsetenv("VISUAL");
	cfg = config_new();
	test_assert_str(config_string(cfg, NULL, VAR_EDITOR), "nano");
	config_free(&cfg);
	unsetenv("EDITOR");
	unsetenv("MBOX");
	unsetenv("MAIL");
	cfg = config_new();
	test_assert_str(config_string(cfg, NULL, VAR_EDITOR), "vi");
	snprintf(want, sizeof(want), "%s/mbox", home);
	test_assert_str(config_string(cfg, NULL, VAR_ENV_MBOX), want);
	test_assert(config_string(cfg, NULL, VAR_SPOOLFILE) == NULL);
	config_free(&cfg);
	test_end();
}

static void
test_urls(void)
{
	const struct config_url *u;
	struct config_url *url = NULL;
	struct err err = {0};
	struct config *cfg;
	int ret;

	test_begin("good URLs");
	cfg = load("set smtp_url=smtps://ann%40example.org:p%3Ass%20w@mail.example.org:465/sub\n"
	           "set pop3_url=POP3://[::1]:1995\n"
	           "set folder=imap://mail.example.org\n"
	           "set spoolfile=notmuch:///home/ann/mail?query=tag:inbox%20and%20tag:new\n"
	           "set record=maildir:///home/ann/Sent\n"
	           "set postponed=mbox:///tmp/drafts\n"
	           "account a {\n"
	           "set smtp_url=smtp://mx\n"
	           "}\n",
	           0, &ret, &err);
	test_assert_int(ret, 0);
	expect_errors(cfg, __LINE__);
	u = config_url(cfg, NULL, VAR_SMTP_URL);
	test_assert(u != NULL);
	if (u != NULL) {
		test_assert_str(u->scheme, "smtps");
		test_assert_str(u->user, "ann@example.org");
		test_assert_str(u->pass, "p:ss w");
		test_assert_str(u->host, "mail.example.org");
		test_assert_int(u->port, 465);
		test_assert_str(u->path, "/sub");
		test_assert(u->query == NULL);
	}
	test_assert_str(config_string(cfg, NULL, VAR_SMTP_URL),
	                "smtps://ann%40example.org:p%3Ass%20w@mail.example.org:465/sub");
	u = config_url(cfg, NULL, VAR_POP3_URL);
	test_assert(u != NULL && strcmp(u->scheme, "pop3") == 0 && strcmp(u->host, "[::1]") == 0 &&
	            u->port == 1995 && u->user == NULL && u->path == NULL);
	u = config_url(cfg, NULL, VAR_FOLDER);
	test_assert(u != NULL && strcmp(u->host, "mail.example.org") == 0 && u->port == 0);
	u = config_url(cfg, NULL, VAR_SPOOLFILE);
	test_assert(u != NULL && strcmp(u->host, "") == 0 &&
	            strcmp(u->path, "/home/ann/mail") == 0 &&
	            strcmp(u->query, "query=tag:inbox%20and%20tag:new") == 0);
	u = config_url(cfg, NULL, VAR_RECORD);
	test_assert(u != NULL && strcmp(u->scheme, "maildir") == 0 &&
	            strcmp(u->path, "/home/ann/Sent") == 0);
	u = config_url(cfg, config_account_at(cfg, 0), VAR_SMTP_URL);
	test_assert(u != NULL && strcmp(u->host, "mx") == 0);
	config_free(&cfg);

	test_assert_int(config_url_parse("notmuch://", &url, &err), 0);
	test_assert(url != NULL && url->path == NULL && url->query == NULL);
	free(url);
	test_assert_int(config_url_parse("imaps://user@h%C3%A9llo.example/%7Eann", &url, &err), -1);
	test_assert_str(err.msg, "bad host name \"h%C3%A9llo.example\"");
	test_assert_int(config_url_parse("imaps://user@h\xc3\xa9llo.example/%7Eann", &url, &err),
	                0);
	test_assert_str(url->path, "/~ann");
	free(url);
	test_end();

	test_begin("bad URLs");
	one_error("set smtp_url=htp://x",
	          "test.conf:1: \"smtp_url\" takes a URL: unknown scheme \"htp\" (petrel knows "
	          "imap, imaps, pop3, pop3s, smtp, smtps, notmuch, file, maildir, mbox)");
	one_error("set smtp_url=mail.example.org",
	          "test.conf:1: \"smtp_url\" takes a URL: \"mail.example.org\" is not a URL "
	          "(SCHEME://...)");
	one_error("set smtp_url=smtp:/x",
	          "test.conf:1: \"smtp_url\" takes a URL: \"smtp:/x\" is not a URL (SCHEME://...)");
	one_error("set smtp_url=smtp://",
	          "test.conf:1: \"smtp_url\" takes a URL: no host in \"smtp://\"");
	one_error("set smtp_url=smtp://ann@:25",
	          "test.conf:1: \"smtp_url\" takes a URL: no host in \"smtp://ann@:25\"");
	one_error(
	    "set smtp_url=smtp://ann:secret@h:0",
	    "test.conf:1: \"smtp_url\" takes a URL: bad port \"0\" in \"smtp://ann:***@h:0\" (1 "
	    "to 65535)");
	one_error("set smtp_url=imaps://ann:secret@h",
	          "test.conf:1: \"smtp_url\" takes a URL starting smtp:// or smtps://, not "
	          "\"imaps://ann:***@h\"");
	one_error("set smtp_url=smtp://h:0",
	          "test.conf:1: \"smtp_url\" takes a URL: bad port \"0\" in \"smtp://h:0\" (1 to "
	          "65535)");
	one_error("set smtp_url=smtp://h:65536",
	          "test.conf:1: \"smtp_url\" takes a URL: bad port \"65536\" in \"smtp://h:65536\" "
	          "(1 to 65535)");
	one_error("set smtp_url=smtp://h:99999999999999999999",
	          "test.conf:1: \"smtp_url\" takes a URL: bad port \"99999999999999999999\" in "
	          "\"smtp://h:99999999999999999999\" (1 to 65535)");
	one_error("set smtp_url=smtp://h:",
	          "test.conf:1: \"smtp_url\" takes a URL: bad port \"\" in \"smtp://h:\" (1 to "
	          "65535)");
	one_error("set smtp_url=smtp://h:2x",
	          "test.conf:1: \"smtp_url\" takes a URL: bad port \"2x\" in \"smtp://h:2x\" (1 to "
	          "65535)");
	one_error("set smtp_url=smtp://a%zz@h",
	          "test.conf:1: \"smtp_url\" takes a URL: bad percent-encoding \"%zz\"");
	one_error("set smtp_url=smtp://a%4@h",
	          "test.conf:1: \"smtp_url\" takes a URL: bad percent-encoding \"%4\"");
	one_error("set smtp_url=smtp://a:b%00@h",
	          "test.conf:1: \"smtp_url\" takes a URL: \"%00\" (a NUL byte) is not allowed in a "
	          "URL");
	one_error("set spoolfile=notmuch:///x?query=%g1",
	          "test.conf:1: \"spoolfile\" takes a URL: bad percent-encoding \"%g1\"");
	one_error("set smtp_url=\"smtp://h/a b\"",
	          "test.conf:1: \"smtp_url\" takes a URL: \"smtp://h/a b\" contains a space or "
	          "control character");
	one_error("set smtp_url=smtp://h_!/",
	          "test.conf:1: \"smtp_url\" takes a URL: bad host name \"h_!\"");
	one_error("set smtp_url=smtp://[::1/",
	          "test.conf:1: \"smtp_url\" takes a URL: bad IPv6 address in \"smtp://[::1/\"");
	one_error("set smtp_url=smtp://[::1]x/",
	          "test.conf:1: \"smtp_url\" takes a URL: bad IPv6 address in \"smtp://[::1]x/\"");
	one_error("set smtp_url=smtp://[zz]/",
	          "test.conf:1: \"smtp_url\" takes a URL: bad host name \"[zz]\"");
	one_error("set record=file://host/x",
	          "test.conf:1: \"record\" takes a URL: \"file://host/x\" must not name a host "
	          "(write file:///path)");
	one_error("set record=mbox://",
	          "test.conf:1: \"record\" takes a URL: no path in \"mbox://\" (write "
	          "mbox:///path)");
	one_error("set smtp_url=imaps://h",
	          "test.conf:1: \"smtp_url\" takes a URL starting smtp:// or smtps://, not "
	          "\"imaps://h\"");
	one_error("set record=smtp://h",
	          "test.conf:1: \"record\" takes a path or a URL starting imap://, imaps://, "
	          "notmuch://, file://, maildir:// or mbox://, not \"smtp://h\"");
	test_end();
}

int
main(void)
{
	const char *srcdir = getenv("top_srcdir");

	/* A fake home, so paths and messages do not depend on who runs this. */
	snprintf(home, sizeof(home), "%s/home", test_tmpdir());
	mkdir(home, 0700);
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("MAILRC");
	snprintf(data_dir, sizeof(data_dir), "%s/tests/unit/core/data/config",
	         srcdir != NULL ? srcdir : ".");
	if (srcdir != NULL && srcdir[0] != '/') {
		char cwd[512];

		if (getcwd(cwd, sizeof(cwd)) != NULL)
			snprintf(data_dir, sizeof(data_dir), "%s/%s/tests/unit/core/data/config",
			         cwd, srcdir);
	}
	{
		char *real = realpath(data_dir, NULL);

		if (real == NULL) {
			printf("Bail out! no test data at %s (set top_srcdir)\n", data_dir);
			return 1;
		}
		snprintf(data_dir, sizeof(data_dir), "%s", real);
		free(real);
	}

	test_set_forms();
	test_quoting();
	test_value_errors();
	test_value_errors_2();
	test_command_errors();
	test_records();
	test_accounts();
	test_source();
	test_files();
	test_overrides();
	test_mailrc();
	test_getters();
	test_paths();
	test_urls();
	return test_done();
}
