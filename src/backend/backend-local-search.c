#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/backend-local-search.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "mime/mime-message.h"
#include "mime/mime-search.h"

/* The argument of `BODY arg` (an atom, or a quoted string with \" and
 * \\), case-folded; NULL for any other query. */
static char *
body_query(const char *q)
{
	struct str v = STR_INIT;

	while (*q == ' ')
		q++;
	if (strncasecmp(q, "BODY ", 5) != 0)
		return NULL;
	for (q += 5; *q == ' '; q++)
		;
	if (*q == '"') {
		if (str_append_unquoted(&v, &q) < 0) {
			str_free(&v);
			return NULL;
		}
	} else {
		for (; *q != '\0' && *q != ' '; q++)
			str_append_char(&v, *q);
	}
	while (*q == ' ')
		q++;
	if (*q != '\0' || v.len == 0) {
		str_free(&v);
		return NULL;
	}
	{
		char *folded = mime_search_fold(v.s, v.len);

		str_free(&v);
		return folded;
	}
}

/* Whether the text of the message in data holds the folded needle. */
static int
body_holds(const struct str *data, const char *needle)
{
	struct mime_message *msg;
	struct err err;
	int found;

	if (mime_message_parse_mem(data->s, data->len, NULL, &msg, &err) < 0)
		return 0;
	found = mime_search_body(msg, needle);
	mime_message_free(&msg);
	return found;
}

int
backend_local_search_body(const struct backend_local_search *s, const char *query,
                          struct arena *arena, uint64_t **ids_r, size_t *count_r, struct err *err)
{
	char *needle = body_query(query);
	const struct backend_progress *job = s->job;
	struct str data = STR_INIT;
	uint64_t *ids;
	size_t n = 0;
	int ret = -1;

	if (needle == NULL)
		return err_set(err, ERR_UNSUPPORTED,
		               "local folders search bodies only (BODY \"text\"), not %s", query);
	ids = arena_alloc(arena, (s->count ? s->count : 1) * sizeof(*ids));
	for (size_t i = 0; i < s->count; i++) {
		if (job != NULL && job->cancelled != NULL && job->cancelled(job->ctx)) {
			err_set(err, ERR_CANCELLED, "the search was cancelled");
			goto out;
		}
		if (job != NULL && job->report != NULL && (i % 32) == 0)
			job->report(job->ctx, i, s->count, "searching");
		str_reset(&data);
		if (s->fetch(s->folder, i, &data, err) < 0) {
			err_clear(err);
			continue;
		}
		if (body_holds(&data, needle))
			ids[n++] = s->id(s->folder, i);
	}
	*ids_r = ids;
	*count_r = n;
	ret = 0;
out:
	str_free(&data);
	free(needle);
	return ret;
}

void
backend_local_set_job(struct backend_progress *job, const struct backend_progress *progress)
{
	if (progress != NULL)
		*job = *progress;
	else
		memset(job, 0, sizeof(*job));
}
