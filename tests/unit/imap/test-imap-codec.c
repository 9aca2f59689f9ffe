/*
 * Modified UTF-7 both ways (RFC 3501 5.1.3 examples, invalid forms from
 * hostile servers, round trips over random text) and sequence sets (strict
 * parsing of what servers send, compressed and bounded writing).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-arena.h"
#include "base/base-str.h"
#include "imap/imap-seqset.h"
#include "imap/imap-utf7.h"
#include "test-common.h"

static void
dec(const char *in, const char *want)
{
	struct str out = STR_INIT;
	int r = imap_utf7_decode(&out, in, strlen(in));

	if (want == NULL) {
		test_assert_int(r, -1);
		test_assert_int(out.len, 0);
	} else {
		test_assert_int(r, 0);
		test_assert_str(str_cstr(&out), want);
	}
	str_free(&out);
}

static void
enc(const char *in, const char *want)
{
	struct str out = STR_INIT;
	int r = imap_utf7_encode(&out, in, strlen(in));

	if (want == NULL) {
		test_assert_int(r, -1);
	} else {
		test_assert_int(r, 0);
		test_assert_str(str_cstr(&out), want);
	}
	str_free(&out);
}

static void
test_utf7(void)
{
	struct str a = STR_INIT, b = STR_INIT, c = STR_INIT;
	int ok = 1;

	test_begin("modified UTF-7");
	dec("INBOX", "INBOX");
	dec("", "");
	dec("~peter/mail/&U,BTFw-/&ZeVnLIqe-",
	    "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	dec("Entw&APw-rfe", "Entw\xc3\xbcrfe");
	dec("a&-b&-", "a&b&");
	dec("&2D3eAQ-", "\xf0\x9f\x98\x81"); /* a surrogate pair */
	/* Hostile: unterminated, lone surrogates, bad padding, 8-bit, ASCII
	 * in base64, NUL, bad base64 characters. */
	dec("&", NULL);
	dec("&AAAA", NULL);
	dec("&2D3d-", NULL);
	dec("&3gE-", NULL);
	dec("&AGE-", NULL);
	dec("&AAA-", NULL);
	dec("&APw", NULL);
	dec("&APx-", NULL);
	dec("&AP/-", NULL);
	dec("Entw\xc3\xbcrfe", NULL);
	dec("a\tb", NULL);
	dec("&2D0-", NULL);
	{
		struct str big = STR_INIT;

		for (int i = 0; i < 10000; i++)
			str_append(&big, "&-");
		test_assert_int(imap_utf7_decode(&a, big.s, big.len), 0);
		test_assert_int(a.len, 10000);
		str_reset(&a);
		str_free(&big);
	}
	enc("INBOX", "INBOX");
	enc("Entw\xc3\xbcrfe", "Entw&APw-rfe");
	enc("a&b", "a&-b");
	enc("\xe5\x8f\xb0\xe5\x8c\x97", "&U,BTFw-");
	enc("\xf0\x9f\x98\x81", "&2D3eAQ-");
	enc("x\r\ny", "x&AA0ACg-y");
	enc("bad\xff", NULL);
	enc("\xed\xa0\x80", NULL); /* an encoded surrogate */
	enc("\xc0\x80", NULL);     /* overlong NUL */
	/* Round trips over random UTF-8. */
	srand(42);
	for (int round = 0; round < 2000 && ok; round++) {
		str_reset(&a);
		str_reset(&b);
		str_reset(&c);
		for (int i = rand() % 12; i > 0; i--) {
			static const char *const pieces[] = {"a", "&", " ", "~", "\xc3\xbc", "\xe6\x97\xa5",
							     "\xf0\x9f\x98\x81", "-", "/", "\x7f",
							     "\x01", "\xe2\x80\xae"};

			str_append(&a, pieces[rand() % 12]);
		}
		ok = imap_utf7_encode(&b, str_cstr(&a), a.len) == 0 &&
		     imap_utf7_decode(&c, str_cstr(&b), b.len) == 0 && c.len == a.len &&
		     memcmp(str_cstr(&a), str_cstr(&c), a.len) == 0;
	}
	test_assert(ok);
	test_assert(imap_utf8_valid("\xc3\xbc", 2));
	test_assert(!imap_utf8_valid("\xc3", 1));
	test_assert(!imap_utf8_valid("a\0b", 3));
	test_assert(!imap_utf8_valid("\xf4\x90\x80\x80", 4));
	str_free(&a);
	str_free(&b);
	str_free(&c);
	test_end();
}

static void
parse_ok(const char *s, const char *want_ranges, uint64_t count)
{
	struct arena *arena = arena_new();
	struct imap_seqset set;
	struct str out = STR_INIT;
	const char *why = NULL;

	test_assert_int(imap_seqset_parse(arena, s, strlen(s), 100, &set, &why), 0);
	for (size_t i = 0; i < set.n; i++)
		str_appendf(&out, "%s%u-%u", i ? "," : "", set.r[i].lo, set.r[i].hi);
	test_assert_str(str_cstr(&out), want_ranges);
	test_assert(imap_seqset_count(&set) == count);
	str_free(&out);
	arena_free(&arena);
}

static void
parse_bad(const char *s, size_t max)
{
	struct arena *arena = arena_new();
	struct imap_seqset set;
	const char *why = NULL;

	test_assert_int(imap_seqset_parse(arena, s, strlen(s), max, &set, &why), -1);
	test_assert(why != NULL);
	arena_free(&arena);
}

static void
fmt(const uint32_t *ids, size_t n, size_t max, const char *want)
{
	struct str out = STR_INIT;
	size_t pos = 0;

	while (pos < n) {
		size_t used;

		if (out.len)
			str_append_char(&out, ' ');
		used = imap_seqset_format(&out, ids + pos, n - pos, max);
		test_assert(used > 0);
		if (used == 0)
			break;
		pos += used;
	}
	test_assert_str(str_cstr(&out), want);
	str_free(&out);
}

static void
test_seqset(void)
{
	struct arena *arena = arena_new();
	struct imap_seqset set;
	const char *why;

	test_begin("sequence sets");
	parse_ok("1", "1-1", 1);
	parse_ok("1:5,7,9:12", "1-5,7-7,9-12", 10);
	parse_ok("4294967295:1", "1-4294967295", 4294967295u);
	parse_ok("3,3", "3-3,3-3", 2);
	parse_bad("", 100);
	parse_bad("1:3,", 100);
	parse_bad(",1", 100);
	parse_bad("1:*", 100);
	parse_bad("*", 100);
	parse_bad(",,,", 100);
	parse_bad("0", 100);
	parse_bad("1:0", 100);
	parse_bad("4294967296", 100);
	parse_bad("1::2", 100);
	parse_bad("1 2", 100);
	parse_bad("01", 100);
	parse_bad("1,2,3", 2);
	test_assert_int(imap_seqset_parse(arena, "2:4,10", 6, 10, &set, &why), 0);
	test_assert(imap_seqset_contains(&set, 3) && imap_seqset_contains(&set, 10));
	test_assert(!imap_seqset_contains(&set, 5) && !imap_seqset_contains(&set, 1));
	test_assert_int(imap_seqset_nth(&set, 0), 2);
	test_assert_int(imap_seqset_nth(&set, 2), 4);
	test_assert_int(imap_seqset_nth(&set, 3), 10);
	test_assert_int(imap_seqset_nth(&set, 4), 0);
	{
		static const uint32_t a[] = {1, 2, 3, 4, 5, 7, 9, 10, 11, 12};
		static const uint32_t b[] = {5, 3, 1, 2};
		static const uint32_t c[] = {0, 0, 7, 7, 8};
		static const uint32_t d[] = {4294967294u, 4294967295u};
		uint32_t big[3000];

		fmt(a, 10, 8192, "1:5,7,9:12");
		fmt(a, 10, 5, "1:5,7 9:12");
		fmt(a, 10, 1, "1 2 3 4 5 7 9 10 11 12");
		fmt(b, 4, 100, "5,3,1:2");
		fmt(c, 5, 100, "7:8");
		fmt(d, 2, 100, "4294967294:4294967295");
		fmt(c, 2, 100, "");
		/* 3000 scattered UIDs split into commands of at most 8000 bytes. */
		for (int i = 0; i < 3000; i++)
			big[i] = 1000000 + 2 * (uint32_t)i;
		{
			struct str out = STR_INIT;
			size_t pos = 0, pieces = 0, maxlen = 0;

			while (pos < 3000) {
				str_reset(&out);
				pos += imap_seqset_format(&out, big + pos, 3000 - pos, 8000);
				pieces++;
				if (out.len > maxlen)
					maxlen = out.len;
				test_assert(imap_seqset_valid(str_cstr(&out)));
			}
			test_assert(maxlen <= 8000);
			test_assert_int(pieces, 3);
			str_free(&out);
		}
	}
	test_assert(imap_seqset_valid("1:*"));
	test_assert(imap_seqset_valid("*"));
	test_assert(imap_seqset_valid("1,3:5,*:7"));
	test_assert(!imap_seqset_valid(""));
	test_assert(!imap_seqset_valid("1:"));
	test_assert(!imap_seqset_valid("1:2:3"));
	test_assert(!imap_seqset_valid("0"));
	test_assert(!imap_seqset_valid("**"));
	test_assert(!imap_seqset_valid("1 2"));
	test_assert(!imap_seqset_valid("1,,2"));
	test_assert(!imap_seqset_valid("1\r\nX"));
	arena_free(&arena);
	test_end();
}

int
main(void)
{
	test_utf7();
	test_seqset();
	return test_done();
}
