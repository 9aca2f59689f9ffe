/* color lines: objects, colour names, attributes, patterns for index
 * lines, regular expressions for headers, and errors. */
#include "config.h"

#include <string.h>

#include "test-common.h"
#include "ui/ui-color.h"

static int
run(struct ui_colors *c, const char *obj, const char *fg, const char *bg, const char *re,
    struct err *err)
{
	const char *argv[] = {obj, fg, bg, re};

	return ui_colors_command(c, 0, re != NULL ? 4 : 3, argv, 0, err);
}

static void
test_objects(void)
{
	test_begin("objects");
	test_assert_int(ui_color_object("indicator"), UI_OBJ_INDICATOR);
	test_assert_int(ui_color_object("quoted"), UI_OBJ_QUOTED);
	test_assert_int(ui_color_object("quoted1"), UI_OBJ_QUOTED + 1);
	test_assert_int(ui_color_object("quoted9"), UI_OBJ_QUOTED_LAST);
	test_assert_int(ui_color_object("quoted10"), -1);
	test_assert_int(ui_color_object("Status"), UI_OBJ_STATUS);
	test_assert_int(ui_color_object("nonsense"), -1);
	test_assert_str(ui_color_object_name(UI_OBJ_QUOTED + 3), "quoted3");
	test_assert_str(ui_color_object_name(UI_OBJ_TILDE), "tilde");
	test_end();
}

static void
test_defaults(void)
{
	struct ui_colors c;

	test_begin("built-in look");
	ui_colors_init(&c);
	test_assert(c.obj[UI_OBJ_INDICATOR].attrs & UI_ATTR_REVERSE);
	test_assert(c.obj[UI_OBJ_STATUS].attrs & UI_ATTR_REVERSE);
	test_assert_int(c.obj[UI_OBJ_NORMAL].fg, -1);
	test_assert(!c.obj[UI_OBJ_STATUS].set);
	ui_colors_clear(&c);
	test_end();
}

static void
test_commands(void)
{
	struct ui_colors c;
	struct err err;
	struct ui_msg m;
	const char *un[] = {"status"};

	test_begin("color commands");
	ui_colors_init(&c);
	test_assert(run(&c, "status", "brightyellow", "blue", NULL, &err) == 0);
	test_assert_int(c.obj[UI_OBJ_STATUS].fg, 11);
	test_assert_int(c.obj[UI_OBJ_STATUS].bg, 4);
	test_assert(c.obj[UI_OBJ_STATUS].set);
	test_assert(run(&c, "quoted2", "color208", "default", NULL, &err) == 0);
	test_assert_int(c.obj[UI_OBJ_QUOTED + 2].fg, 208);
	test_assert_int(c.obj[UI_OBJ_QUOTED + 2].bg, -1);
	test_assert(run(&c, "error", "bold+underline+red", "default", NULL, &err) == 0);
	test_assert_int(c.obj[UI_OBJ_ERROR].fg, 1);
	test_assert_int(c.obj[UI_OBJ_ERROR].attrs, UI_ATTR_BOLD | UI_ATTR_UNDERLINE);
	test_assert(run(&c, "tree", "reverse", "default", NULL, &err) == 0);
	test_assert_int(c.obj[UI_OBJ_TREE].attrs, UI_ATTR_REVERSE);
	test_assert(ui_colors_command(&c, 1, 1, un, 0, &err) == 0);
	test_assert(!c.obj[UI_OBJ_STATUS].set);

	/* Index lines by pattern: the last match wins. */
	test_assert(run(&c, "index", "red", "default", "~F", &err) == 0);
	test_assert(run(&c, "index", "green", "default", "~f ann", &err) == 0);
	memset(&m, 0, sizeof(m));
	m.loaded = 1;
	m.s.from_name = "Ann";
	m.s.from_addr = "ann@x";
	m.s.flags = MIME_FLAG_FLAGGED | MIME_FLAG_SEEN;
	test_assert_int(ui_colors_index(&c, &m)->fg, 2);
	m.s.from_name = "Bob";
	m.s.from_addr = "bob@x";
	test_assert_int(ui_colors_index(&c, &m)->fg, 1);
	m.s.flags = MIME_FLAG_SEEN | MIME_FLAG_DELETED;
	test_assert(ui_colors_index(&c, &m) == &c.obj[UI_OBJ_DELETED]);
	m.s.flags = 0;
	test_assert(ui_colors_index(&c, &m) == &c.obj[UI_OBJ_NEW]);

	test_assert(run(&c, "header", "cyan", "default", "^(from|to)$", &err) == 0);
	test_assert_int(ui_colors_header(&c, "From")->fg, 6);
	test_assert(ui_colors_header(&c, "Subject") == &c.obj[UI_OBJ_HDRDEFAULT]);
	ui_colors_clear(&c);
	test_end();
}

static void
test_errors(void)
{
	struct ui_colors c;
	struct err err;

	test_begin("errors");
	ui_colors_init(&c);
	test_assert(run(&c, "frob", "red", "blue", NULL, &err) < 0);
	test_assert(strstr(err.msg, "unknown object \"frob\"") != NULL);
	test_assert(run(&c, "status", "reddish", "blue", NULL, &err) < 0);
	test_assert(strstr(err.msg, "unknown colour \"reddish\"") != NULL);
	test_assert(run(&c, "status", "color300", "blue", NULL, &err) < 0);
	test_assert(run(&c, "status", "red", "bold", NULL, &err) < 0);
	test_assert(run(&c, "status", "red", "blue", "x", &err) < 0);
	test_assert(strstr(err.msg, "takes no pattern") != NULL);
	test_assert(run(&c, "index", "red", "blue", "~q", &err) < 0);
	test_assert(strstr(err.msg, "color index") != NULL);
	test_assert(run(&c, "body", "red", "blue", "a(", &err) < 0);
	ui_colors_clear(&c);
	test_end();
}

int
main(void)
{
	test_objects();
	test_defaults();
	test_commands();
	test_errors();
	return test_done();
}
