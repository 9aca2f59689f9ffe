#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/backend-local-search.h"
#include "base/base-xalloc.h"

/* The argument of `BODY arg` (an atom, or a quoted string with \" and
 * \\), lower-cased; NULL for any other query. */
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
		for (q++; *q != '\0' && *q != '"'; q++) {
			if (*q == '\\' && q[1] != '\0')
				q++;
			str_append_char(&v, (char)tolower((unsigned char)*q));
		}
		if (*q != '"') {
			str_free(&v);
			return NULL;
		}
		q++;
	} else {
		for (; *q != '\0' && *q != ' '; q++)
			str_append_char(&v, (char)tolower((unsigned char)*q));
	}
	while (*q == ' ')
		q++;
	if (*q != '\0' || v.len == 0) {
		str_free(&v);
		return NULL;
	}
	return str_detach(&v);
}

/* Whether the body of the message in data (lower-cased here) holds needle. */
static int
body_holds(struct str *data, const char *needle, size_t nlen)
{
	const char *body;

	for (size_t k = 0; k < data->len; k++)
		data->s[k] = (char)tolower((unsigned char)data->s[k]);
	body = data->len > 0 ? memmem(data->s, data->len, "\n\n", 2) : NULL;
	if (body == NULL)
		return 0;
	body += 2;
	return memmem(body, data->len - (size_t)(body - data->s), needle, nlen) != NULL;
}

int
backend_local_search_body(const struct backend_local_search *s, const char *query,
                          struct arena *arena, uint64_t **ids_r, size_t *count_r, struct err *err)
{
	char *needle = body_query(query);
	const struct backend_progress *job = s->job;
	struct str data = STR_INIT;
	uint64_t *ids;
	size_t n = 0, nlen;
	int ret = -1;

	if (needle == NULL)
		return err_set(err, ERR_UNSUPPORTED,
		               "local folders search bodies only (BODY \"text\"), not %s", query);
	nlen = strlen(needle);
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
		if (body_holds(&data, needle, nlen))
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
