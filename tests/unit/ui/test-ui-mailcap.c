/* mailcap: parsing, matching with tests, and commands whose file names
 * and types are always quoted. */
#include "config.h"

#include <string.h>

#include "base/base-str.h"
#include "test-common.h"
#include "ui/ui-mailcap.h"

static const char mailcap[] =
    "# comment\n"
    "\n"
    "text/html; w3m -dump -T text/html %s; copiousoutput; nametemplate=%s.html\n"
    "text/html; firefox %s; test=test -n \"$DISPLAY\"\n"
    "image/*; display %s; \\\n"
    "  needsterminal\n"
    "application/pdf; pdftotext %s -; copiousoutput\n"
    "text; less '%s'\n"
    "audio/x-wav; play -t %t %{charset} -\n"
    "broken-line-without-command\n";

/* A test runner for which every test fails, or (ctx set) succeeds when
 * it is the one expected. */
static int
fake_test(const char *cmd, void *ctx)
{
	return ctx != NULL && strcmp(cmd, "test -n \"$DISPLAY\"") == 0;
}

static void
test_parse(void)
{
	struct ui_mailcap mc = {NULL, 0};
	const struct ui_mailcap_entry *e;

	test_begin("parsing and matching");
	ui_mailcap_load_buffer(&mc, mailcap, strlen(mailcap));
	test_assert_int(mc.n, 6);
	e = ui_mailcap_find(&mc, "text/html", 1, "f", NULL, NULL);
	test_assert(e != NULL && e->copiousoutput);
	test_assert_str(e != NULL ? e->nametemplate : NULL, "%s.html");
	/* The interactive entry has a test: skipped without a runner, and
	 * when its test fails. */
	e = ui_mailcap_find(&mc, "text/html", 0, "f", NULL, NULL);
	test_assert_str(e != NULL ? e->command : NULL, "less '%s'");
	e = ui_mailcap_find(&mc, "text/html", 0, "f", fake_test, NULL);
	test_assert_str(e != NULL ? e->command : NULL, "less '%s'");
	e = ui_mailcap_find(&mc, "text/html", 0, "f", fake_test, "yes");
	test_assert_str(e != NULL ? e->command : NULL, "firefox %s");
	test_assert(ui_mailcap_find(&mc, "application/pdf", 0, "f", NULL, NULL) == NULL);
	e = ui_mailcap_find(&mc, "IMAGE/PNG", -1, "f", NULL, NULL);
	test_assert(e != NULL && e->needsterminal);
	test_assert_str(e != NULL ? e->command : NULL, "display %s");
	e = ui_mailcap_find(&mc, "text/plain", -1, "f", NULL, NULL);
	test_assert_str(e != NULL ? e->command : NULL, "less '%s'");
	test_assert(ui_mailcap_find(&mc, "video/mp4", -1, "f", NULL, NULL) == NULL);
	ui_mailcap_clear(&mc);
	test_end();
}

static const char *
param(const char *name, void *ctx)
{
	(void)ctx;
	return strcmp(name, "charset") == 0 ? "utf-8; rm -rf ~" : NULL;
}

static void
test_expand(void)
{
	struct str s = STR_INIT;

	test_begin("commands are quoted");
	test_assert_int(
	    ui_mailcap_expand(&s, "view %s", "/tmp/petrel-x/a.pdf", "application/pdf", NULL, NULL),
	    1);
	test_assert_str(s.s, "view '/tmp/petrel-x/a.pdf'");
	str_reset(&s);
	/* Already quoted by the entry: not quoted twice. */
	ui_mailcap_expand(&s, "less '%s'", "/tmp/a.txt", "text/plain", NULL, NULL);
	test_assert_str(s.s, "less '/tmp/a.txt'");
	str_reset(&s);
	/* A name petrel did not make is quoted even inside the entry's quotes. */
	ui_mailcap_expand(&s, "less '%s'", "/tmp/it's", "text/plain", NULL, NULL);
	test_assert_str(s.s, "less ''/tmp/it'\\''s''");
	str_reset(&s);
	/* Types and parameters come from the message: cut down and quoted. */
	test_assert_int(ui_mailcap_expand(&s, "play -t %t %{charset} %{none} -", "f",
	                                  "text/x-$(touch${IFS}/tmp/pwned)", param, NULL),
	                0);
	test_assert_str(s.s, "play -t 'text/x-touchIFS/tmp/pwned' 'utf-8rm-rf' '' -");
	str_reset(&s);
	ui_mailcap_expand(&s, "x %% \\%s %t", "f", "-rf", NULL, NULL);
	test_assert_str(s.s, "x % %s '_rf'");
	str_free(&s);
	test_end();
}

static void
test_suffix(void)
{
	struct ui_mailcap_entry e = {NULL, NULL, NULL, "%s.ht$(x)ml", 0, 0};
	struct str s = STR_INIT;

	test_begin("name templates");
	ui_mailcap_suffix(&s, &e);
	test_assert_str(s.s, ".htxml");
	str_free(&s);
	test_end();
}

int
main(void)
{
	test_parse();
	test_expand();
	test_suffix();
	return test_done();
}
