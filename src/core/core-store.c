/*
 * The notmuch store for faces and the core (see the header).
 *
 * Named queries are turned into URLs once, at setup, so resolving a
 * folder name is a lookup and a copy.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/backend-notmuch.h"
#include "backend/backend.h"
#include "base/base-arena.h"
#include "base/base-str.h"
#include "base/base-url.h"
#include "base/base-xalloc.h"
#include "core/core-config.h"
#include "core/core-folder.h"
#include "core/core-request.h"
#include "core/core-store.h"

#define STORE_SCHEME "notmuch://"
#define DELIVER_LOCK_TIMEOUT_MS (30 * 1000)

struct named_query {
	char *name;
	char *url;
};

static struct {
	char *db_path; /* notmuch_db; NULL: notmuch's configuration says */
	struct named_query *queries;
	size_t nqueries;
} settings;

/* Percent-encodes everything but unreserved characters (and '/' in paths). */
static void
append_encoded(struct str *out, const char *s, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
			str_append_char(out, (char)c);
		} else {
			str_append_char(out, '%');
			str_append_char(out, hex[c >> 4]);
			str_append_char(out, hex[c & 15]);
		}
	}
}

int
core_store_is_store(const char *folder)
{
	return folder != NULL && strncasecmp(folder, STORE_SCHEME, strlen(STORE_SCHEME)) == 0;
}

/* notmuch://[rest] with notmuch_db put in when rest names no database. */
static char *
with_db(const char *url)
{
	const char *rest = url + strlen(STORE_SCHEME);
	struct str out = STR_INIT;

	str_append(&out, STORE_SCHEME);
	if (settings.db_path != NULL && rest[0] != '/') {
		if (settings.db_path[0] != '/')
			str_append_char(&out, '/');
		append_encoded(&out, settings.db_path, 1);
	}
	str_append(&out, rest);
	return str_detach(&out);
}

static char *
query_url(const char *query)
{
	struct str out = STR_INIT;
	char *url;

	if (core_store_is_store(query))
		return with_db(query);
	str_append(&out, STORE_SCHEME "?query=");
	append_encoded(&out, query, 0);
	url = with_db(str_cstr(&out));
	str_free(&out);
	return url;
}

void
core_store_reset(void)
{
	for (size_t i = 0; i < settings.nqueries; i++) {
		free(settings.queries[i].name);
		free(settings.queries[i].url);
	}
	free(settings.queries);
	free(settings.db_path);
	memset(&settings, 0, sizeof(settings));
}

void
core_store_setup(const struct config *cfg)
{
	const struct config_record *recs;
	const char *db;
	size_t n;

	core_store_reset();
	db = config_string(cfg, NULL, VAR_NOTMUCH_DB);
	settings.db_path = db != NULL && *db != '\0' ? xstrdup(db) : NULL;
	recs = config_records(cfg, &n);
	for (size_t i = 0; i < n; i++) {
		const struct config_record *r = &recs[i];
		struct named_query *q = NULL;

		if (r->kind != CONFIG_REC_QUERY || r->account != NULL || r->argc < 2)
			continue;
		for (size_t k = 0; k < settings.nqueries && q == NULL; k++)
			if (strcmp(settings.queries[k].name, r->argv[0]) == 0)
				q = &settings.queries[k];
		if (q == NULL) {
			settings.queries = xreallocarray(settings.queries, settings.nqueries + 1,
			                                 sizeof(*settings.queries));
			q = &settings.queries[settings.nqueries++];
			q->name = xstrdup(r->argv[0]);
		} else {
			free(q->url);
		}
		q->url = query_url(r->argv[1]);
	}
}

size_t
core_store_query_count(void)
{
	return settings.nqueries;
}

const char *
core_store_query_name(size_t i)
{
	return i < settings.nqueries ? settings.queries[i].name : NULL;
}

int
core_store_resolve(const char *folder, char **url_r, struct err *err)
{
	const char *rest, *end;
	char *name;

	*url_r = NULL;
	if (!core_store_is_store(folder)) {
		*url_r = xstrdup(folder);
		return 0;
	}
	rest = folder + strlen(STORE_SCHEME);
	end = rest + strcspn(rest, "/?#");
	if (end == rest) {
		*url_r = with_db(folder);
		return 0;
	}
	/* notmuch://NAME: a named query (percent-escapes allowed in the name). */
	if (*end != '\0')
		return err_set(err, ERR_USAGE,
		               "%s: a named query takes nothing after its name (notmuch://NAME)",
		               folder);
	if (url_decode(rest, (size_t)(end - rest), &name) < 0)
		return err_set(err, ERR_USAGE, "%s: bad percent-escape in the query name", folder);
	for (size_t i = 0; i < settings.nqueries; i++) {
		if (strcmp(settings.queries[i].name, name) == 0) {
			*url_r = xstrdup(settings.queries[i].url);
			free(name);
			return 0;
		}
	}
	err_set(err, ERR_USAGE,
	        "%s: no query named %s (define one with \"query %s QUERY\" in the config)", folder,
	        name, name);
	free(name);
	return -1;
}

void
core_store_info_clear(struct core_store_info *info)
{
	free(info->db_path);
	free(info->mail_root);
	free(info->config);
	memset(info, 0, sizeof(*info));
}

int
core_store_init(struct core_store_info *info_r, struct err *err)
{
	struct backend_notmuch_store store;

	memset(info_r, 0, sizeof(*info_r));
	if (backend_notmuch_init(settings.db_path, &store, err) < 0)
		return -1;
	info_r->db_path = store.db_path;
	info_r->mail_root = store.mail_root;
	info_r->config = store.config;
	info_r->created = store.created;
	return 0;
}

int
core_store_deliver(const char *data, size_t len, unsigned flags, time_t date, int lock_timeout_ms,
                   int cancel_fd, struct err *err)
{
	struct backend_params p;
	struct url url;
	char *text = with_db(STORE_SCHEME);
	int rc;

	rc = url_parse(text, &url, err);
	free(text);
	if (rc < 0)
		return -1;
	backend_params_init(&p);
	p.create = 1;
	p.cancel_fd = cancel_fd;
	p.lock_timeout_ms = lock_timeout_ms > 0 ? lock_timeout_ms : DELIVER_LOCK_TIMEOUT_MS;
	rc = backend_notmuch_ops.append(&url, &p, data, len, flags, date, err);
	url_clear(&url);
	return rc;
}

static const char *const *
copy_tags(struct arena *arena, const char *const *tags, size_t n)
{
	const char **out = arena_alloc(arena, (n ? n : 1) * sizeof(*out));

	for (size_t i = 0; i < n; i++)
		out[i] = arena_strdup(arena, tags[i]);
	return out;
}

int
core_store_tag(struct core_folder_handle *h, const size_t *idx, size_t n, const char *const *add,
               size_t nadd, const char *const *remove, size_t nremove, struct err *err)
{
	struct core_request *req;
	uint64_t *ids;

	if (n == 0 || (nadd == 0 && nremove == 0))
		return 0;
	req = core_request_new(CORE_REQ_SET_FLAGS);
	ids = arena_alloc(req->arena, n * sizeof(*ids));
	for (size_t k = 0; k < n; k++) {
		const struct mime_summary *s = core_folder_summary(h, idx[k]);

		if (s == NULL) {
			core_request_free(&req);
			return err_set(err, ERR_INTERNAL, "message %zu is out of range",
			               idx[k] + 1);
		}
		ids[k] = s->id;
	}
	req->u.set_flags.msgs.ids = ids;
	req->u.set_flags.msgs.count = n;
	req->u.set_flags.add_tags = copy_tags(req->arena, add, nadd);
	req->u.set_flags.add_tag_count = nadd;
	req->u.set_flags.remove_tags = copy_tags(req->arena, remove, nremove);
	req->u.set_flags.remove_tag_count = nremove;
	if (core_folder_request(h, req, err) < 0)
		return -1;
	/* The flags that follow from the new tags: the summaries again. */
	for (size_t k = 0; k < n; k++) {
		req = core_request_new(CORE_REQ_FETCH_HEADERS);
		req->u.fetch_headers.first = (uint32_t)idx[k];
		req->u.fetch_headers.count = 1;
		if (core_folder_request(h, req, err) < 0)
			return -1;
	}
	return 0;
}
