#include "config.h"

#include <string.h>

#include "mime/mime-header.h"
#include "mime/mime-summary.h"

/* A folder line shows far less than this; the bound keeps a 200 KB
 * Subject or a 5,000-address To from costing anything. */
#define SUMMARY_TEXT_MAX 1024

enum {
	F_FROM,
	F_TO,
	F_CC,
	F_SUBJECT,
	F_DATE,
	F_MESSAGE_ID,
	F_IN_REPLY_TO,
	F_REFERENCES,
	F_LIST_POST,
	F_COUNT
};

static const char *const field_names[F_COUNT] = {
    "From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "List-Post",
};
static const unsigned char field_lens[F_COUNT] = {4, 2, 2, 7, 4, 10, 11, 10, 9};

static void
summary_build(struct arena *arena, const char *data, size_t len, struct mime_summary *summary)
{
	struct mime_header_field fields[F_COUNT], f;
	/* One set of buffers for all nine values. */
	struct mime_header_scratch sc = MIME_HEADER_SCRATCH_INIT;
	int seen[F_COUNT] = {0};
	size_t pos = 0;
	int found = 0;

	while (found < F_COUNT && mime_header_next(data, len, &pos, &f) == 1) {
		int i;

		/* The first letter rules out most fields cheaply. */
		switch (f.name[0] | 0x20) {
		case 'f':
			i = F_FROM;
			break;
		case 't':
			i = F_TO;
			break;
		case 'c':
			i = F_CC;
			break;
		case 's':
			i = F_SUBJECT;
			break;
		case 'd':
			i = F_DATE;
			break;
		case 'm':
			i = F_MESSAGE_ID;
			break;
		case 'i':
			i = F_IN_REPLY_TO;
			break;
		case 'r':
			i = F_REFERENCES;
			break;
		case 'l':
			i = F_LIST_POST;
			break;
		default:
			continue;
		}
		/* The first occurrence wins, as it does for most readers.  Most
		 * names come in their usual case: compared as bytes first. */
		if (seen[i] || f.name_len != field_lens[i] ||
		    (memcmp(f.name, field_names[i], field_lens[i]) != 0 &&
		     !mime_header_name_is(&f, field_names[i])))
			continue;
		seen[i] = 1;
		fields[i] = f;
		found++;
	}

	summary->from_name = "";
	summary->from_addr = "";
	if (seen[F_FROM]) {
		mime_header_first_mailbox_with(&sc, arena, fields[F_FROM].value,
		                               fields[F_FROM].value_len, &summary->from_name,
		                               &summary->from_addr);
		if (*summary->from_name == '\0')
			summary->from_name = summary->from_addr;
	}
#define TEXT(i, fn)                                                                                \
	(seen[i] ? fn(&sc, arena, fields[i].value, fields[i].value_len, SUMMARY_TEXT_MAX) : "")
#define IDS(i, fn) (seen[i] ? fn(arena, fields[i].value, fields[i].value_len) : "")
	summary->to = TEXT(F_TO, mime_header_decode_addresses_with);
	summary->cc = TEXT(F_CC, mime_header_decode_addresses_with);
	summary->subject = TEXT(F_SUBJECT, mime_header_decode_text_with);
	summary->message_id = IDS(F_MESSAGE_ID, mime_header_msgid);
	summary->in_reply_to = IDS(F_IN_REPLY_TO, mime_header_msgid);
	summary->references = seen[F_REFERENCES]
	                          ? mime_header_msgid_list_with(&sc, arena, fields[F_REFERENCES].value,
	                                                        fields[F_REFERENCES].value_len)
	                          : "";
	summary->list_post = IDS(F_LIST_POST, mime_header_list_post);
#undef TEXT
#undef IDS
	mime_header_scratch_free(&sc);
	summary->date =
	    seen[F_DATE] ? mime_header_date(fields[F_DATE].value, fields[F_DATE].value_len) : 0;
	/* The contract: no usable Date means the arrival time, when the
	 * caller has already set it. */
	if (summary->date == 0)
		summary->date = summary->received;
}

void
mime_summary_from_header(struct arena *arena, const char *data, size_t len,
                         struct mime_summary *summary)
{
	summary_build(arena, data, len, summary);
}
