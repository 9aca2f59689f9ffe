/* Drafts: replies (reply, group, list), forwards, and the editor file
 * with and without edit_headers. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "test-common.h"
#include "ui/ui-model-compose.h"

static const char *const to_addrs[] = {"me@example.org", "bob@example.org"};
static const char *const cc_addrs[] = {"carol@example.net", "Ann@Example.org"};

static struct ui_reply_src
source(void)
{
	struct ui_reply_src s;

	memset(&s, 0, sizeof(s));
	s.from = "Ann Smith <ann@example.org>";
	s.reply_to = "team@example.org";
	s.to = "me@example.org, bob@example.org";
	s.cc = "carol@example.net";
	s.to_addrs = to_addrs;
	s.nto_addrs = 2;
	s.cc_addrs = cc_addrs;
	s.ncc_addrs = 2;
	s.from_addr = "ann@example.org";
	s.from_name = "Ann Smith";
	s.subject = "Plans";
	s.date = "Sun, 15 Feb 2026 12:00:00 +0000";
	s.message_id = "m3@example.org";
	s.references = "<m1@example.org> <m2@example.org>";
	s.list_post = "<mailto:dev@lists.example.org?subject=x>";
	s.body = "Line one\n\n> older quote\nLine two\n";
	return s;
}

static void
test_reply(void)
{
	struct ui_reply_src s = source();
	struct ui_strv me = {NULL, 0};
	struct ui_reply_opts o = {0, 1, 0, &me, "On %d, %n wrote:", "> ", "Me"};
	struct ui_draft d;
	struct err err;

	test_begin("reply");
	ui_strv_push(&me, "me@example.org");
	ui_draft_init(&d, UI_DRAFT_NEW);
	test_assert(ui_draft_reply(&d, UI_DRAFT_REPLY, &s, &o, &err) == 0);
	test_assert_str(d.to, "Ann Smith <ann@example.org>");
	test_assert_str(d.cc, "");
	test_assert_str(d.subject, "Re: Plans");
	test_assert_str(d.in_reply_to, "<m3@example.org>");
	test_assert_str(d.references, "<m1@example.org> <m2@example.org> <m3@example.org>");
	test_assert_str(d.body.s, "On Sun, 15 Feb 2026 12:00:00 +0000, Ann Smith wrote:\n"
	                          "> Line one\n"
	                          ">\n"
	                          ">> older quote\n"
	                          "> Line two\n"
	                          "\n"
	                          "\n-- \nMe\n");
	/* Reply-To when asked to; Re: is not doubled. */
	o.use_reply_to = 1;
	s.subject = "RE: Plans";
	test_assert(ui_draft_reply(&d, UI_DRAFT_REPLY, &s, &o, &err) == 0);
	test_assert_str(d.to, "team@example.org");
	test_assert_str(d.subject, "RE: Plans");
	ui_draft_clear(&d);
	ui_strv_clear(&me);
	test_end();
}

static void
test_group_reply(void)
{
	struct ui_reply_src s = source();
	struct ui_strv me = {NULL, 0};
	struct ui_reply_opts o = {0, 0, 0, &me, NULL, NULL, NULL};
	struct ui_draft d;
	struct err err;

	test_begin("group reply");
	ui_strv_push(&me, "me@example.org");
	ui_draft_init(&d, UI_DRAFT_NEW);
	test_assert(ui_draft_reply(&d, UI_DRAFT_GROUP_REPLY, &s, &o, &err) == 0);
	test_assert_str(d.to, "Ann Smith <ann@example.org>");
	/* Without me, without the sender twice. */
	test_assert_str(d.cc, "bob@example.org, carol@example.net");
	test_assert_str(d.body.s, "");
	o.metoo = 1;
	test_assert(ui_draft_reply(&d, UI_DRAFT_GROUP_REPLY, &s, &o, &err) == 0);
	test_assert_str(d.cc, "me@example.org, bob@example.org, carol@example.net");
	ui_draft_clear(&d);
	ui_strv_clear(&me);
	test_end();
}

static void
test_list_reply(void)
{
	struct ui_reply_src s = source();
	struct ui_reply_opts o = {0, 0, 0, NULL, NULL, NULL, NULL};
	struct ui_draft d;
	struct err err;

	test_begin("list reply");
	ui_draft_init(&d, UI_DRAFT_NEW);
	test_assert(ui_draft_reply(&d, UI_DRAFT_LIST_REPLY, &s, &o, &err) == 0);
	test_assert_str(d.to, "dev@lists.example.org");
	s.list_post = "";
	test_assert(ui_draft_reply(&d, UI_DRAFT_LIST_REPLY, &s, &o, &err) < 0);
	test_assert(strstr(err.msg, "List-Post") != NULL);
	ui_draft_clear(&d);
	test_end();
}

static void
test_forward(void)
{
	struct ui_reply_src s = source();
	struct ui_draft d;

	test_begin("forward");
	ui_draft_init(&d, UI_DRAFT_NEW);
	ui_draft_forward(&d, &s, NULL);
	test_assert_str(d.subject, "Fwd: Plans");
	test_assert(
	    strstr(d.body.s, "----- Forwarded message from Ann Smith <ann@example.org> -----") !=
	    NULL);
	test_assert(strstr(d.body.s, "Subject: Plans\n\nLine one\n") != NULL);
	test_assert(strstr(d.body.s, "----- End forwarded message -----\n") != NULL);
	test_assert(d.in_reply_to == NULL);
	ui_draft_clear(&d);
	test_end();
}

static void
test_forward_attached(void)
{
	struct ui_reply_src s = source();
	struct ui_draft d;

	test_begin("forward as attachment");
	ui_draft_init(&d, UI_DRAFT_NEW);
	ui_strv_take(&d.attach, xstrdup("/tmp/notes.txt"));
	ui_draft_forward_attached(&d, &s, "/tmp/f/forwarded-message.eml", "Me\n");
	test_assert(d.kind == UI_DRAFT_FORWARD);
	test_assert_str(d.subject, "Fwd: Plans");
	/* The original is not quoted: it travels whole. */
	test_assert(strstr(d.body.s, "Line one") == NULL);
	test_assert_str(d.body.s, "\n\n-- \nMe\n");
	test_assert(d.attach.n == 2);
	test_assert_str(d.attach.v[1], "/tmp/f/forwarded-message.eml");
	test_assert(d.in_reply_to == NULL);
	ui_draft_clear(&d);
	ui_draft_init(&d, UI_DRAFT_NEW);
	s.subject = NULL;
	ui_draft_forward_attached(&d, &s, NULL, NULL);
	test_assert_str(d.subject, "Fwd: ");
	test_assert_str(d.body.s, "\n");
	test_assert(d.attach.n == 0);
	ui_draft_clear(&d);
	test_end();
}

static void
test_recall_list(void)
{
	struct ui_recall r;
	struct str line = STR_INIT;

	test_begin("recall list");
	memset(&r, 0, sizeof(r));
	test_assert_int(ui_recall_move(&r, 1, 5), 0);
	for (int i = 0; i < 12; i++) {
		char subject[32];

		snprintf(subject, sizeof(subject), "Draft %d", i + 1);
		ui_recall_add(&r, 100 + (uint64_t)i, "id@x", i == 2 ? NULL : "bob@example.org",
		              i == 3 ? "" : subject, 0);
	}
	test_assert_int(r.n, 12);
	test_assert_int(r.v[0].id, 100);
	test_assert_str(r.v[2].to, "");
	ui_recall_line(&r, 0, &line);
	test_assert_str(str_cstr(&line), "   1          To: bob@example.org  Draft 1");
	str_reset(&line);
	ui_recall_line(&r, 2, &line);
	test_assert(strstr(str_cstr(&line), "To: (nobody)  Draft 3") != NULL);
	str_reset(&line);
	ui_recall_line(&r, 3, &line);
	test_assert(strstr(str_cstr(&line), "(no subject)") != NULL);
	str_reset(&line);
	/* Control characters from a header never reach the terminal. */
	ui_recall_add(&r, 200, "", "evil\x1b[2J@example.org",
	              "a\tb\xc2\x9b"
	              "c",
	              0);
	ui_recall_line(&r, 12, &line);
	test_assert(strchr(str_cstr(&line), '\x1b') == NULL);
	test_assert(strstr(str_cstr(&line), "\xc2\x9b") == NULL);
	test_assert(strstr(str_cstr(&line), "a bc") != NULL);
	str_free(&line);
	/* The cursor stays in the list and in the rows shown. */
	test_assert_int(ui_recall_move(&r, -1, 5), 0);
	test_assert_int(ui_recall_move(&r, 1, 5), 1);
	test_assert_int(r.cursor, 1);
	test_assert_int(ui_recall_move(&r, 6, 5), 1);
	test_assert_int(r.cursor, 7);
	test_assert_int(r.top, 3);
	test_assert_int(ui_recall_move(&r, 100, 5), 1);
	test_assert_int(r.cursor, 12);
	test_assert_int(ui_recall_move(&r, 1, 5), 0);
	test_assert_int(ui_recall_move(&r, -100, 5), 1);
	test_assert_int(r.cursor, 0);
	test_assert_int(r.top, 0);
	ui_recall_clear(&r);
	test_assert(r.n == 0 && r.v == NULL);
	test_end();
}

static void
test_file(void)
{
	struct ui_draft d;
	struct str f = STR_INIT;
	const char *edited = "From: me@example.org\n"
	                     "To: Bob <bob@example.org>,\n"
	                     " carol@example.net\n"
	                     "Subject:   New subject  \n"
	                     "X-Unknown: dropped\n"
	                     "\n"
	                     "Body text\n";

	test_begin("the editor file");
	ui_draft_init(&d, UI_DRAFT_NEW);
	ui_draft_new_message(&d, "bob@example.org", "Hi", "sig");
	ui_draft_file_text(&d, 0, &f);
	test_assert_str(f.s, "\n-- \nsig\n");
	str_reset(&f);
	ui_draft_file_text(&d, 1, &f);
	{
		const char *want = "From: \nTo: bob@example.org\nCc: \nBcc: \nSubject: Hi\n"
		                   "Reply-To: \n\n\n-- \nsig\n";

		test_assert_str(f.s, want);
	}
	ui_draft_read_file(&d, 1, edited, strlen(edited));
	test_assert_str(d.to, "Bob <bob@example.org>, carol@example.net");
	test_assert_str(d.subject, "New subject");
	test_assert_str(d.from, "me@example.org");
	test_assert_str(d.body.s, "Body text\n");
	ui_draft_read_file(&d, 0, edited, strlen(edited));
	test_assert_str(d.body.s, edited);
	/* A field set from itself. */
	ui_draft_new_message(&d, d.to, d.subject, NULL);
	test_assert_str(d.to, "Bob <bob@example.org>, carol@example.net");
	str_free(&f);
	ui_draft_clear(&d);
	test_end();
}

static void
test_addresses(void)
{
	struct ui_strv v = {NULL, 0};
	struct str b = STR_INIT;

	test_begin("address lists");
	ui_addr_split("\"Smith, Ann\" <ann@x.org>, bob@y.org , <c@z>,,", &v);
	test_assert_int(v.n, 3);
	test_assert_str(v.v[0], "\"Smith, Ann\" <ann@x.org>");
	test_assert_str(v.v[1], "bob@y.org");
	test_assert_str(v.v[2], "<c@z>");
	ui_addr_bare(v.v[0], &b);
	test_assert_str(b.s, "ann@x.org");
	str_reset(&b);
	ui_addr_bare("  BOB@Y.org ", &b);
	test_assert_str(b.s, "bob@y.org");
	str_free(&b);
	ui_strv_clear(&v);
	test_end();
}

int
main(void)
{
	test_reply();
	test_group_reply();
	test_list_reply();
	test_forward();
	test_forward_attached();
	test_recall_list();
	test_file();
	test_addresses();
	return test_done();
}
