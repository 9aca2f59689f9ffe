/* Composing messages, checked by parsing them back. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-file.h"
#include "base/base-str.h"
#include "mime/mime-compose.h"
#include "mime/mime-header.h"
#include "mime/mime-message.h"
#include "mime/mime-summary.h"
#include "test-common.h"

static struct arena *arena;

/* The raw value of the first top-level field `name`, or NULL. */
static const char *
field(const struct mime_composed *out, const char *name)
{
	struct mime_header_field f;
	size_t pos = 0;

	while (mime_header_next(out->data, out->len, &pos, &f) == 1)
		if (mime_header_name_is(&f, name))
			return arena_strndup(arena, f.value, f.value_len);
	return NULL;
}

static int
count_fields(const struct mime_composed *out, const char *name)
{
	struct mime_header_field f;
	size_t pos = 0;
	int n = 0;

	while (mime_header_next(out->data, out->len, &pos, &f) == 1)
		n += mime_header_name_is(&f, name);
	return n;
}

static int
build(const struct mime_compose *c, struct mime_composed *out, struct err *err)
{
	return mime_compose_build(c, arena, out, err);
}

static void
base(struct mime_compose *c)
{
	memset(c, 0, sizeof(*c));
	c->from = "Sender <sender@example.org>";
	c->to = "rcpt@example.net";
	c->subject = "test";
	c->body = "hello\n";
	c->body_len = 6;
	c->hostname = "host.example.org";
}

static const char *
body_encoding_of(const char *body)
{
	struct mime_compose c;
	struct mime_composed out;
	struct err err;

	base(&c);
	c.body = body;
	c.body_len = strlen(body);
	if (build(&c, &out, &err) < 0)
		return arena_strdup(arena, err.msg);
	return out.body_encoding;
}

static void
write_file(const char *path, const void *data, size_t len)
{
	struct err err;

	if (file_write_atomic(path, data, len, 0600, &err) < 0)
		printf("# %s\n", err.msg);
}

int
main(void)
{
	struct mime_compose c;
	struct mime_composed out;
	struct mime_message *msg;
	struct mime_view *view;
	struct mime_summary sum;
	struct err err;
	char bin_path[1024], txt_path[1024], bin[1024];
	static const char body[] = "Grüße aus Köln,\r\nund schöne Tage!\n-- \nJürgen\n";
	struct mime_compose_attachment att[2];
	struct mime_compose_header extra[2];

	mime_init();
	arena = arena_new();
	for (size_t i = 0; i < sizeof(bin); i++)
		bin[i] = (char)(i * 7 + (i >> 8));
	snprintf(bin_path, sizeof(bin_path), "%s/data.bin", test_tmpdir());
	snprintf(txt_path, sizeof(txt_path), "%s/notes.txt", test_tmpdir());
	write_file(bin_path, bin, sizeof(bin));
	write_file(txt_path, "first line\nsecond line\n", 23);

	test_begin("a message with non-ASCII everywhere, read back");
	memset(&c, 0, sizeof(c));
	c.from = "Jürgen Müller <jm@example.org>";
	c.to = "Ann <ann@example.net>, bob@example.com";
	c.cc = "ann@EXAMPLE.net, \"Zoë, Chef\" <zoe@example.com>";
	c.bcc = "secret@example.com, bob@example.com";
	c.reply_to = "list@example.org";
	c.subject = "Grüße aus Köln — ein ziemlich langer Betreff, der gefaltet werden muss, "
	            "weil er so lang ist";
	c.in_reply_to = "parent@example.org";
	c.references = "<root@example.org> parent@example.org";
	extra[0].name = "X-Mailer";
	extra[0].value = "petrel ☺";
	extra[1].name = "Organization";
	extra[1].value = "Ünïcödé GmbH";
	c.headers = extra;
	c.n_headers = 2;
	c.body = body;
	c.body_len = sizeof(body) - 1;
	att[0].path = bin_path;
	att[0].name = "Übersicht 2024 – résumé.bin";
	att[0].content_type = NULL;
	att[1].path = txt_path;
	att[1].name = NULL;
	att[1].content_type = NULL;
	c.attachments = att;
	c.n_attachments = 2;
	c.hostname = "mail.example.org";
	c.date = 1057049557;
	test_assert_int(build(&c, &out, &err), 0);
	test_assert(out.data != NULL);
	test_assert(strchr(out.data, '\r') == NULL);

	/* Bcc: only in the envelope. */
	test_assert_int(count_fields(&out, "Bcc"), 0);
	test_assert(strstr(out.data, "secret@example.com") == NULL);
	test_assert_int(out.n_bcc, 2);
	test_assert_str(out.bcc[0], "secret@example.com");
	test_assert_int(out.n_recipients, 4);
	test_assert_str(out.recipients[0], "ann@example.net");
	test_assert_str(out.recipients[1], "bob@example.com");
	test_assert_str(out.recipients[2], "zoe@example.com");
	test_assert_str(out.recipients[3], "secret@example.com");
	test_assert(out.recipients[4] == NULL);
	test_assert_str(out.sender, "jm@example.org");

	/* Header fields as RFC 5322 and MIME want them. */
	test_assert_str(field(&out, "MIME-Version"), " 1.0");
	test_assert(field(&out, "Date") != NULL);
	test_assert(field(&out, "Message-ID") != NULL &&
	            strstr(field(&out, "Message-ID"), "@mail.example.org>") != NULL);
	test_assert(strstr(field(&out, "Message-ID"), out.message_id) != NULL);
	test_assert_str(field(&out, "In-Reply-To"), " <parent@example.org>");
	test_assert_str(field(&out, "References"), " <root@example.org> <parent@example.org>");
	test_assert(strstr(field(&out, "Content-Type"), "multipart/mixed") != NULL);
	{
		/* Non-ASCII only as encoded words: the header block is ASCII. */
		size_t hend = mime_header_end(out.data, out.len);
		int ascii = 1;

		for (size_t i = 0; i < hend; i++)
			if ((unsigned char)out.data[i] >= 0x80)
				ascii = 0;
		test_assert(ascii);
		test_assert(strstr(out.data, "=?UTF-8?") != NULL ||
		            strstr(out.data, "=?utf-8?") != NULL);
	}

	/* Read back. */
	memset(&sum, 0, sizeof(sum));
	mime_summary_from_header(arena, out.data, out.len, &sum);
	test_assert_str(sum.subject, c.subject);
	test_assert_str(sum.from_name, "Jürgen Müller");
	test_assert_str(sum.from_addr, "jm@example.org");
	test_assert_int(sum.date, 1057049557);
	test_assert_str(sum.in_reply_to, "parent@example.org");
	test_assert(strstr(sum.cc, "Zoë, Chef") != NULL);
	test_assert_int(mime_message_parse_mem(out.data, out.len, NULL, &msg, &err), 0);
	{
		struct mime_view_params vp = {0};
		struct str part = STR_INIT;

		vp.headers = "X-Mailer,Organization";
		test_assert_int(mime_view_build(msg, &vp, arena, &view, &err), 0);
		test_assert_int(view->n_headers, 2);
		test_assert_str(view->headers[0].value, "petrel ☺");
		test_assert_str(view->headers[1].value, "Ünïcödé GmbH");
		test_assert_int(view->n_parts, 4);
		test_assert_str(view->parts[1].type, "text/plain");
		test_assert_str(view->parts[1].charset, "utf-8");
		test_assert_str(view->parts[1].encoding, "quoted-printable");
		test_assert_str(view->parts[2].filename, "Übersicht 2024 – résumé.bin");
		test_assert_str(view->parts[2].type, "application/octet-stream");
		test_assert_str(view->parts[2].encoding, "base64");
		test_assert_str(view->parts[3].filename, "notes.txt");
		test_assert_str(view->parts[3].type, "text/plain");
		test_assert_str(view->parts[3].charset, "us-ascii");
		test_assert_str(view->parts[3].encoding, "7bit");
		test_assert_int(mime_part_decode(msg, "1", 0, &part, &err), 0);
		test_assert_str(str_cstr(&part),
		                "Grüße aus Köln,\nund schöne Tage!\n-- \nJürgen\n");
		str_reset(&part);
		test_assert_int(mime_part_decode(msg, "2", 0, &part, &err), 0);
		test_assert(part.len == sizeof(bin) && memcmp(part.s, bin, sizeof(bin)) == 0);
		str_reset(&part);
		test_assert_int(mime_part_decode(msg, "3", 0, &part, &err), 0);
		test_assert_str(str_cstr(&part), "first line\nsecond line\n");
		str_free(&part);
	}
	mime_message_free(&msg);
	test_end();

	test_begin("CRLF for SMTP, LF for local folders");
	c.crlf = 1;
	test_assert_int(build(&c, &out, &err), 0);
	{
		int bare_lf = 0;

		for (size_t i = 0; i < out.len; i++)
			if (out.data[i] == '\n' && (i == 0 || out.data[i - 1] != '\r'))
				bare_lf = 1;
		test_assert(!bare_lf);
		test_assert(out.len > 2 && out.data[out.len - 1] == '\n');
	}
	test_assert_int(mime_message_parse_mem(out.data, out.len, NULL, &msg, &err), 0);
	{
		struct str part = STR_INIT;

		test_assert_int(mime_part_decode(msg, "2", 0, &part, &err), 0);
		test_assert(part.len == sizeof(bin) && memcmp(part.s, bin, sizeof(bin)) == 0);
		str_free(&part);
	}
	mime_message_free(&msg);
	c.crlf = 0;
	test_end();

	test_begin("transfer encoding follows the content");
	test_assert_str(body_encoding_of("plain ascii\nlines\n"), "7bit");
	test_assert_str(body_encoding_of(""), "7bit");
	{
		char longline[1200];

		memset(longline, 'a', sizeof(longline) - 2);
		longline[sizeof(longline) - 2] = '\n';
		longline[sizeof(longline) - 1] = '\0';
		test_assert_str(body_encoding_of(longline), "quoted-printable");
		longline[997] = '\n';
		test_assert_str(body_encoding_of(longline), "7bit");
	}
	test_assert_str(body_encoding_of("Schöne Grüße, bis bald.\n"), "quoted-printable");
	test_assert_str(body_encoding_of("Привет, как дела? Всё хорошо.\n"), "base64");
	test_assert_str(body_encoding_of("日本語のテキスト\n"), "base64");
	test_assert_str(body_encoding_of("bare\rcarriage return\n"), "quoted-printable");
	{
		base(&c);
		c.body = "nul\0inside\n";
		c.body_len = 11;
		test_assert_int(build(&c, &out, &err), 0);
		test_assert_str(out.body_encoding, "base64");
		test_assert_int(mime_message_parse_mem(out.data, out.len, NULL, &msg, &err), 0);
		{
			struct str part = STR_INIT;

			test_assert_int(mime_part_decode(msg, "1", 0, &part, &err), 0);
			test_assert(part.len == 11 && memcmp(part.s, "nul\0inside\n", 11) == 0);
			str_free(&part);
		}
		mime_message_free(&msg);
	}
	base(&c);
	test_assert_int(build(&c, &out, &err), 0);
	test_assert(strstr(field(&out, "Content-Type"), "charset=us-ascii") != NULL);
	test_assert_str(field(&out, "Content-Transfer-Encoding"), " 7bit");
	c.body = "café\n";
	c.body_len = strlen(c.body);
	test_assert_int(build(&c, &out, &err), 0);
	test_assert(strstr(field(&out, "Content-Type"), "charset=utf-8") != NULL);
	test_end();

	test_begin("header injection is refused");
	base(&c);
	c.subject = "hi\r\nBcc: evil@example.com";
	test_assert_int(build(&c, &out, &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	c.subject = "hi\nX-Evil: 1";
	test_assert_int(build(&c, &out, &err), -1);
	base(&c);
	c.to = "a@example.org\nBcc: evil@example.com";
	test_assert_int(build(&c, &out, &err), -1);
	base(&c);
	c.from = "me@example.org\r";
	test_assert_int(build(&c, &out, &err), -1);
	base(&c);
	c.in_reply_to = "<a@b>\r\nBcc: x@y";
	test_assert_int(build(&c, &out, &err), -1);
	base(&c);
	c.references = "<a@b>\nX: y";
	test_assert_int(build(&c, &out, &err), -1);
	base(&c);
	extra[0].name = "X-Note";
	extra[0].value = "one\r\nBcc: evil@example.com";
	c.headers = extra;
	c.n_headers = 1;
	test_assert_int(build(&c, &out, &err), -1);
	extra[0].value = "fine";
	extra[0].name = "Bcc";
	test_assert_int(build(&c, &out, &err), -1);
	extra[0].name = "X-Bad:Name";
	test_assert_int(build(&c, &out, &err), -1);
	extra[0].name = "X Bad";
	test_assert_int(build(&c, &out, &err), -1);
	extra[0].name = "Content-Type";
	test_assert_int(build(&c, &out, &err), -1);
	base(&c);
	att[0].path = bin_path;
	att[0].name = "a\nb.bin";
	att[0].content_type = NULL;
	c.attachments = att;
	c.n_attachments = 1;
	test_assert_int(build(&c, &out, &err), -1);
	att[0].name = NULL;
	att[0].content_type = "text/plain\r\nX: y";
	test_assert_int(build(&c, &out, &err), -1);
	att[0].content_type = "text/plain; charset=evil";
	test_assert_int(build(&c, &out, &err), -1);
	test_end();

	test_begin("bad input");
	base(&c);
	c.from = NULL;
	test_assert_int(build(&c, &out, &err), -1);
	base(&c);
	c.from = "Name Only <>";
	test_assert_int(build(&c, &out, &err), -1);
	base(&c);
	c.body = "caf\xe9";
	c.body_len = 4;
	test_assert_int(build(&c, &out, &err), -1);
	base(&c);
	c.hostname = "bad host";
	test_assert_int(build(&c, &out, &err), -1);
	base(&c);
	c.in_reply_to = "<a b@c>";
	test_assert_int(build(&c, &out, &err), -1);
	base(&c);
	att[0].path = "/nonexistent/file";
	att[0].name = NULL;
	att[0].content_type = NULL;
	c.attachments = att;
	c.n_attachments = 1;
	test_assert_int(build(&c, &out, &err), -1);
	test_assert_int(err.kind, ERR_IO);
	att[0].path = bin_path;
	c.max_attachment_bytes = 10;
	test_assert_int(build(&c, &out, &err), -1);
	test_end();

	test_begin("only Bcc: the To says so, the envelope has them");
	base(&c);
	c.to = NULL;
	c.bcc = "hidden@example.org";
	test_assert_int(build(&c, &out, &err), 0);
	test_assert(field(&out, "To") != NULL &&
	            strstr(field(&out, "To"), "undisclosed-recipients") != NULL);
	test_assert_int(out.n_recipients, 1);
	test_assert_str(out.recipients[0], "hidden@example.org");
	test_assert(strstr(out.data, "hidden@example.org") == NULL);
	test_end();

	test_begin("a draft keeps its Bcc");
	base(&c);
	c.bcc = "hidden@example.org";
	c.keep_bcc = true;
	test_assert_int(build(&c, &out, &err), 0);
	test_assert(field(&out, "Bcc") != NULL && strstr(field(&out, "Bcc"), "hidden@example.org"));
	test_end();

	test_begin("Message-ID, Date, host");
	base(&c);
	c.hostname = NULL;
	test_assert_int(build(&c, &out, &err), 0);
	test_assert(strstr(out.message_id, "@example.org") != NULL);
	{
		const char *first = out.message_id;

		test_assert_int(build(&c, &out, &err), 0);
		test_assert(strcmp(first, out.message_id) != 0);
	}
	c.date = 1057049557;
	test_assert_int(build(&c, &out, &err), 0);
	memset(&sum, 0, sizeof(sum));
	mime_summary_from_header(arena, out.data, out.len, &sum);
	test_assert_int(sum.date, 1057049557);
	test_assert_str(sum.message_id, out.message_id);
	{
		/* RFC 5322 3.3: "Tue, 01 Jul 2003 ..." in English whatever the locale. */
		const char *d = field(&out, "Date");

		test_assert(d != NULL && strncmp(d, " Tue, ", 6) == 0 &&
		            strstr(d, "Jul 2003") != NULL);
	}
	test_end();

	test_begin("a forwarded message goes unencoded as message/rfc822");
	{
		static const char eml[] = "From: a@example.org\nSubject: Lunch?\n\nJa, gern \xc3\xbc\n";
		char eml_path[1024], longline[1200];
		const char *p;

		snprintf(eml_path, sizeof(eml_path), "%s/fwd.eml", test_tmpdir());
		write_file(eml_path, eml, sizeof(eml) - 1);
		base(&c);
		att[0].path = eml_path;
		att[0].name = NULL;
		att[0].content_type = NULL;
		c.attachments = att;
		c.n_attachments = 1;
		test_assert_int(build(&c, &out, &err), 0);
		p = strstr(out.data, "Content-Type: message/rfc822");
		test_assert(p != NULL);
		test_assert(p != NULL && strstr(p, "Content-Transfer-Encoding: 8bit") != NULL);
		test_assert(strstr(out.data, "base64") == NULL);
		test_assert(strstr(out.data, eml) != NULL);
		/* A line too long for 8bit: GMime re-encodes the inner body,
		 * the part itself is still never base64. */
		memset(longline, 'x', sizeof(longline));
		memcpy(longline, "Subject: long\n\n", 16);
		write_file(eml_path, longline, sizeof(longline));
		test_assert_int(build(&c, &out, &err), 0);
		p = strstr(out.data, "Content-Type: message/rfc822");
		test_assert(p != NULL);
		test_assert(p != NULL && strstr(p, "Subject: long") != NULL);
	}
	test_end();

	test_begin("content types from names");
	test_assert_str(mime_compose_guess_type("a.PDF"), "application/pdf");
	test_assert_str(mime_compose_guess_type("photo.jpeg"), "image/jpeg");
	test_assert_str(mime_compose_guess_type("x.tar.gz"), "application/gzip");
	test_assert_str(mime_compose_guess_type("Makefile"), "application/octet-stream");
	test_assert_str(mime_compose_guess_type(".bashrc"), "application/octet-stream");
	test_assert_str(mime_compose_guess_type("x.unknownext"), "application/octet-stream");
	test_end();

	arena_free(&arena);
	mime_shutdown();
	return test_done();
}
