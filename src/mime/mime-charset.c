#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>

#include "base/base-str.h"
#include "mime/mime-charset.h"
#include "mime/mime-gmime.h"
#include "mime/mime-text.h"

/* Labels seen in real mail that neither GMime nor glibc iconv resolve. */
static const struct {
	const char *label;
	const char *iconv;
} charset_aliases[] = {
    {"x-sjis", "SHIFT_JIS"},
    {"x-shift-jis", "SHIFT_JIS"},
    {"shift-jis", "SHIFT_JIS"},
    {"x-euc-jp", "EUC-JP"},
    {"x-gbk", "GBK"},
    {"x-euc-tw", "EUC-TW"},
    {"x-x-big5", "BIG5"},
    {"unicode-1-1-utf-8", "UTF-8"},
    {"x-unicode20utf8", "UTF-8"},
    {"x-mac-roman", "MACINTOSH"},
    {"x-user-defined", "WINDOWS-1252"},
};

int
mime_charset_is_utf8(const char *name)
{
	return name != NULL && (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0);
}

static int
is_latin1_label(const char *name)
{
	static const char *const labels[] = {
	    "iso-8859-1", "iso8859-1",  "iso_8859-1",   "latin1", "l1",      "cp819",
	    "ibm819",     "iso-ir-100", "windows-1252", "cp1252", "x-cp1252"};

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcasecmp(name, labels[i]) == 0)
			return 1;
	return 0;
}

/* Charsets where plain ASCII bytes do not mean ASCII (or mean it only in
 * some shift state), so the ASCII shortcut must not apply. */
static int
is_ascii_unsafe(const char *name)
{
	return strncasecmp(name, "utf-7", 5) == 0 || strncasecmp(name, "utf7", 4) == 0 ||
	       strncasecmp(name, "utf-16", 6) == 0 || strncasecmp(name, "utf-32", 6) == 0 ||
	       strncasecmp(name, "ucs", 3) == 0 || strncasecmp(name, "hz", 2) == 0 ||
	       strncasecmp(name, "iso-2022", 8) == 0 || strncasecmp(name, "csiso2022", 9) == 0;
}

static int
all_ascii(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)data[i] >= 0x80)
			return 0;
	return 1;
}

static iconv_t
open_decoder(const char *declared)
{
	const char *name;
	iconv_t cd;

	(void)mime_gmime_options(); /* GMime's charset tables */
	name = g_mime_charset_iconv_name(declared);
	cd = iconv_open("UTF-8", name);
	if (cd != (iconv_t)-1)
		return cd;
	for (size_t i = 0; i < sizeof(charset_aliases) / sizeof(charset_aliases[0]); i++)
		if (strcasecmp(declared, charset_aliases[i].label) == 0)
			return iconv_open("UTF-8", charset_aliases[i].iconv);
	return iconv_open("UTF-8", declared);
}

/* One iconv() call writing at the end of out, grown first; with *inleft
 * 0 it writes what ends the shift state.  iconv()'s answer. */
static size_t
iconv_into(iconv_t cd, char **in, size_t *inleft, struct str *out)
{
	char *o;
	size_t oleft, r;

	str_reserve(out, *inleft * 2 + 64);
	o = out->s + out->len;
	oleft = out->cap - out->len - 1;
	if (*inleft > 0)
		r = iconv(cd, in, inleft, &o, &oleft);
	else
		r = iconv(cd, NULL, NULL, &o, &oleft);
	out->len = (size_t)(o - out->s);
	return r;
}

/*
 * Runs iconv over the input.  Strict: returns -1 at the first bad byte
 * (out is then truncated back).  Lenient: each bad byte becomes U+FFFD and
 * is counted in *errors_r.
 */
static int
run_iconv(iconv_t cd, struct str *out, const char *data, size_t len, int lenient, size_t *errors_r)
{
	char *in = (char *)data;
	size_t inleft = len, start = out->len, errors = 0;
	int flushed = 0;

	iconv(cd, NULL, NULL, NULL, NULL);
	for (;;) {
		if (iconv_into(cd, &in, &inleft, out) != (size_t)-1) {
			/* All converted: one more call writes the closing
			 * shift sequence, then it is done. */
			if (inleft == 0 && flushed++)
				break;
			continue;
		}
		if (errno == E2BIG)
			continue;
		if (!lenient) {
			out->len = start;
			out->s[out->len] = '\0';
			return -1;
		}
		/* EILSEQ or EINVAL (a character cut off at the end). */
		str_append(out, "\xef\xbf\xbd");
		errors++;
		in++;
		inleft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	out->s[out->len] = '\0';
	if (errors_r != NULL)
		*errors_r = errors;
	return 0;
}

/*
 * Open descriptors for mime_charset_decode_strict(), shared by every
 * thread without a lock: a slot is taken by moving it from READY to BUSY
 * and given back by moving it to READY again.  A slot is filled once
 * (EMPTY -> FILLING -> READY) and never emptied, so its label can be read
 * whenever it is READY or BUSY, and the EMPTY slots are always the last
 * ones.  Header decoding needs a handful of charsets; a descriptor that
 * finds no slot (all taken, or all in use) is closed after its one use.
 */
enum { SLOT_EMPTY, SLOT_FILLING, SLOT_READY, SLOT_BUSY };
#define DECODER_SLOTS 16
#define DECODER_LABEL_MAX 40

static struct decoder_slot {
	atomic_int state;
	size_t label_len;
	char label[DECODER_LABEL_MAX];
	iconv_t cd;
} decoder_slots[DECODER_SLOTS];

static struct decoder_slot *
decoder_take(const char *label, size_t label_len)
{
	for (size_t i = 0; i < DECODER_SLOTS; i++) {
		struct decoder_slot *d = &decoder_slots[i];
		int state = atomic_load_explicit(&d->state, memory_order_acquire);

		if (state == SLOT_EMPTY)
			break;
		if (state == SLOT_FILLING || d->label_len != label_len ||
		    strncasecmp(d->label, label, label_len) != 0)
			continue;
		state = SLOT_READY;
		if (atomic_compare_exchange_strong_explicit(
		        &d->state, &state, SLOT_BUSY, memory_order_acquire, memory_order_relaxed))
			return d;
	}
	return NULL;
}

/* Keeps a descriptor for later, or closes it when no slot is free. */
static void
decoder_park(iconv_t cd, const char *label, size_t label_len)
{
	for (size_t i = 0; i < DECODER_SLOTS; i++) {
		struct decoder_slot *d = &decoder_slots[i];
		int state = SLOT_EMPTY;

		if (atomic_compare_exchange_strong_explicit(&d->state, &state, SLOT_FILLING,
		                                            memory_order_acquire,
		                                            memory_order_relaxed)) {
			memcpy(d->label, label, label_len);
			d->label_len = label_len;
			d->cd = cd;
			atomic_store_explicit(&d->state, SLOT_READY, memory_order_release);
			return;
		}
	}
	iconv_close(cd);
}

int
mime_charset_decode_strict(struct str *out, const char *data, size_t len, const char *label,
                           size_t label_len)
{
	struct decoder_slot *slot;
	iconv_t cd;
	int r;

	if (label_len == 0 || label_len >= DECODER_LABEL_MAX)
		return -1;
	slot = decoder_take(label, label_len);
	if (slot != NULL) {
		cd = slot->cd;
	} else {
		char name[DECODER_LABEL_MAX];

		memcpy(name, label, label_len);
		name[label_len] = '\0';
		(void)mime_gmime_options(); /* GMime's charset tables */
		cd = iconv_open("UTF-8", g_mime_charset_iconv_name(name));
		if (cd == (iconv_t)-1)
			return -1;
	}
	r = run_iconv(cd, out, data, len, 0, NULL);
	if (slot != NULL)
		atomic_store_explicit(&slot->state, SLOT_READY, memory_order_release);
	else
		decoder_park(cd, label, label_len);
	return r;
}

unsigned
mime_charset_to_utf8(struct str *out, const char *data, size_t len, const char *declared,
                     const char **used_r)
{
	const char *used = declared;
	unsigned result = 0;
	iconv_t cd = (iconv_t)-1;
	size_t start = out->len, errors = 0;

	if (declared != NULL &&
	    (*declared == '\0' || strcasecmp(declared, "us-ascii") == 0 ||
	     strcasecmp(declared, "ascii") == 0 || strcasecmp(declared, "ANSI_X3.4-1968") == 0))
		declared = NULL; /* 8-bit text labelled ASCII is as good as unlabelled */
	str_reserve(out, len);
	if (declared != NULL && (!is_ascii_unsafe(declared) || len == 0) && all_ascii(data, len)) {
		str_append_len(out, data, len);
		goto out;
	}
	if (declared == NULL) {
		/* RFC 2045 says us-ascii; 8-bit text without a label is a guess. */
		if (all_ascii(data, len)) {
			used = "US-ASCII";
			str_append_len(out, data, len);
		} else if (mime_utf8_valid(data, len)) {
			used = "UTF-8";
			result = MIME_CHARSET_FALLBACK;
			str_append_len(out, data, len);
		} else {
			used = "windows-1252";
			result = MIME_CHARSET_FALLBACK;
			mime_text_cp1252_to_utf8(out, data, len);
		}
		goto out;
	}
	if (is_latin1_label(declared)) {
		/* Valid UTF-8 with 8-bit bytes is almost never meant as
		 * latin1 ("Ã©"): a mislabelled UTF-8 message is far likelier. */
		if (mime_utf8_valid(data, len)) {
			used = "UTF-8";
			result = MIME_CHARSET_FALLBACK;
			str_append_len(out, data, len);
		} else {
			mime_text_cp1252_to_utf8(out, data, len);
		}
		goto out;
	}
	if (mime_charset_is_utf8(declared) && mime_utf8_valid(data, len)) {
		str_append_len(out, data, len);
		goto out;
	}
	cd = open_decoder(declared);
	if (cd != (iconv_t)-1 && !mime_charset_is_utf8(declared) &&
	    run_iconv(cd, out, data, len, 0, NULL) == 0)
		goto out;
	if (mime_utf8_valid(data, len)) {
		used = "UTF-8";
		result = MIME_CHARSET_FALLBACK;
		str_append_len(out, data, len);
		goto out;
	}
	if (cd != (iconv_t)-1 && mime_charset_is_utf8(declared) &&
	    !mime_utf8_valid(data, mime_utf8_cut(data, len))) {
		/* "UTF-8" text that is not, before its last character, is
		 * nearly always windows-1252 under the wrong label. */
		iconv_close(cd);
		cd = (iconv_t)-1;
	}
	if (cd != (iconv_t)-1) {
		/* The label is probably right and the text a little damaged
		 * (or cut inside its last character): keep the label when
		 * only a few bytes are bad. */
		if (run_iconv(cd, out, data, len, 1, &errors) == 0 && errors <= len / 64 + 1) {
			result = MIME_CHARSET_ERRORS;
			goto out;
		}
		out->len = start;
		out->s[start] = '\0';
	}
	used = "windows-1252";
	result = MIME_CHARSET_FALLBACK;
	mime_text_cp1252_to_utf8(out, data, len);
out:
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	str_append_len(out, "", 0);
	if (used_r != NULL)
		*used_r = used;
	return result;
}

void
mime_charset_from_utf8(struct str *out, const char *utf8, size_t len, const char *target)
{
	iconv_t cd;
	char *in = (char *)utf8;
	size_t inleft = len;
	int flushed = 0;

	if (target == NULL || *target == '\0' || mime_charset_is_utf8(target) ||
	    (!is_ascii_unsafe(target) && all_ascii(utf8, len))) {
		str_append_len(out, utf8, len);
		return;
	}
	cd = iconv_open(target, "UTF-8");
	if (cd == (iconv_t)-1) {
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)utf8[i];

			if (c < 0x80)
				str_append_char(out, (char)c);
			else if ((c & 0xc0) != 0x80)
				str_append_char(out, '?');
		}
		str_append_len(out, "", 0);
		return;
	}
	for (;;) {
		if (iconv_into(cd, &in, &inleft, out) != (size_t)-1) {
			/* All converted: one more call writes the closing
			 * shift sequence, then it is done. */
			if (inleft == 0 && flushed++)
				break;
			continue;
		}
		if (errno == E2BIG)
			continue;
		/* A character the target cannot hold: one '?' for the whole
		 * UTF-8 sequence. */
		str_append_char(out, '?');
		do {
			in++;
			inleft--;
		} while (inleft > 0 && ((unsigned char)*in & 0xc0) == 0x80);
	}
	iconv_close(cd);
	out->s[out->len] = '\0';
}
