/* Summaries from header blocks, and the header scanner under them. */
#include "config.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "mime-test-util.h"
#include "mime/mime-header.h"
#include "mime/mime-message.h"
#include "mime/mime-summary.h"
#include "test-common.h"

/*
 * Encoded words in charsets other than UTF-8 and the latin1 family, read
 * without GMime, and shapes left to GMime; the expected values are what
 * GMime's decoders give.
 */
static const struct {
	const char *raw, *text;
} other_words[] = {
    {"=?KOI8-R?B?8NLJ18XU?=", "Привет"},
    {"Re: =?koi8-r?q?=F0=D2=C9=D7=C5=D4?= =?KOI8-R?B?8NLJ18XU?=",
     "Re: ПриветПривет"},
    /* One character split between two words: their bytes are joined
     * before the charset is read. */
    {"=?ISO-2022-JP?B?GyRCMnE=?= =?ISO-2022-JP?B?NUQbKEI=?=", "会議"},
    /* A word that does not return to ASCII at its end. */
    {"=?ISO-2022-JP?B?GyRCMnE=?=", "会"},
    {"=?gb2312?B?zfXR8w==?=", "王洋"},
    {"=?euc-kr?B?vsiz5w==?=", "안녕"},
    {"=?utf-8?q?a?=", "a"},
    /* Left to GMime: charsets that change between adjacent words, unknown
     * charsets, B text without its padding, lower-case hex, a control
     * character. */
    {"=?koi8-r?B?8NLJ18XU?= =?utf-8?q?=C3=A9?=", "Приветé"},
    {"=?x-unknown?q?abc?=", "abc"},
    {"=?utf-8?B?R3LDvMOfZQ?=", "Grüß"},
    {"=?utf-8?q?=c3=a9?=", "é"},
    {"=?koi8-r?q?a=01b?=", "a^Ab"},
};

static struct mime_summary
summarise(struct arena *arena, const char *hdr)
{
	struct mime_summary s;

	memset(&s, 0, sizeof(s));
	mime_summary_from_header(arena, hdr, strlen(hdr), &s);
	return s;
}

/* Whether the summary of only the From, Subject and Date fields of
 * hdr[0..len) (what a listing asks an IMAP server for, in the header's
 * order and spelling) shows as the summary of the whole header does. */
static int
listing_matches(struct arena *arena, const char *hdr, size_t len)
{
	static const char *const shown[] = {"From", "Subject", "Date"};
	struct mime_summary full, part;
	struct mime_header_field f;
	struct str only = STR_INIT;
	size_t pos = 0;
	int same;

	while (mime_header_next(hdr, len, &pos, &f) == 1)
		for (size_t k = 0; k < sizeof(shown) / sizeof(shown[0]); k++)
			if (mime_header_name_is(&f, shown[k])) {
				str_append_len(&only, f.name, (size_t)(f.value + f.value_len - f.name));
				str_append(&only, "\r\n");
			}
	memset(&full, 0, sizeof(full));
	memset(&part, 0, sizeof(part));
	mime_summary_from_header(arena, hdr, len, &full);
	mime_summary_from_header(arena, only.s != NULL ? only.s : "", only.len, &part);
	same = strcmp(full.from_name, part.from_name) == 0 &&
	       strcmp(full.from_addr, part.from_addr) == 0 &&
	       strcmp(full.subject, part.subject) == 0 && full.date == part.date;
	if (!same)
		printf("# %s <%s> %s / %s <%s> %s\n", full.from_name, full.from_addr, full.subject,
		       part.from_name, part.from_addr, part.subject);
	str_free(&only);
	return same;
}

/* Reads a whole file (for the corpus); NULL when it cannot. */
static char *
slurp(const char *path, size_t *len_r)
{
	FILE *fp = fopen(path, "rb");
	struct str s = STR_INIT;
	char buf[8192];
	size_t n;

	if (fp == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		str_append_len(&s, buf, n);
	fclose(fp);
	*len_r = s.len;
	return str_detach(&s);
}

/* An address list: decoded whole, and its first mailbox. */
struct addr_case {
	const char *raw, *list, *name, *addr;
};

static void
check_addresses(struct arena *arena, const struct addr_case *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *name, *addr;

		test_assert_str(mime_header_decode_addresses(arena, a[i].raw, strlen(a[i].raw), 1024),
		                a[i].list);
		mime_header_first_mailbox(arena, a[i].raw, strlen(a[i].raw), &name, &addr);
		test_assert_str(name, a[i].name);
		test_assert_str(addr, a[i].addr);
	}
}

/* Labels iconv knows, more of them than the decoder keeps open. */
static const char *const many_charsets[] = {
    "koi8-r",      "KOI8-U",      "iso-8859-2",  "iso-8859-5", "iso-8859-7", "iso-8859-9",
    "iso-8859-15", "windows-1250", "windows-1251", "cp866",     "ibm850",     "macintosh",
    "tis-620",     "iso-8859-4",  "iso-8859-13", "koi8-ru",    "gb2312",     "us-ascii",
    "iso-8859-3",  "windows-1257",
};

struct decode_job {
	unsigned seed;
	int mismatches;
};

/* Decodes "x =?CS?Q?abc_def?= y" (ASCII reads the same in all of them). */
static int
decode_ascii_in(struct arena *a, const char *charset)
{
	char raw[64];

	snprintf(raw, sizeof(raw), "x =?%s?Q?abc_def?= y", charset);
	return strcmp(mime_header_decode_text(a, raw, strlen(raw), 1024), "x abc def y") == 0;
}

/* Decodes in the first charsets of the list many times, in an order of its
 * own.  (Only charsets whose descriptors are already open: opening one
 * loads a gconv module, which a thread sanitizer cannot follow.) */
static void *
decode_many(void *arg)
{
	struct decode_job *job = arg;
	struct arena *a = arena_new();
	size_t n = 8;

	for (size_t i = 0; i < 400; i++) {
		const char *got;

		if (!decode_ascii_in(a, many_charsets[(i * 7 + job->seed * 3) % n]))
			job->mismatches++;
		/* A stateful charset, whose descriptor must start afresh. */
		got = mime_header_decode_text(a, other_words[2].raw, strlen(other_words[2].raw),
		                              1024);
		if (strcmp(got, other_words[2].text) != 0)
			job->mismatches++;
		arena_reset(a);
	}
	arena_free(&a);
	return NULL;
}

int
main(void)
{
	struct arena *arena = arena_new();
	struct mime_summary s;

	mime_init();

	test_begin("a typical header");
	s = summarise(arena, "Received: from x\n\tby y\n"
	                     "From: =?utf-8?q?J=C3=BCrgen?= <j@example.org>\n"
	                     "To: Ann <a@example.org>,\n bob@example.org\n"
	                     "Cc: =?iso-8859-1?q?Ren=E9?= <r@example.org>\n"
	                     "Subject: =?utf-8?b?R3LDvMOfZQ==?= again\n"
	                     "Date: Tue, 01 Jul 2003 10:52:37 +0200\n"
	                     "Message-ID: <abc@example.org>\n"
	                     "In-Reply-To: <p1@x> <p2@x>\n"
	                     "References: <r1@x>\n <p1@x>\n"
	                     "List-Post: <mailto:list@example.org>\n"
	                     "\n"
	                     "Subject: in the body, not a header\n");
	test_assert_str(s.from_name, "Jürgen");
	test_assert_str(s.from_addr, "j@example.org");
	test_assert_str(s.to, "Ann <a@example.org>, bob@example.org");
	test_assert_str(s.cc, "René <r@example.org>");
	test_assert_str(s.subject, "Grüße again");
	test_assert_int(s.date, 1057049557);
	test_assert_str(s.message_id, "abc@example.org");
	test_assert_str(s.in_reply_to, "p1@x");
	test_assert_str(s.references, "<r1@x> <p1@x>");
	test_assert_str(s.list_post, "list@example.org");
	test_end();

	test_begin("nothing known");
	s = summarise(arena, "X-Other: 1\n\nbody");
	test_assert_str(s.from_name, "");
	test_assert_str(s.from_addr, "");
	test_assert_str(s.subject, "");
	test_assert_str(s.to, "");
	test_assert_str(s.message_id, "");
	test_assert_int(s.date, 0);
	s = summarise(arena, "");
	test_assert_str(s.subject, "");
	test_end();

	test_begin("the caller's fields are kept; no date means the arrival time");
	memset(&s, 0, sizeof(s));
	s.id = 42;
	s.flags = MIME_FLAG_SEEN;
	s.size = 1234;
	s.received = 1000000000;
	mime_summary_from_header(arena, "Subject: x\n", 11, &s);
	test_assert_int(s.id, 42);
	test_assert_int(s.flags, MIME_FLAG_SEEN);
	test_assert_int(s.size, 1234);
	test_assert_int(s.date, 1000000000);
	test_end();

	test_begin("a sender with no name shows the address");
	s = summarise(arena, "From: plain@example.org\n");
	test_assert_str(s.from_name, "plain@example.org");
	test_assert_str(s.from_addr, "plain@example.org");
	s = summarise(arena, "From: \"Quoted, Name\" <q@example.org>, second@example.org\n");
	test_assert_str(s.from_name, "Quoted, Name");
	test_assert_str(s.from_addr, "q@example.org");
	s = summarise(arena, "From: <<<\n");
	test_assert_str(s.from_addr, "");
	test_assert_str(s.from_name, "<<<");
	test_end();

	test_begin("first occurrence wins; names in any case");
	s = summarise(arena, "SUBJECT: first\nsubject: second\nmessage-id: <M@x>\n");
	test_assert_str(s.subject, "first");
	test_assert_str(s.message_id, "M@x");
	test_end();

	test_begin("message ids");
	s = summarise(arena, "Message-ID: no-brackets@x trailing\nIn-Reply-To: junk <a@b> (c)\n");
	test_assert_str(s.message_id, "no-brackets@x");
	test_assert_str(s.in_reply_to, "a@b");
	s = summarise(arena, "Message-ID: <fol\n ded@x>\n");
	test_assert_str(s.message_id, "folded@x");
	s = summarise(arena, "Message-ID: <\x1b[2J@x>\n");
	test_assert_str(s.message_id, "^[[2J@x");
	s = summarise(arena, "Message-ID: <>\nReferences: <> <a@x> <unclosed\n");
	test_assert_str(s.message_id, "");
	test_assert_str(s.references, "<a@x>");
	test_end();

	test_begin("long References keep the first and the last 199");
	{
		struct str h = STR_INIT;
		const char *p;
		int count = 0;

		str_append(&h, "References:");
		for (int i = 0; i < 500; i++)
			str_appendf(&h, " <id%d@x>", i);
		str_append(&h, "\n");
		s = summarise(arena, h.s);
		for (p = s.references; (p = strchr(p, '<')) != NULL; p++)
			count++;
		test_assert_int(count, 200);
		test_assert(strncmp(s.references, "<id0@x> <id301@x> <id302@x>", 27) == 0);
		test_assert_str(s.references + strlen(s.references) - 9, "<id499@x>");
		str_free(&h);
	}
	test_end();

	test_begin("List-Post");
	s = summarise(arena, "List-Post: NO (posting not allowed)\n");
	test_assert_str(s.list_post, "");
	s = summarise(arena, "List-Post: <https://x>, <MAILTO:l@x?subject=a>\n");
	test_assert_str(s.list_post, "l@x");
	test_end();

	test_begin("hostile text is sanitised and bounded");
	{
		struct str h = STR_INIT;

		str_append(&h, "Subject: ");
		for (int i = 0; i < 100000; i++)
			str_append(&h, "\xc3\xa9");
		str_append(&h, "\nTo: ");
		for (int i = 0; i < 5000; i++)
			str_appendf(&h, "=?utf-8?q?N=C3=A9=1B%d?= <u%d@x>, ", i, i);
		str_append(&h, "\n");
		s = summarise(arena, h.s);
		test_assert(strlen(s.subject) <= 1024 + 3);
		test_assert(strcmp(s.subject + strlen(s.subject) - 3, MIME_HEADER_CUT) == 0);
		test_assert(mime_test_terminal_safe(s.subject, strlen(s.subject), 1));
		test_assert(strlen(s.to) <= 1024 + 3);
		test_assert(mime_test_terminal_safe(s.to, strlen(s.to), 1));
		test_assert(strstr(s.to, "Né^[0") != NULL);
		str_free(&h);
	}
	s = summarise(arena, "Subject: a\x1b]0;t\x07\xc2\x9b\xe2\x80\xae"
	                     "b\tc\r\n");
	test_assert_str(s.subject, "a^[]0;t^G<U+009B><U+202E>b c");
	s = summarise(arena, "From: =?utf-8?q?Eve=1B=5B2J?= <e@x>\n");
	test_assert_str(s.from_name, "Eve^[[2J");
	test_end();

	test_begin("a listing's three fields show as the whole header does");
	{
		static const char *const hdrs[] = {
		    "From: A <a@x>\nTo: =?utf-8?q?J=C3=B6rg?= <j@x>, b@y\nCc: \"Q, R\" <q@x>\n"
		    "References: <1@x>\n <2@x> <3@x>\nSubject: s\n",
		    "From: =?koi8-r?B?8NLJ18XU?= <p@x>\r\nSubject: =?utf-8?q?a?=\r\n =?utf-8?q?b?=\r\n",
		    "Subject: first\nFrom: b@y\nSubject: second\nFROM: c@z\n",
		    "To: nobody@x\n",
		    "date: Thu, 1 Jan 1970 00:00:01 +0000\nfrom: \"Eve\" <e@x>\nsubject:\n",
		};
		int ok = 1;

		for (size_t i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++)
			if (!listing_matches(arena, hdrs[i], strlen(hdrs[i]))) {
				printf("# header %zu\n", i);
				ok = 0;
			}
		test_assert(ok);
	}
	{
		/* Every message of the test corpus. */
		const char *top = getenv("top_srcdir");
		char dir[1024], path[2048];
		int ok = 1, n = 0;
		DIR *d;
		struct dirent *de;

		snprintf(dir, sizeof(dir), "%s/tests/data/messages", top ? top : ".");
		d = opendir(dir);
		test_assert(d != NULL);
		while (d != NULL && (de = readdir(d)) != NULL) {
			size_t l = strlen(de->d_name);
			char *data;
			size_t len;

			if (l < 4 || strcmp(de->d_name + l - 4, ".eml") != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			if ((data = slurp(path, &len)) == NULL)
				continue;
			n++;
			if (!listing_matches(arena, data, len)) {
				printf("# %s\n", path);
				ok = 0;
			}
			free(data);
		}
		if (d != NULL)
			closedir(d);
		test_assert(ok);
		test_assert(n >= 40);
	}
	test_end();

	test_begin("dates");
	s = summarise(arena, "Date: Thu, 1 Jan 1970 00:00:01 +0000\n");
	test_assert_int(s.date, 1);
	s = summarise(arena, "Date: 31 Dec 2037 23:59:59 -0800\n");
	test_assert_int(s.date, 2145945599);
	s = summarise(arena, "Date: +9999999999\n");
	test_assert_int(s.date, 0);
	s = summarise(arena, "Date: \n");
	test_assert_int(s.date, 0);
	test_end();

	test_begin("the header scanner");
	{
		const char *h = "From nobody Tue Jul  1 10:52:37 2003\n"
		                "A: 1\n"
		                "  continued\n"
		                "B :2\r\n"
		                "C:\n"
		                "\r\n"
		                "body";
		struct mime_header_field f;
		size_t pos = 0;

		test_assert_int(mime_header_next(h, strlen(h), &pos, &f), 1);
		test_assert(f.name_len == 1 && f.name[0] == 'A');
		test_assert(f.value_len == 14 && strncmp(f.value, " 1\n  continued", 14) == 0);
		test_assert_int(mime_header_next(h, strlen(h), &pos, &f), 1);
		test_assert(mime_header_name_is(&f, "b") && f.value_len == 1 && f.value[0] == '2');
		test_assert_int(mime_header_next(h, strlen(h), &pos, &f), 1);
		test_assert(mime_header_name_is(&f, "C") && f.value_len == 0);
		test_assert_int(mime_header_next(h, strlen(h), &pos, &f), 0);
		test_assert_str(h + pos, "body");
		test_assert_int(mime_header_end(h, strlen(h)), pos);
		test_assert_int(mime_header_end("no colon here\nX: y\n", 19), 0);
		test_assert_int(mime_header_end("X: y\nno colon\n", 14), 5);
		test_assert_int(mime_header_end("X: y", 4), 4);
	}
	test_end();

	test_begin("address lists");
	{
		size_t n;
		const char *list = "a@x, Group: b@x, \"C\" <c@x>;, =?utf-8?q?D?= <d@x>";
		const char **v = mime_header_mailboxes(arena, list, strlen(list), &n);

		test_assert_int(n, 4);
		test_assert_str(v[0], "a@x");
		test_assert_str(v[1], "b@x");
		test_assert_str(v[2], "c@x");
		test_assert_str(v[3], "d@x");
		test_assert(v[4] == NULL);
		v = mime_header_mailboxes(arena, "", 0, &n);
		test_assert_int(n, 0);
		test_assert(v[0] == NULL);
	}
	test_end();
	/* The shapes read without GMime's address parser and date parser must
	 * come out as GMime reads them; the expected values are GMime's. */
	test_begin("plain addresses and dates read as GMime reads them");
	{
		static const struct addr_case a[] = {
		    {"Alice Example <alice@example.org>",
			     "Alice Example <alice@example.org>", "Alice Example", "alice@example.org"},
		    {"bob@example.org",
			     "bob@example.org", "", "bob@example.org"},
		    {"<carol@example.org>",
			     "<carol@example.org>", "", "carol@example.org"},
		    {"Foo Bar <A.B@EXAMPLE.ORG>",
			     "Foo Bar <A.B@EXAMPLE.ORG>", "Foo Bar", "A.B@EXAMPLE.ORG"},
		    {"=?UTF-8?Q?Caf=C3=A9_Owner?= <cafe@example.org>",
			     "Caf\xc3""\xa9"" Owner <cafe@example.org>", "Caf\xc3""\xa9"" Owner", "cafe@example.org"},
		    {"=?UTF-8?B?0JDQu9C10LrRgdC10Lk=?= <a@example.ru>",
			     "\xd0""\x90""\xd0""\xbb""\xd0""\xb5""\xd0""\xba""\xd1""\x81""\xd0""\xb5""\xd0""\xb9"" <a@example.ru>", "\xd0""\x90""\xd0""\xbb""\xd0""\xb5""\xd0""\xba""\xd1""\x81""\xd0""\xb5""\xd0""\xb9""", "a@example.ru"},
		    {"=?ISO-2022-JP?B?GyRCQ2ZCPBsoQiAbJEJCZ0plGyhC?= <j@example.jp>",
			     "\xe4""\xb8""\xad""\xe6""\x9d""\x91"" \xe5""\xa4""\xa7""\xe8""\xbc""\x94"" <j@example.jp>", "\xe4""\xb8""\xad""\xe6""\x9d""\x91"" \xe5""\xa4""\xa7""\xe8""\xbc""\x94""", "j@example.jp"},
		    {"=?utf-8?q?a=2C_b?= <x@example.org>",
			     "\"a, b\" <x@example.org>", "a, b", "x@example.org"},
		    {"=?utf-8?q?a=22b?= <x@example.org>",
			     "a\"b <x@example.org>", "a\"b", "x@example.org"},
		    {"=?utf-8?q?a_b?= =?utf-8?q?c?= <x@example.org>",
			     "a bc <x@example.org>", "a bc", "x@example.org"},
		    {"=?utf-8?q?_?= <x@example.org>",
			     "x@example.org", "", "x@example.org"},
		    {"x@xn--caf-dma.example",
			     "x@xn--caf-dma.example", "", "x@caf\xc3""\xa9"".example"},
		    {"=?utf-8?q?x?= <x@b\xc3""\xa9"".example>",
			     "x <x@xn--b-bga.example>", "x", "x@b\xc3""\xa9"".example"},
		    {"Group: a@example.org, d@example.org;",
			     "Group: a@example.org, d@example.org;", "", "a@example.org"},
		    {"\"Doe, John\" <john@example.org>",
			     "\"Doe, John\" <john@example.org>", "Doe, John", "john@example.org"},
		    {"john@example.org (John Doe)",
			     "john@example.org (John Doe)", "John Doe", "john@example.org"},
		    {"=?utf-8?q?X?= <a@example.org>, Plain Name <b@example.org>, c@example.org",
			     "X <a@example.org>, Plain Name <b@example.org>, c@example.org", "X", "a@example.org"},
		    {"=?utf-8?q?X?= <a@example.org>,,b@example.org",
			     "X <a@example.org>, b@example.org", "X", "a@example.org"},
		    {"J. Random <j@example.org>",
			     "J. Random <j@example.org>", "J. Random", "j@example.org"},
		    {"=?utf-8?q?x?=<a@example.org>",
			     "x <a@example.org>", "x", "a@example.org"},
		    {"=?utf-8?q?x?= <a@example.org.>",
			     "x <a@example.org>", "x", "a@example.org"},
		    {"=?utf-8?q?x?=  <a@example.org>",
			     "x <a@example.org>", "x", "a@example.org"},
		    {"<<a@example.org>>",
			     "<<a@example.org>>", "", "a@example.org"},
		};
		static const struct {
			const char *raw;
			long t;
		} d[] = {
		    {"Tue, 05 Mar 2024 14:03:22 +0100", 1709643802},
		    {"5 Mar 2024 14:03:22 -0130", 1709652802},
		    {"Wed, 05 Mar 2024 14:03:22 +0100", 1709643802},
		    {"Sat, 29 Feb 2020 23:59:59 +1400", 1582970399},
		    {"Sun, 29 Feb 2021 10:00:00 +0000", 0},
		    {"Tue, 31 Apr 2024 14:03:22 +0100", 0},
		    {"Tue, 05 Mar 2024 14:03:22 +0100 (CET)", 1709643802},
		    {"Tue, 05 Mar 2024 14:03:60 +0100", 0},
		    {"Tue,  5 Mar 2024 14:03:22 +0100", 1709643802},
		    {"Tue, 05 Mar 2024 14:03 +0100", 1709643780},
		    {"Tue, 29 Feb 2100 14:03:22 +0100", 0},
		    {"Tue, 05 Mar 2024 14:03:22 -0045", 1709650102},
		};

		check_addresses(arena, a, sizeof(a) / sizeof(a[0]));
		for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
			test_assert_int((long)mime_header_date(d[i].raw, strlen(d[i].raw)), d[i].t);
	}
	test_end();
	test_begin("encoded words in other charsets, read as GMime reads them");
	for (size_t i = 0; i < sizeof(other_words) / sizeof(other_words[0]); i++)
		test_assert_str(mime_header_decode_text(arena, other_words[i].raw,
		                                        strlen(other_words[i].raw), 1024),
		                other_words[i].text);
	{
		static const struct addr_case a[] = {
		    {"=?GB2312?B?zfXR8w==?= <z@example.cn>, =?KOI8-R?B?8NLJ18XU?= <p@example.ru>, "
		     "Ann <a@example.org>",
		     "王洋 <z@example.cn>, Привет <p@example.ru>, Ann <a@example.org>", "王洋", "z@example.cn"},
		    {"=?ISO-2022-JP?B?GyRCQ2ZCPBsoQg==?= <n@example.jp>", "中村 <n@example.jp>", "中村",
		     "n@example.jp"},
		    {"=?koi8-r?B?8NLJ18XU?= =?KOI8-R?B?8NLJ18XU?= <p@example.ru>", "ПриветПривет <p@example.ru>", "ПриветПривет",
		     "p@example.ru"},
		    /* An encoded word in the address (GMime's reading of it, as
		     * it was), a language in the label: not the fast road. */
		    {"=?utf-8?b?YQ==?=@example.org", "=?utf-8?Q?=61?=@example.org", "", "=?utf-8?Q?=61?=@example.org"},
		    {"=?utf-8*en?q?abc?= <p@example.ru>", "abc <p@example.ru>", "abc", "p@example.ru"},
		};

		check_addresses(arena, a, sizeof(a) / sizeof(a[0]));
	}
	test_end();

	/* The conversion descriptors are kept open and shared by every
	 * thread: more charsets than are kept (the last ones are opened and
	 * closed each time), twice over, then several threads at once. */
	test_begin("other charsets decoded on several threads at once");
	{
		pthread_t t[4];
		struct decode_job jobs[4];
		int ok = 1;

		for (int round = 0; round < 2; round++)
			for (size_t i = 0; i < sizeof(many_charsets) / sizeof(many_charsets[0]); i++)
				if (!decode_ascii_in(arena, many_charsets[i]))
					ok = 0;

		for (int i = 0; i < 4; i++) {
			jobs[i].seed = (unsigned)i;
			jobs[i].mismatches = 0;
			test_assert(pthread_create(&t[i], NULL, decode_many, &jobs[i]) == 0);
		}
		for (int i = 0; i < 4; i++) {
			pthread_join(t[i], NULL);
			if (jobs[i].mismatches != 0)
				ok = 0;
		}
		test_assert(ok);
	}
	test_end();
	arena_free(&arena);
	mime_shutdown();
	return test_done();
}
