/*
 * Folder-list summaries from real Dovecot FETCH responses: from ENVELOPE
 * (RFC 2047 names decoded here) and from BODY[HEADER.FIELDS (...)], which
 * must agree on what both carry.
 */
#include "config.h"

#include <string.h>

#include "base/base-arena.h"
#include "imap/imap-parser.h"
#include "imap/imap-summary.h"
#include "test-common.h"

static const char envelope_fetch[] =
	"* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent $Forwarded) INTERNALDATE \"14-Nov-2023 08:13:00 "
	"+0000\" RFC822.SIZE 1364 ENVELOPE (\"Tue, 14 Nov 2023 09:12:45 +0100\" "
	"\"=?UTF-8?B?UmU6IGNhZsOpIG1lZXRpbmc=?=\" ((\"=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=\" NIL "
	"\"joerg\" \"example.org\")) ((\"=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=\" NIL \"joerg\" "
	"\"example.org\")) ((\"=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=\" NIL \"joerg\" \"example.org\")) "
	"((\"Alice\" NIL \"alice\" \"example.com\")(NIL NIL \"bob\" \"example.net\")) ((NIL NIL "
	"\"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) NIL \"<20231113.9@example.com>\" "
	"\"<20231114.1@example.org>\"))\r\n";

static const char header_fetch[] =
	"* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent $Forwarded) INTERNALDATE \"14-Nov-2023 08:13:00 "
	"+0000\" RFC822.SIZE 1364 BODY[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID "
	"IN-REPLY-TO REFERENCES LIST-POST)] {367}\r\n"
	"From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.org>\r\n"
	"To: Alice <alice@example.com>, bob@example.net\r\n"
	"Cc: undisclosed-recipients:;\r\n"
	"Subject: =?UTF-8?B?UmU6IGNhZsOpIG1lZXRpbmc=?=\r\n"
	"Date: Tue, 14 Nov 2023 09:12:45 +0100\r\n"
	"Message-ID: <20231114.1@example.org>\r\n"
	"In-Reply-To: <20231113.9@example.com>\r\n"
	"References: <20231113.1@example.com> <20231113.9@example.com>\r\n"
	"\r\n)\r\n";

static const struct imap_response *
parse(struct imap_parser *p, const char *data, size_t len)
{
	const struct imap_response *r = NULL;
	struct err err;

	imap_parser_feed(p, data, len);
	if (imap_parser_next(p, &r, &err) != 1)
		return NULL;
	return r;
}

static void
check_common(const struct mime_summary *s)
{
	test_assert_int(s->id, 1);
	test_assert_int(s->flags, MIME_FLAG_SEEN | MIME_FLAG_RECENT | MIME_FLAG_PASSED);
	test_assert_int(s->received, 1699949580);
	test_assert_int(s->date, 1699949565);
	test_assert_int(s->size, 1364);
	test_assert_str(s->from_name, "J\xc3\xb6rg M\xc3\xbcller");
	test_assert_str(s->from_addr, "joerg@example.org");
	test_assert_str(s->subject, "Re: caf\xc3\xa9 meeting");
	test_assert_str(s->message_id, "20231114.1@example.org");
	test_assert_str(s->in_reply_to, "20231113.9@example.com");
	test_assert(strstr(s->to, "Alice") != NULL && strstr(s->to, "alice@example.com") != NULL &&
		    strstr(s->to, "bob@example.net") != NULL);
}

int
main(void)
{
	struct imap_parser *p = imap_parser_new(NULL);
	struct arena *arena = arena_new();
	const struct imap_response *r;
	struct mime_summary s;

	test_begin("summary from ENVELOPE");
	r = parse(p, envelope_fetch, sizeof(envelope_fetch) - 1);
	test_assert(r != NULL && r->type == IMAP_RESP_FETCH);
	test_assert_int(imap_summary_from_fetch(arena, &r->u.fetch, &s), 0);
	check_common(&s);
	test_assert_str(s.to, "Alice <alice@example.com>, bob@example.net");
	test_assert_str(s.cc, "");
	test_assert_str(s.references, "");
	test_assert_str(s.list_post, "");
	test_end();

	test_begin("summary from BODY[HEADER.FIELDS (...)]");
	r = parse(p, header_fetch, sizeof(header_fetch) - 1);
	test_assert(r != NULL && r->type == IMAP_RESP_FETCH);
	test_assert_int(imap_summary_from_fetch(arena, &r->u.fetch, &s), 0);
	check_common(&s);
	test_assert(strstr(s.references, "20231113.1@example.com") != NULL);
	test_end();

	test_begin("hostile and empty envelopes");
	{
		static const char hostile[] =
			"* 2 FETCH (UID 7 ENVELOPE (NIL \"=?x?Q?\x1b]0;t\x07?= \x1b[2J\" ((NIL NIL "
			"\"grp\" NIL)(\"\x1b]52;c;x\x07\" NIL \"e\x1bvil\" \"h\")(NIL NIL NIL NIL)) NIL "
			"NIL NIL NIL NIL NIL NIL))\r\n";

		r = parse(p, hostile, sizeof(hostile) - 1);
		test_assert(r != NULL && r->type == IMAP_RESP_FETCH);
		test_assert_int(imap_summary_from_fetch(arena, &r->u.fetch, &s), 0);
		test_assert(strchr(s.subject, 0x1b) == NULL);
		test_assert(strchr(s.from_name, 0x1b) == NULL && strchr(s.from_addr, 0x1b) == NULL);
		test_assert(strstr(s.from_addr, "vil@h") != NULL);
		test_assert_int(s.date, 0);
		test_assert_int(s.id, 7);
	}
	{
		static const char bare[] = "* 3 FETCH (UID 8 FLAGS (\\Deleted \\Draft \\Answered "
					   "\\Flagged))\r\n";

		r = parse(p, bare, sizeof(bare) - 1);
		test_assert(r != NULL);
		test_assert_int(imap_summary_from_fetch(arena, &r->u.fetch, &s), -1);
		test_assert_int(s.flags, MIME_FLAG_DELETED | MIME_FLAG_DRAFT | MIME_FLAG_ANSWERED |
						 MIME_FLAG_FLAGGED);
		test_assert_str(s.subject, "");
		test_assert_str(s.from_name, "");
	}
	test_end();
	arena_free(&arena);
	imap_parser_free(&p);
	return test_done();
}
