/* The output buffer the protocol cores share: runs, secrets, partial sends. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/base-outbuf.h"
#include "test-common.h"

enum { K_TEXT, K_SECRET, K_PAYLOAD };

/* The first waiting run as "KIND:bytes", or "" when none waits. */
static const char *
peek(const struct outbuf *ob)
{
	static char buf[256];
	const char *data;
	size_t len;
	int kind;

	if (!outbuf_peek(ob, &data, &len, &kind))
		return "";
	snprintf(buf, sizeof(buf), "%d:%.*s", kind, (int)len, data);
	return buf;
}

int
main(void)
{
	struct outbuf ob;

	outbuf_init(&ob);
	test_begin("an empty buffer has nothing to send");
	test_assert_str(peek(&ob), "");
	test_assert_int(outbuf_pending(&ob), 0);
	outbuf_append(&ob, K_TEXT, "", 0);
	test_assert_str(peek(&ob), "");
	outbuf_consume(&ob, 10);
	test_assert_int(ob.consumed, 0);
	test_end();

	test_begin("runs of one kind merge; another kind starts a run");
	outbuf_append(&ob, K_TEXT, "EHLO a\r\n", 8);
	outbuf_append(&ob, K_TEXT, "NOOP\r\n", 6);
	outbuf_append(&ob, K_PAYLOAD, "body", 4);
	test_assert_str(peek(&ob), "0:EHLO a\r\nNOOP\r\n");
	test_assert_int(outbuf_pending(&ob), 18);
	test_assert_int(ob.appended, 18);
	test_end();

	test_begin("partial sends, and a send spanning runs");
	outbuf_consume(&ob, 5);
	test_assert_str(peek(&ob), "0:a\r\nNOOP\r\n");
	outbuf_consume(&ob, 11);
	test_assert_str(peek(&ob), "2:dy");
	test_assert_int(outbuf_pending(&ob), 2);
	test_assert_int(ob.consumed, 16);
	outbuf_append(&ob, K_PAYLOAD, "more", 4);
	test_assert_str(peek(&ob), "2:dymore");
	outbuf_consume(&ob, 100);
	test_assert_str(peek(&ob), "");
	test_assert_int(outbuf_pending(&ob), 0);
	test_assert_int(ob.consumed, 22);
	test_assert_int(ob.buf.len, 0);
	test_end();

	test_begin("a masked line: public part, secret alone, line end visible");
	outbuf_append(&ob, K_TEXT, "A1 ", 3);
	outbuf_append_masked(&ob, K_TEXT, K_SECRET, "PASS hunter2\r\n", 14, 5);
	outbuf_append_masked(&ob, K_TEXT, K_SECRET, "AUTH x\r\n", 8, 5);
	test_assert_str(peek(&ob), "0:A1 PASS ");
	outbuf_consume(&ob, 8);
	test_assert_str(peek(&ob), "1:hunter2");
	outbuf_consume(&ob, 3);
	test_assert_str(peek(&ob), "1:ter2");
	outbuf_consume(&ob, 4);
	test_assert_str(peek(&ob), "0:\r\nAUTH ");
	outbuf_consume(&ob, 7);
	test_assert_str(peek(&ob), "1:x");
	outbuf_consume(&ob, 1);
	test_assert_str(peek(&ob), "0:\r\n");
	test_end();

	test_begin("secret runs stay apart; the buffer is wiped once all is sent");
	outbuf_append_secret(&ob, K_SECRET, "ab", 2);
	outbuf_append_secret(&ob, K_SECRET, "cd", 2);
	test_assert_str(peek(&ob), "0:\r\n");
	outbuf_consume(&ob, 2);
	test_assert_str(peek(&ob), "1:ab");
	outbuf_consume(&ob, 2);
	test_assert_str(peek(&ob), "1:cd");
	{
		char *mem = ob.buf.s;
		size_t cap = ob.buf.cap, left = 0;

		outbuf_consume(&ob, 2);
		for (size_t i = 0; i < cap; i++)
			left += mem[i] != '\0';
		test_assert_int(left, 0);
	}
	test_assert(!ob.had_secret);
	test_end();

	test_begin("a line without a secret part is one run");
	outbuf_append_masked(&ob, K_TEXT, K_SECRET, "QUIT\r\n", 6, 4);
	test_assert_str(peek(&ob), "0:QUIT\r\n");
	test_assert_int(ob.n_runs - ob.run_head, 1);
	outbuf_consume(&ob, 6);
	test_end();

	test_begin("bytes an encoder appended itself become one run");
	outbuf_append(&ob, K_TEXT, "DATA\r\n", 6);
	{
		size_t from = ob.buf.len;

		str_append(&ob.buf, "Subject: x\r\n");
		str_append(&ob.buf, "\r\nhi\r\n");
		outbuf_commit(&ob, K_PAYLOAD, from);
		outbuf_commit(&ob, K_PAYLOAD, ob.buf.len);
	}
	outbuf_consume(&ob, 6);
	test_assert_str(peek(&ob), "2:Subject: x\r\n\r\nhi\r\n");
	test_assert_int(ob.appended, ob.consumed + outbuf_pending(&ob));
	test_end();

	outbuf_free(&ob);
	test_begin("freed, the buffer can be used again");
	test_assert_str(peek(&ob), "");
	outbuf_append(&ob, K_TEXT, "x", 1);
	test_assert_str(peek(&ob), "0:x");
	outbuf_free(&ob);
	test_end();
	return test_done();
}
