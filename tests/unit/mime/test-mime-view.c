/* The display model: part numbers, alternatives, HTML, damage, bounds. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "mime-test-util.h"
#include "mime/mime-message.h"
#include "test-common.h"

static struct arena *arena;

static struct mime_view *
view_of(const char *msg_text, const struct mime_view_params *params, struct mime_message **msg_r)
{
	struct mime_message *msg;
	struct mime_view *view = NULL;
	struct err err;

	if (mime_message_parse_mem(msg_text, strlen(msg_text), NULL, &msg, &err) < 0)
		return NULL;
	if (mime_view_build(msg, params, arena, &view, &err) < 0)
		view = NULL;
	if (msg_r != NULL)
		*msg_r = msg;
	else
		mime_message_free(&msg);
	return view;
}

static char *
render(const struct mime_view *v)
{
	struct str out = STR_INIT;

	mime_view_render(v, &out);
	return str_detach(&out);
}

/* The part paths, space-separated, with a role letter each. */
static char *
layout(const struct mime_view *v)
{
	static const char roles[] = "CTMAXO";
	struct str out = STR_INIT;

	for (size_t i = 0; i < v->n_parts; i++)
		str_appendf(&out, "%s%s:%c", i ? " " : "",
		            *v->parts[i].path ? v->parts[i].path : "-", roles[v->parts[i].role]);
	str_append_len(&out, "", 0);
	return str_detach(&out);
}

static const struct mime_block *
find_block(const struct mime_view *v, enum mime_block_kind kind, const char *needle)
{
	for (size_t i = 0; i < v->n_blocks; i++)
		if (v->blocks[i].kind == kind &&
		    (needle == NULL || strstr(v->blocks[i].text, needle)))
			return &v->blocks[i];
	return NULL;
}

static const char nested_msg[] =
    "From: a@x\nSubject: layout\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"o\"\n\n"
    "--o\nContent-Type: text/plain\n\nbody\n"
    "--o\nContent-Type: multipart/alternative; boundary=\"a\"\n\n"
    "--a\nContent-Type: text/plain\n\nalt plain\n"
    "--a\nContent-Type: text/html\n\n<b>alt html</b>\n--a--\n"
    "--o\nContent-Type: message/rfc822\n\n"
    "From: inner@x\nSubject: inner\nContent-Type: multipart/mixed; boundary=\"i\"\n\n"
    "--i\nContent-Type: text/plain\n\ninner text\n"
    "--i\nContent-Type: image/png; name=\"p.png\"\nContent-Transfer-Encoding: base64\n\n"
    "iVBORw0KGgo=\n--i--\n"
    "--o\nContent-Type: message/rfc822\n\nFrom: single@x\nSubject: single\n\nsingle body\n"
    "--o--\n";

int
main(void)
{
	struct mime_view_params params;
	struct mime_message *msg;
	struct mime_view *v;
	struct err err;
	char *s;

	mime_init();
	arena = arena_new();

	test_begin("IMAP part numbers (RFC 3501 6.4.5)");
	v = view_of(nested_msg, NULL, &msg);
	test_assert(v != NULL);
	s = layout(v);
	test_assert_str(s, "-:C 1:T 2:C 2.1:T 2.2:X 3:M 3:C 3.1:T 3.2:A 4:M 4.1:T");
	free(s);
	{
		struct str part = STR_INIT;

		test_assert_int(mime_part_decode(msg, "3.2", 0, &part, &err), 0);
		test_assert_int(part.len, 8);
		test_assert(memcmp(part.s, "\x89PNG\r\n\x1a\n", 8) == 0);
		str_reset(&part);
		test_assert_int(mime_part_decode(msg, "4.1", 0, &part, &err), 0);
		test_assert_str(str_cstr(&part), "single body");
		str_reset(&part);
		test_assert_int(mime_part_decode(msg, "2.2", 0, &part, &err), 0);
		test_assert_str(str_cstr(&part), "<b>alt html</b>");
		str_reset(&part);
		test_assert_int(mime_part_decode(msg, "4", 0, &part, &err), 0);
		test_assert(strstr(str_cstr(&part), "Subject: single") != NULL);
		str_reset(&part);
		test_assert_int(mime_part_decode(msg, "3.2", 4, &part, &err), -1);
		test_assert_int(mime_part_decode(msg, "5", 0, &part, &err), -1);
		test_assert_int(mime_part_decode(msg, "1.1", 0, &part, &err), -1);
		test_assert_int(mime_part_decode(msg, "0", 0, &part, &err), -1);
		test_assert_int(mime_part_decode(msg, "2.x", 0, &part, &err), -1);
		test_assert_int(mime_part_decode(msg, "2.", 0, &part, &err), -1);
		str_free(&part);
	}
	s = render(v);
	test_assert(strstr(s, "alt plain") != NULL);
	test_assert(strstr(s, "alt html") == NULL);
	test_assert(strstr(s, "Subject: inner") != NULL);
	test_assert(strstr(s, "inner text") != NULL);
	test_assert(strstr(s, "[-- Attachment 3.2: image/png, \"p.png\", 8 bytes --]") != NULL);
	test_assert(strstr(s, "single body") != NULL);
	free(s);
	mime_message_free(&msg);
	test_end();

	test_begin("a single part is part 1");
	v = view_of("Subject: x\n\nhello\n", NULL, &msg);
	s = layout(v);
	test_assert_str(s, "1:T");
	free(s);
	{
		struct str part = STR_INIT;

		test_assert_int(mime_part_decode(msg, "1", 0, &part, &err), 0);
		test_assert_str(str_cstr(&part), "hello\n");
		test_assert_int(mime_part_decode(msg, "2", 0, &part, &err), -1);
		str_free(&part);
	}
	mime_message_free(&msg);
	test_end();

	test_begin("alternative preference");
	memset(&params, 0, sizeof(params));
	params.alternative_order = "text/html,text/plain";
	v = view_of(nested_msg, &params, NULL);
	s = layout(v);
	test_assert_str(s, "-:C 1:T 2:C 2.1:X 2.2:T 3:M 3:C 3.1:T 3.2:A 4:M 4.1:T");
	free(s);
	{
		const struct mime_block *b = find_block(v, MIME_BLOCK_TEXT, "alt html");

		test_assert(b != NULL);
		test_assert(b && (b->flags & MIME_TEXT_HTML) &&
		            (b->flags & MIME_TEXT_HTML_STRIPPED));
		test_assert(b && b->html != NULL && strcmp(b->html, "<b>alt html</b>") == 0);
	}
	params.alternative_order = "text/*";
	v = view_of(nested_msg, &params, NULL);
	s = layout(v);
	test_assert_str(s, "-:C 1:T 2:C 2.1:X 2.2:T 3:M 3:C 3.1:T 3.2:A 4:M 4.1:T");
	free(s);
	params.alternative_order = "application/pdf";
	v = view_of(nested_msg, &params, NULL);
	s = layout(v);
	test_assert_str(s, "-:C 1:T 2:C 2.1:X 2.2:T 3:M 3:C 3.1:T 3.2:A 4:M 4.1:T");
	free(s);
	params.alternative_order = "text/plain,,text/html";
	test_assert(mime_message_parse_mem("a: b\n\n", 6, NULL, &msg, &err) == 0);
	test_assert_int(mime_view_build(msg, &params, arena, &v, &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	params.alternative_order = "plain";
	test_assert_int(mime_view_build(msg, &params, arena, &v, &err), -1);
	mime_message_free(&msg);
	test_end();

	test_begin("which headers are shown");
	memset(&params, 0, sizeof(params));
	v = view_of("Received: r\nSubject: s\nX-Spam: y\nFrom: f@x\nTo: t@x\nCc: c@x\n\nb\n", NULL,
	            NULL);
	test_assert_int(v->n_headers, 4);
	test_assert_str(v->headers[0].name, "From");
	test_assert_str(v->headers[1].name, "To");
	test_assert_str(v->headers[2].name, "Cc");
	test_assert_str(v->headers[3].name, "Subject");
	params.headers = "x-spam, subject";
	v = view_of("Received: r\nSubject: s\nX-Spam: y\n\nb\n", &params, NULL);
	test_assert_int(v->n_headers, 2);
	test_assert_str(v->headers[0].name, "X-Spam");
	test_assert_str(v->headers[1].value, "s");
	params.headers = "*";
	params.max_headers = 2;
	v = view_of("A: 1\nB: 2\nC: 3\nD: 4\n\nb\n", &params, NULL);
	test_assert_int(v->n_headers, 2);
	test_assert(find_block(v, MIME_BLOCK_NOTICE, "2 more header fields") != NULL);
	test_end();

	test_begin("the target charset");
	memset(&params, 0, sizeof(params));
	params.charset = "ISO-8859-1";
	v = view_of("Subject: =?utf-8?q?caf=C3=A9_=E2=82=AC?=\n"
	            "Content-Type: text/plain; charset=utf-8\n\nna\xc3\xafve \xe2\x98\xba\n",
	            &params, NULL);
	test_assert_str(v->headers[0].value, "caf\xe9 ?");
	test_assert(find_block(v, MIME_BLOCK_TEXT, "na\xefve ?\n") != NULL);
	test_end();

	test_begin("damage is reported, not hidden");
	v = view_of("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVs*bG8h\n",
	            NULL, NULL);
	test_assert(find_block(v, MIME_BLOCK_TEXT, "hello!") != NULL);
	test_assert(find_block(v, MIME_BLOCK_TEXT, "hello!")->flags & MIME_TEXT_BAD_ENCODING);
	test_assert(find_block(v, MIME_BLOCK_NOTICE, "damaged base64") != NULL);
	v = view_of("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGk=\n", NULL,
	            NULL);
	test_assert(!(find_block(v, MIME_BLOCK_TEXT, "hi")->flags & MIME_TEXT_BAD_ENCODING));
	v = view_of("Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n"
	            "a=3Db=\nc\n",
	            NULL, NULL);
	test_assert(find_block(v, MIME_BLOCK_TEXT, "a=bc") != NULL);
	test_assert(find_block(v, MIME_BLOCK_NOTICE, "damaged") == NULL);
	v = view_of("Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n"
	            "a=XYb\n",
	            NULL, NULL);
	test_assert(find_block(v, MIME_BLOCK_NOTICE, "damaged quoted-printable") != NULL);
	v = view_of("Content-Type: text/plain; charset=utf-8\n\ncaf\xe9\n", NULL, NULL);
	test_assert(find_block(v, MIME_BLOCK_TEXT, "café") != NULL);
	test_assert(find_block(v, MIME_BLOCK_TEXT, "café")->flags & MIME_TEXT_CHARSET_FALLBACK);
	test_assert_str(find_block(v, MIME_BLOCK_TEXT, "café")->charset_used, "windows-1252");
	test_assert(find_block(v, MIME_BLOCK_NOTICE, "does not fit") != NULL);
	test_end();

	test_begin("uuencode");
	v = view_of("Content-Type: application/octet-stream\nContent-Transfer-Encoding: x-uuencode\n\n"
	            "begin 644 old.bin\n"
	            "H  $\" P0%!@<(\"0H+# T.#Q 1$A,4%187&!D:&QP='A\\@(2(C)\"4F)P  \n`\nend\n",
	            NULL, &msg);
	{
		struct str part = STR_INIT;
		unsigned char want[40];

		for (int i = 0; i < 40; i++)
			want[i] = (unsigned char)i;
		test_assert_int(mime_part_decode(msg, "1", 0, &part, &err), 0);
		test_assert(part.len == 40 && memcmp(part.s, want, 40) == 0);
		test_assert(v->parts[0].size_exact && v->parts[0].size == 40);
		str_free(&part);
	}
	mime_message_free(&msg);
	test_end();

	test_begin("a decoded size estimated from the stored one");
	/* 76 characters a line and its CRLF give 57 bytes. */
	test_assert_int((long)mime_decoded_size_estimate(78 * 1000, "base64"), 57 * 1000);
	test_assert_int((long)mime_decoded_size_estimate(78 * 1000, "BASE64"), 57 * 1000);
	test_assert_int((long)mime_decoded_size_estimate(78 * 1000, "x-uuencode"), 57 * 1000);
	test_assert_int((long)mime_decoded_size_estimate(78 * 1000, "quoted-printable"), 78000);
	test_assert_int((long)mime_decoded_size_estimate(5, "7bit"), 5);
	test_assert_int((long)mime_decoded_size_estimate(77, "base64"), 0);
	test_end();

	test_begin("bounds");
	memset(&params, 0, sizeof(params));
	params.max_text_bytes = 10;
	v = view_of("Subject: x\n\n0123456789abcdef\n", &params, NULL);
	test_assert(find_block(v, MIME_BLOCK_TEXT, "0123456789") != NULL);
	test_assert(find_block(v, MIME_BLOCK_TEXT, "abc") == NULL);
	test_assert(find_block(v, MIME_BLOCK_TEXT, NULL)->flags & MIME_TEXT_TRUNCATED);
	test_assert(find_block(v, MIME_BLOCK_NOTICE, "only the first 10 bytes") != NULL);
	memset(&params, 0, sizeof(params));
	params.max_depth = 2;
	v = view_of(nested_msg, &params, NULL);
	s = layout(v);
	test_assert_str(s, "-:C 1:T 2:C 2.1:T 2.2:X 3:M 3:C 3.1:O 3.2:O 4:M 4.1:T");
	free(s);
	test_assert(find_block(v, MIME_BLOCK_NOTICE, "nested more than 2 levels") != NULL);
	params.max_depth = 0;
	params.max_parts = 3;
	v = view_of(nested_msg, &params, NULL);
	test_assert_int(v->n_parts, 3);
	test_assert(find_block(v, MIME_BLOCK_NOTICE, "more than 3 parts") != NULL);
	params.max_parts = 0;
	params.max_header_bytes = 8;
	v = view_of("Subject: 0123456789abcdef\n\nb\n", &params, NULL);
	test_assert_str(v->headers[0].value, "01234567\xe2\x80\xa6");
	test_end();

	test_begin("HTML without a plain alternative");
	v = view_of("Content-Type: text/html; charset=utf-8\n\n"
	            "<p>Hi &amp; bye</p><script>evil()</script>\x1b[2J\n",
	            NULL, NULL);
	{
		const struct mime_block *b = find_block(v, MIME_BLOCK_TEXT, NULL);

		test_assert(b != NULL && (b->flags & MIME_TEXT_HTML));
		test_assert(b && strstr(b->text, "Hi & bye") != NULL);
		test_assert(b && strstr(b->text, "evil") == NULL);
		test_assert(b && mime_test_terminal_safe(b->text, b->len, 1));
		test_assert(b && b->html != NULL && strstr(b->html, "<script>") != NULL);
	}
	s = render(v);
	test_assert(strstr(s, "HTML shown with its tags stripped") != NULL);
	free(s);
	test_end();

	test_begin("signed, encrypted, attachments by disposition");
	v = view_of("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; "
	            "boundary=e\n\n--e\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n"
	            "--e\nContent-Type: application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\n"
	            "--e--\n",
	            NULL, NULL);
	s = layout(v);
	test_assert_str(s, "-:C 1:A 2:A");
	free(s);
	test_assert(find_block(v, MIME_BLOCK_NOTICE, "not decrypted") != NULL);
	v = view_of("Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\n"
	            "shown\n--m\nContent-Type: text/plain\nContent-Disposition: attachment\n\n"
	            "listed\n--m--\n",
	            NULL, NULL);
	s = layout(v);
	test_assert_str(s, "-:C 1:T 2:A");
	free(s);
	s = render(v);
	test_assert(strstr(s, "shown") != NULL && strstr(s, "listed") == NULL);
	free(s);
	test_end();

	test_begin("input that is not a message");
	v = view_of("", NULL, NULL);
	test_assert(v != NULL && v->unparsed && v->n_parts == 1);
	test_assert(find_block(v, MIME_BLOCK_NOTICE, "empty") != NULL);
	v = view_of("just words\nand more\n", NULL, NULL);
	test_assert(v != NULL && v->unparsed);
	test_assert(find_block(v, MIME_BLOCK_TEXT, "just words\nand more\n") != NULL);
	{
		struct mime_parse_params pp = {.max_bytes = 4};

		test_assert_int(mime_message_parse_mem("12345", 5, &pp, &msg, &err), -1);
		test_assert(msg == NULL);
	}
	test_end();

	arena_free(&arena);
	mime_shutdown();
	return test_done();
}
