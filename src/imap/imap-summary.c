#include "config.h"

#include <string.h>

#include "base/base-str.h"
#include "imap/imap-summary.h"
#include "mime/mime-header.h"

/* As mime-summary.c: a folder line never shows more. */
#define SUMMARY_TEXT_MAX 1024

unsigned
imap_summary_flags(const struct imap_flags *flags)
{
	unsigned f = 0;

	if (flags->bits & IMAP_FLAG_SEEN)
		f |= MIME_FLAG_SEEN;
	if (flags->bits & IMAP_FLAG_ANSWERED)
		f |= MIME_FLAG_ANSWERED;
	if (flags->bits & IMAP_FLAG_FLAGGED)
		f |= MIME_FLAG_FLAGGED;
	if (flags->bits & IMAP_FLAG_DELETED)
		f |= MIME_FLAG_DELETED;
	if (flags->bits & IMAP_FLAG_DRAFT)
		f |= MIME_FLAG_DRAFT;
	if (flags->bits & IMAP_FLAG_FORWARDED)
		f |= MIME_FLAG_PASSED;
	if (flags->bits & IMAP_FLAG_RECENT)
		f |= MIME_FLAG_RECENT;
	return f;
}

static const char *
decode_text(struct arena *arena, const char *raw)
{
	if (raw == NULL)
		return "";
	return mime_header_decode_text(arena, raw, strlen(raw), SUMMARY_TEXT_MAX);
}

/* mailbox@host of an address; "" for group markers. */
static const char *
address_of(struct arena *arena, const struct imap_address *a)
{
	if (a->mailbox == NULL || a->host == NULL)
		return "";
	return mime_header_decode_text(arena, arena_printf(arena, "%s@%s", a->mailbox, a->host),
				       strlen(a->mailbox) + 1 + strlen(a->host), SUMMARY_TEXT_MAX);
}

/* "Name <addr>, addr2": group markers are left out, their members stay. */
static const char *
address_list(struct arena *arena, const struct imap_addresses *list)
{
	struct str s = STR_INIT;
	const char *r;

	for (size_t i = 0; i < list->n && s.len < SUMMARY_TEXT_MAX; i++) {
		const struct imap_address *a = &list->v[i];
		const char *addr = address_of(arena, a);
		const char *name = a->name != NULL ? decode_text(arena, a->name) : "";

		if (addr[0] == '\0')
			continue;
		if (s.len > 0)
			str_append(&s, ", ");
		if (name[0] != '\0')
			str_appendf(&s, "%s <%s>", name, addr);
		else
			str_append(&s, addr);
	}
	r = arena_strndup(arena, str_cstr(&s), s.len);
	str_free(&s);
	return r;
}

static void
from_envelope(struct arena *arena, const struct imap_envelope *e, struct mime_summary *sum)
{
	for (size_t i = 0; i < e->from.n; i++) {
		const struct imap_address *a = &e->from.v[i];

		if (a->host == NULL)
			continue; /* a group marker */
		sum->from_addr = address_of(arena, a);
		sum->from_name = a->name != NULL ? decode_text(arena, a->name) : "";
		if (sum->from_name[0] == '\0')
			sum->from_name = sum->from_addr;
		break;
	}
	sum->to = address_list(arena, &e->to);
	sum->cc = address_list(arena, &e->cc);
	sum->subject = decode_text(arena, e->subject);
	if (e->date != NULL)
		sum->date = mime_header_date(e->date, strlen(e->date));
	if (e->message_id != NULL)
		sum->message_id = mime_header_msgid(arena, e->message_id, strlen(e->message_id));
	if (e->in_reply_to != NULL)
		sum->in_reply_to = mime_header_msgid(arena, e->in_reply_to, strlen(e->in_reply_to));
}

static const struct imap_fetch_body *
header_section(const struct imap_fetch *f)
{
	for (size_t i = 0; i < f->n_sections; i++) {
		const struct imap_fetch_body *b = &f->sections[i];

		if (b->data == NULL || b->has_origin)
			continue;
		if (b->kind == IMAP_SECTION_RFC822_HEADER || b->kind == IMAP_SECTION_RFC822)
			return b;
		if (b->kind == IMAP_SECTION_BODY &&
		    (b->section[0] == '\0' || strncmp(b->section, "HEADER", 6) == 0))
			return b;
	}
	return NULL;
}

int
imap_summary_from_fetch(struct arena *arena, const struct imap_fetch *f,
			struct mime_summary *sum)
{
	const struct imap_fetch_body *hdr = header_section(f);
	int r = 0;

	memset(sum, 0, sizeof(*sum));
	if (hdr != NULL)
		mime_summary_from_header(arena, hdr->data, (size_t)hdr->len, sum);
	else if (f->present & IMAP_FETCH_ENVELOPE)
		from_envelope(arena, f->envelope, sum);
	else
		r = -1;
	if (f->present & IMAP_FETCH_UID)
		sum->id = f->uid;
	if (f->present & IMAP_FETCH_FLAGS)
		sum->flags = imap_summary_flags(&f->flags);
	if (f->present & IMAP_FETCH_INTERNALDATE)
		sum->received = f->internaldate_time;
	if (f->present & IMAP_FETCH_RFC822_SIZE)
		sum->size = f->rfc822_size;
	if (sum->date == 0)
		sum->date = sum->received;
#define NONNULL(x)                                                                            \
	if ((x) == NULL)                                                                      \
	(x) = ""
	NONNULL(sum->from_name);
	NONNULL(sum->from_addr);
	NONNULL(sum->to);
	NONNULL(sum->cc);
	NONNULL(sum->subject);
	NONNULL(sum->message_id);
	NONNULL(sum->in_reply_to);
	NONNULL(sum->references);
	NONNULL(sum->list_post);
#undef NONNULL
	return r;
}
