#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd/cmd-msglist.h"
#include "test-common.h"

/* Six messages: 1 new, 2 unread old, 3 read before, 4 deleted, 5 read now, 6 new. */
static struct cmd_msg msgs[6] = {
	{CMD_MSG_NEW, "alice@example.org", "Alice", "Lunch on Friday", 0, 0, 0},
	{0, "bob@example.net", "Bob Builder", "Re: lunch", 0, 0, 0},
	{CMD_MSG_OLD_READ, "carol@example.com", "", "Quarterly report", 0, 0, 0},
	{CMD_MSG_DELETED | CMD_MSG_NEW, "alice@example.org", "Alice", "spam", 0, 0, 0},
	{CMD_MSG_READ | CMD_MSG_NEW, "dave@example.org", "Dave", "LUNCH menu", 0, 0, 0},
	{CMD_MSG_NEW, "eve@example.org", "Eve", "hello", 0, 0, 0},
};

/* The selection as a string of message numbers ("1 3 5"), or "error: ...". */
static const char *
sel(const char *text, size_t current, unsigned flags)
{
	static char out[256];
	unsigned char s[6];
	struct err err;
	size_t i;
	int n;

	n = cmd_msglist_parse(text, msgs, 6, current, flags, s, &err);
	if (n < 0) {
		snprintf(out, sizeof(out), "error: %s", err.msg);
		return out;
	}
	out[0] = '\0';
	for (i = 0; i < 6; i++)
		if (s[i])
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%zu",
				 out[0] ? " " : "", i + 1);
	return out;
}

int
main(void)
{
	test_begin("numbers and ranges");
	test_assert_str(sel("2", 1, 0), "2");
	test_assert_str(sel("1 3", 1, 0), "1 3");
	test_assert_str(sel("1-5", 1, 0), "1 2 3 5");
	test_assert_str(sel("2-3 6", 1, 0), "2 3 6");
	test_assert_str(sel("7", 1, 0), "error: 7: invalid message number");
	test_assert_str(sel("0", 1, 0), "error: 0: invalid message number");
	test_assert_str(sel("4", 1, 0), "error: 4: inappropriate message (deleted)");
	test_assert_str(sel("3-1", 1, 0), "error: 3-1: the range runs backwards");
	test_assert_str(sel("1-", 1, 0), "error: 1-: invalid message list");
	test_assert_str(sel("1x", 1, 0), "error: 1x: invalid message list");
	test_assert_str(sel("99999999999999999999999", 1, 0),
			"error: 99999999999999999999999: invalid message number");
	test_end();

	test_begin("special tokens");
	test_assert_str(sel("*", 1, 0), "1 2 3 5 6");
	test_assert_str(sel(".", 3, 0), "3");
	test_assert_str(sel("$", 1, 0), "6");
	test_assert_str(sel("^", 3, 0), "1");
	test_assert_str(sel("+", 3, 0), "5");
	test_assert_str(sel("-", 5, 0), "3");
	test_assert_str(sel("-", 1, 0), "error: no previous message");
	test_assert_str(sel(".-$", 3, 0), "3 5 6");
	test_assert_str(sel("^-.", 2, 0), "1 2");
	test_end();

	test_begin("default is the current message or the nearest one");
	test_assert_str(sel("", 2, 0), "2");
	test_assert_str(sel("   ", 4, 0), "5");
	test_assert_str(sel("", 0, 0), "1");
	test_end();

	test_begin("message types");
	test_assert_str(sel(":n", 1, 0), "1 6");
	test_assert_str(sel(":u", 1, 0), "1 2 6");
	test_assert_str(sel(":r", 1, 0), "3 5");
	test_assert_str(sel(":o", 1, 0), "2 3");
	test_assert_str(sel(":d", 1, 0), "4");
	test_assert_str(sel(":nd", 1, 0), "1 4 6");
	test_assert_str(sel(":x", 1, 0), "error: :x: unknown message type 'x' (use n, o, r, u or d)");
	test_assert_str(sel(":", 1, 0), "error: :: missing message type");
	test_end();

	test_begin("subjects and senders");
	test_assert_str(sel("/lunch", 1, 0), "1 2 5");
	test_assert_str(sel("\"/lunch on\"", 1, 0), "1");
	test_assert_str(sel("/nothing", 1, 0), "error: no applicable messages for /nothing");
	test_assert_str(sel("alice", 1, 0), "1");
	test_assert_str(sel("ALICE@example.org", 1, 0), "1");
	test_assert_str(sel("builder", 1, 0), "2");
	test_assert_str(sel("mallory", 1, 0), "error: no applicable messages from mallory");
	test_assert_str(sel("alice 3 /hello", 1, 0), "1 3 6");
	test_assert_str(sel("'unclosed", 1, 0), "error: unmatched ' in message list");
	test_end();

	test_begin("deleted messages for undelete");
	test_assert_str(sel("", 1, CMD_MSGLIST_DELETED), "4");
	test_assert_str(sel("4", 1, CMD_MSGLIST_DELETED), "4");
	test_assert_str(sel("*", 1, CMD_MSGLIST_DELETED), "4");
	test_assert_str(sel("2", 1, CMD_MSGLIST_DELETED), "error: 2: inappropriate message (not deleted)");
	test_assert_str(sel("1-6", 1, CMD_MSGLIST_DELETED),
			"error: 1: inappropriate message (not deleted)");
	test_end();

	test_begin("empty folder");
	{
		unsigned char s[1];
		struct err err;

		test_assert_int(cmd_msglist_parse("", msgs, 0, 0, 0, s, &err), -1);
		test_assert_str(err.msg, "no messages");
	}
	test_end();
	return test_done();
}
