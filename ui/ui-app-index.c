/* The index screen's functions. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/base-xalloc.h"
#include "ui/ui-app.h"
#include "ui/ui-ask.h"

static int
test_undeleted(const struct ui_msg *m, const void *ctx)
{
	(void)ctx;
	return !(m->s.flags & MIME_FLAG_DELETED);
}

static int
test_unread(const struct ui_msg *m, const void *ctx)
{
	(void)ctx;
	return !(m->s.flags & (MIME_FLAG_SEEN | MIME_FLAG_DELETED));
}

static int
test_root(const struct ui_msg *m, const void *ctx)
{
	(void)ctx;
	return m->parent == UI_NONE;
}

static int
test_pattern(const struct ui_msg *m, const void *ctx)
{
	return ui_pattern_match(ctx, m);
}

static void
go(struct ui_app *app, long row, const char *none)
{
	if (row < 0) {
		ui_app_error(app, "%s", none);
		return;
	}
	ui_index_goto(app->idx, row);
}

/* The messages a function acts on: the tagged ones after tag-prefix,
 * else the current one.  Caller frees the array. */
static struct ui_msg **
targets(struct ui_app *app, size_t *n_r)
{
	struct ui_index *idx = app->idx;
	struct ui_msg **v;
	size_t n = 0;

	*n_r = 0;
	if (idx == NULL)
		return NULL;
	if (app->tag_prefix) {
		app->tag_prefix = 0;
		v = xcalloc(idx->counts.tagged + 1, sizeof(*v));
		for (size_t r = 0; r < idx->nrows && n < idx->counts.tagged; r++) {
			struct ui_msg *m = ui_index_row_msg(idx, r);

			if (m != NULL && m->tagged)
				v[n++] = m;
		}
		/* Tagged messages hidden by a limit or a folded thread too. */
		for (size_t i = 0; i < idx->count && n < idx->counts.tagged; i++)
			if (idx->msgs[i].loaded && idx->msgs[i].tagged &&
			    idx->msgs[i].row == UI_NONE)
				v[n++] = &idx->msgs[i];
		*n_r = n;
		return v;
	}
	if (ui_index_current(idx) == NULL) {
		ui_app_error(app,
		             idx->nrows == 0 ? "No messages." : "That message is still loading.");
		return NULL;
	}
	v = xcalloc(1, sizeof(*v));
	v[0] = ui_index_current(idx);
	*n_r = 1;
	return v;
}

/* Sets flags on several messages with one request. */
static void
flags_on(struct ui_app *app, struct ui_msg **v, size_t n, unsigned add, unsigned remove)
{
	struct core_request *req;
	uint64_t *ids;

	if (n == 0 || !ui_app_writable(app))
		return;
	req = core_request_new(CORE_REQ_SET_FLAGS);
	ids = arena_alloc(req->arena, n * sizeof(*ids));
	for (size_t i = 0; i < n; i++) {
		ui_index_set_flags(app->idx, v[i], add, remove);
		ids[i] = v[i]->s.id;
	}
	req->u.set_flags.msgs.ids = ids;
	req->u.set_flags.msgs.count = n;
	req->u.set_flags.add = add;
	req->u.set_flags.remove = remove;
	ui_app_post(app, app->account, req, UI_JOB_FLAGS, NULL);
}

static void
after_mark(struct ui_app *app, size_t n)
{
	long r;

	if (n != 1)
		return;
	r = ui_index_find(app->idx, 1, 0, test_undeleted, NULL);
	if (r >= 0)
		ui_index_goto(app->idx, r);
}

static void
mark(struct ui_app *app, unsigned add, unsigned remove, int resolve)
{
	size_t n;
	struct ui_msg **v = targets(app, &n);

	flags_on(app, v, n, add, remove);
	if (resolve)
		after_mark(app, n);
	if (n > 1)
		ui_app_message(app, "%zu messages changed.", n);
	free(v);
}

/* Toggles flag on the targets: set on all unless the first has it. */
static void
toggle(struct ui_app *app, unsigned flag)
{
	size_t n;
	struct ui_msg **v = targets(app, &n);

	if (n > 0) {
		if (v[0]->s.flags & flag)
			flags_on(app, v, n, 0, flag);
		else
			flags_on(app, v, n, flag, flag == MIME_FLAG_SEEN ? MIME_FLAG_RECENT : 0);
	}
	free(v);
}

struct thread_op {
	struct ui_msg **v;
	size_t n;
};

static void
collect(struct ui_index *idx, struct ui_msg *m, void *ctx)
{
	struct thread_op *op = ctx;

	(void)idx;
	if (!m->loaded)
		return;
	op->v = xreallocarray(op->v, op->n + 1, sizeof(*op->v));
	op->v[op->n++] = m;
}

static void
thread_flags(struct ui_app *app, unsigned add, unsigned remove, int tag)
{
	struct ui_msg *cur = ui_index_current(app->idx);
	struct thread_op op = {NULL, 0};
	uint32_t root;

	if (cur == NULL)
		return;
	root = ui_index_thread_root(app->idx, (uint32_t)(cur - app->idx->msgs));
	ui_index_thread_each(app->idx, root, collect, &op);
	if (tag) {
		int on = !cur->tagged;

		for (size_t i = 0; i < op.n; i++)
			ui_index_set_tag(app->idx, op.v[i], on);
	} else {
		flags_on(app, op.v, op.n, add, remove);
	}
	free(op.v);
	app->dirty = 1;
}

/* The pattern prompts: what to do with each matching message. */
enum pattern_action { PA_TAG, PA_UNTAG, PA_DELETE, PA_UNDELETE };
static enum pattern_action pattern_action;

static void
pattern_done(struct ui_app *app, const char *text, int yes)
{
	struct ui_pattern *p;
	struct err err;
	struct thread_op op = {NULL, 0};
	struct ui_index *idx = app->idx;

	(void)yes;
	if (text == NULL || *text == '\0' || idx == NULL)
		return;
	if (ui_pattern_compile(text, time(NULL), &p, &err) < 0) {
		ui_app_error(app, "%s", err.msg);
		return;
	}
	if (ui_pattern_body_count(p) > 0) {
		/* Limit first (l ~b ...), then tag or delete what is shown (~A). */
		ui_app_error(app, "~b works in limit and search: limit with it, then use ~A.");
		ui_pattern_free(&p);
		return;
	}
	for (size_t i = 0; i < idx->count; i++)
		if (ui_pattern_match(p, &idx->msgs[i]))
			collect(idx, &idx->msgs[i], &op);
	switch (pattern_action) {
	case PA_TAG:
	case PA_UNTAG:
		for (size_t i = 0; i < op.n; i++)
			ui_index_set_tag(idx, op.v[i], pattern_action == PA_TAG);
		break;
	case PA_DELETE:
		flags_on(app, op.v, op.n, MIME_FLAG_DELETED, 0);
		break;
	case PA_UNDELETE:
		flags_on(app, op.v, op.n, 0, MIME_FLAG_DELETED);
		break;
	}
	ui_app_message(app, "%zu message%s matched.", op.n, op.n == 1 ? "" : "s");
	free(op.v);
	ui_pattern_free(&p);
}

static void
ask_pattern(struct ui_app *app, enum pattern_action a, const char *label)
{
	pattern_action = a;
	ui_app_prompt(app, label, NULL, UI_HIST_PATTERN, UI_COMPLETE_NONE, pattern_done);
}

/* Applies a limit whose pattern is complete (any ~b answered). */
static void
limit_apply(struct ui_app *app, struct ui_pattern *p, const char *text)
{
	ui_index_set_limit(app->idx, p, text);
	ui_index_rebuild(app->idx);
	if (app->idx->nrows == 0)
		ui_app_message(app, "No message matches %s.", text);
	else if (ui_pattern_body_count(p) > 0)
		ui_app_message(app, "%zu message%s.", app->idx->nrows,
		               app->idx->nrows == 1 ? " matches" : "s match");
}

static void search(struct ui_app *app, int dir);

void
ui_index_search_reset(struct ui_app *app)
{
	for (struct ui_job *j = app->jobs; j != NULL; j = j->next)
		if (j->kind == UI_JOB_SEARCH && j->gen == app->gen)
			core_job_cancel(j->id);
	ui_pattern_free(&app->body_pat);
	xfree(&app->body_text);
	app->body_pending = 0;
	app->body_failed = 0;
	ui_pattern_free(&app->search_pat);
}

/* Has the store search message bodies for each ~b term of p (which the
 * app keeps): the limit or search happens when the answers are in. */
static void
body_search(struct ui_app *app, struct ui_pattern *p, const char *text, int limit)
{
	size_t n = ui_pattern_body_count(p);

	ui_index_search_reset(app);
	app->body_pat = p;
	app->body_text = xstrdup(text);
	app->body_limit = limit;
	for (size_t i = 0; i < n; i++) {
		struct core_request *req = core_request_new(CORE_REQ_SEARCH);
		struct str q = STR_INIT;
		struct ui_job *job;

		/* IMAP SEARCH syntax, which local folders answer too. */
		str_append(&q, "BODY \"");
		for (const char *c = ui_pattern_body_text(p, i); *c != '\0'; c++) {
			if (*c == '"' || *c == '\\')
				str_append_char(&q, '\\');
			str_append_char(&q, *c);
		}
		str_append_char(&q, '"');
		req->u.search.query = arena_strdup(req->arena, q.s);
		str_free(&q);
		job = ui_app_post(app, app->account, req, UI_JOB_SEARCH, "searching bodies");
		job->purpose = (int)i;
		app->body_pending++;
	}
	ui_app_message(app, "Searching message bodies... (Ctrl-G stops)");
}

void
ui_index_search_result(struct ui_app *app, struct ui_job *job,
                       const struct core_ev_search_result *r)
{
	if (job->gen != app->gen || app->body_pat == NULL)
		return;
	ui_pattern_body_set(app->body_pat, (size_t)job->purpose, r->ids, r->count);
}

void
ui_index_search_done(struct ui_app *app, struct ui_job *job, const struct err *err)
{
	struct ui_pattern *p;
	char *text;

	if (job->gen != app->gen || app->body_pat == NULL || app->body_pending == 0)
		return;
	app->body_pending--;
	if (err != NULL && !app->body_failed) {
		app->body_failed = 1;
		if (err->kind == ERR_CANCELLED)
			ui_app_message(app, "Body search stopped.");
		else
			ui_app_error(app, "Cannot search message bodies: %s", err->msg);
		/* The other terms are of no use now. */
		for (struct ui_job *j = app->jobs; j != NULL; j = j->next)
			if (j->kind == UI_JOB_SEARCH && j != job)
				core_job_cancel(j->id);
	}
	if (app->body_pending > 0)
		return;
	p = app->body_pat;
	text = app->body_text;
	app->body_pat = NULL;
	app->body_text = NULL;
	if (app->body_failed || app->idx == NULL) {
		app->body_failed = 0;
		ui_pattern_free(&p);
		free(text);
		return;
	}
	if (app->body_limit) {
		limit_apply(app, p, text);
	} else {
		ui_pattern_free(&app->search_pat);
		app->search_pat = p;
		free(app->search_text);
		app->search_text = xstrdup(text);
		search(app, app->search_dir);
	}
	free(text);
}

static void
limit_done(struct ui_app *app, const char *text, int yes)
{
	struct ui_pattern *p = NULL;
	struct err err;

	(void)yes;
	if (text == NULL || app->idx == NULL)
		return;
	if (*text == '\0' || strcmp(text, "~A") == 0 || strcmp(text, "all") == 0 ||
	    strcmp(text, ".") == 0) {
		ui_index_set_limit(app->idx, NULL, NULL);
		ui_index_rebuild(app->idx);
		return;
	}
	if (ui_pattern_compile(text, time(NULL), &p, &err) < 0) {
		ui_app_error(app, "%s", err.msg);
		return;
	}
	if (ui_pattern_body_count(p) > 0) {
		body_search(app, p, text, 1);
		return;
	}
	limit_apply(app, p, text);
}

static void
search(struct ui_app *app, int dir)
{
	struct ui_pattern *p;
	struct err err;
	long r;

	if (app->search_text == NULL) {
		ui_app_error(app, "No search yet: press / to search.");
		return;
	}
	if (app->search_pat != NULL) {
		/* A search with ~b: its answers are kept with it. */
		p = app->search_pat;
	} else if (ui_pattern_compile(app->search_text, time(NULL), &p, &err) < 0) {
		ui_app_error(app, "%s", err.msg);
		return;
	}
	r = ui_index_find(app->idx, dir, 1, test_pattern, p);
	if (r < 0)
		ui_app_error(app, "Not found: %s", app->search_text);
	else {
		if ((dir > 0 && (size_t)r <= app->idx->cursor) ||
		    (dir < 0 && (size_t)r >= app->idx->cursor))
			ui_app_message(app, "Search wrapped around.");
		ui_index_goto(app->idx, r);
	}
	if (p != app->search_pat)
		ui_pattern_free(&p);
}

static void
search_done(struct ui_app *app, const char *text, int yes)
{
	struct ui_pattern *p;
	struct err err;

	(void)yes;
	if (text == NULL || *text == '\0')
		return;
	if (ui_pattern_compile(text, time(NULL), &p, &err) < 0) {
		ui_app_error(app, "%s", err.msg);
		return;
	}
	if (ui_pattern_body_count(p) > 0) {
		body_search(app, p, text, 0);
		return;
	}
	ui_pattern_free(&p);
	ui_pattern_free(&app->search_pat);
	free(app->search_text);
	app->search_text = xstrdup(text);
	search(app, app->search_dir);
}

static void
sort_apply(struct ui_app *app, const char *text, int reverse)
{
	static const struct {
		const char *word;
		char key;
		enum ui_sort sort;
	} choices[] = {
	    {"date", 'd', UI_SORT_DATE},       {"date-received", 'r', UI_SORT_RECEIVED},
	    {"from", 'f', UI_SORT_FROM},       {"to", 't', UI_SORT_TO},
	    {"subject", 's', UI_SORT_SUBJECT}, {"size", 'z', UI_SORT_SIZE},
	    {"threads", 'h', UI_SORT_THREADS}, {"mailbox-order", 'u', UI_SORT_ORDER},
	};

	if (text == NULL || *text == '\0')
		return;
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		if ((text[1] == '\0' && text[0] == choices[i].key) ||
		    strcmp(text, choices[i].word) == 0) {
			app->sort = choices[i].sort;
			app->sort_reverse = reverse;
			if (app->idx != NULL) {
				ui_index_set_sort(app->idx, app->sort, app->sort_reverse);
				ui_index_rebuild(app->idx);
			}
			return;
		}
	}
	ui_app_error(app, "Unknown order \"%s\".", text);
}

static void
sort_reverse_done(struct ui_app *app, const char *text, int yes)
{
	(void)yes;
	sort_apply(app, text, 1);
}

static void
sort_forward_done(struct ui_app *app, const char *text, int yes)
{
	(void)yes;
	sort_apply(app, text, 0);
}

static void
jump_done(struct ui_app *app, const char *text, int yes)
{
	char *end;
	long n;

	(void)yes;
	if (text == NULL || *text == '\0' || app->idx == NULL)
		return;
	n = strtol(text, &end, 10);
	if (*end != '\0' || n < 1 || (size_t)n > app->idx->nrows) {
		ui_app_error(app, "No message %s.", text);
		return;
	}
	ui_index_goto(app->idx, n - 1);
}

/* Save and copy. */
static int save_move;

static void
save_done(struct ui_app *app, const char *text, int yes)
{
	struct core_request *req;
	struct ui_msg **v;
	struct ui_job *job;
	uint64_t *ids;
	size_t n;
	char *dest;

	(void)yes;
	if (text == NULL || *text == '\0')
		return;
	dest = ui_app_expand(app, text);
	if (dest == NULL)
		return;
	v = targets(app, &n);
	if (n == 0 || (save_move && !ui_app_writable(app))) {
		free(v);
		free(dest);
		return;
	}
	req = core_request_new(save_move ? CORE_REQ_MOVE : CORE_REQ_COPY);
	ids = arena_alloc(req->arena, n * sizeof(*ids));
	for (size_t i = 0; i < n; i++) {
		ids[i] = v[i]->s.id;
		if (save_move)
			ui_index_set_flags(app->idx, v[i], MIME_FLAG_DELETED, 0);
	}
	req->u.copy.msgs.ids = ids;
	req->u.copy.msgs.count = n;
	req->u.copy.dest_folder = arena_strdup(req->arena, dest);
	job = ui_app_post(app, app->account, req, UI_JOB_COPY, save_move ? "saving" : "copying");
	job->arg = dest;
	if (save_move)
		after_mark(app, n);
	free(v);
}

static void
pipe_done(struct ui_app *app, const char *text, int yes)
{
	struct ui_msg *m;

	(void)yes;
	if (text == NULL || *text == '\0' || app->idx == NULL)
		return;
	m = ui_index_current(app->idx);
	if (m == NULL)
		return;
	ui_app_fetch(app, m, UI_FETCH_PIPE, text);
}

static void
change_done(struct ui_app *app, const char *text, int yes)
{
	char *path;

	(void)yes;
	if (text == NULL || *text == '\0')
		return;
	path = ui_app_expand(app, text);
	if (path == NULL)
		return;
	ui_app_change_folder_to(app, path);
	free(path);
}

/* fetch-mail.  The POP3 mailboxes: every account's pop3_url (the first
 * account naming a URL fetches it, with its own pop3_* settings), else
 * the global pop3_url. */
static void
pop3_list(struct ui_app *app)
{
	size_t n = config_account_count(app->cfg);
	struct ui_strv urls = {NULL, 0};
	const char *url;

	app->pop3_listed = 1;
	for (size_t i = 0; i < n; i++) {
		const struct config_account *acct = config_account_at(app->cfg, i);
		int seen = 0;

		url = config_string(app->cfg, acct, VAR_POP3_URL);
		if (url == NULL || *url == '\0')
			continue;
		for (size_t k = 0; k < urls.n; k++)
			seen |= strcmp(urls.v[k], url) == 0;
		if (seen)
			continue;
		ui_strv_push(&urls, url);
		ui_strv_push(&app->pop3_what, config_account_name(acct));
	}
	url = config_string(app->cfg, NULL, VAR_POP3_URL);
	if (urls.n == 0 && url != NULL && *url != '\0') {
		ui_strv_push(&urls, url);
		ui_strv_push(&app->pop3_what, url);
	}
	for (size_t k = 0; k < urls.n; k++) {
		struct str shown = STR_INIT;

		ui_url_redact(&shown, urls.v[k]);
		ui_strv_push(&app->pop3_shown, shown.s != NULL ? shown.s : "");
		str_free(&shown);
	}
	ui_strv_clear(&urls);
	app->pop3 = xcalloc(app->pop3_what.n ? app->pop3_what.n : 1, sizeof(*app->pop3));
}

static int
is_maildir(const char *path)
{
	char *sub = xasprintf("%s/cur", path);
	struct stat st;
	int yes = stat(sub, &st) == 0 && S_ISDIR(st.st_mode);

	free(sub);
	sub = xasprintf("%s/new", path);
	yes = yes && stat(sub, &st) == 0 && S_ISDIR(st.st_mode);
	free(sub);
	return yes;
}

/*
 * Where mailbox i delivers: its account's spoolfile when that is a
 * maildir (mutt fetches into $spoolfile too), else the notmuch store, as
 * petrel --fetch does (an mbox spoolfile, $MAIL, is the system's).
 */
static int
pop3_params(struct ui_app *app, size_t i, struct core_fetch_params *p, struct err *err)
{
	const struct config_account *acct = config_account_find(app->cfg, app->pop3_what.v[i]);
	const char *spool = config_string(app->cfg, acct, VAR_SPOOLFILE);
	char *path = NULL;

	if (core_fetch_params_from_config(app->cfg, app->pop3_what.v[i], p, err) < 0)
		return -1;
	if (spool != NULL && *spool != '\0' && strstr(spool, "://") == NULL &&
	    config_expand_folder(app->cfg, acct, spool, &path, err) == 0) {
		if (is_maildir(path))
			p->to_maildir = path;
		else
			free(path);
	}
	if (app->ask != NULL) {
		p->prompt = ui_ask_password;
		p->prompt_ctx = app->ask;
	}
	return 0;
}

/* Posts the run of mailbox i; 0 when it is under way. */
static int
pop3_post(struct ui_app *app, size_t i)
{
	struct ui_job *job;
	struct err err;

	if (app->pop3[i] == NULL) {
		struct core_fetch_params p;
		int rc = pop3_params(app, i, &p, &err);

		if (rc == 0)
			rc = core_fetch_new(&p, app->events, &app->pop3[i], &err);
		core_fetch_params_clear(&p);
		if (rc < 0) {
			if (app->pop3_error == NULL)
				app->pop3_error = xasprintf("cannot fetch from %s: %s",
				                            app->pop3_shown.v[i], err.msg);
			return -1;
		}
	}
	job = ui_app_post(app, core_fetch_worker(app->pop3[i]), core_request_new(CORE_REQ_CONNECT),
	                  UI_JOB_POP3, "fetching mail");
	job->msg_index = (uint32_t)i;
	app->pop3_busy = 1;
	if (!app->pop3_quiet)
		ui_app_message(app, "Fetching mail from %s\u2026", app->pop3_shown.v[i]);
	return 0;
}

static void pop3_end(struct ui_app *app);
static void pop3_round(struct ui_app *app);
static long mono_ms(void);

/* Starts the mailboxes from i on; the first that can start runs.  None
 * left: the round ends. */
static void
pop3_next(struct ui_app *app, size_t i)
{
	for (; i < app->pop3_what.n; i++)
		if (pop3_post(app, i) == 0)
			return;
	app->pop3_busy = 0;
	pop3_end(app);
}

void
ui_index_fetch_mail(struct ui_app *app)
{
	if (!app->pop3_listed)
		pop3_list(app);
	if (app->pop3_what.n == 0) {
		ui_app_error(app, "No POP3 server to fetch from: set pop3_url (in an account).");
		return;
	}
	if (app->pop3_busy) {
		ui_app_message(app, "Mail is being fetched already (Ctrl-G stops it).");
		return;
	}
	app->pop3_quiet = 0;
	pop3_round(app);
}

static void
pop3_round(struct ui_app *app)
{
	app->pop3_done = 0;
	app->pop3_new = 0;
	app->pop3_deleted = 0;
	xfree(&app->pop3_server);
	xfree(&app->pop3_error);
	pop3_next(app, 0);
}

/* The next round of pop3_check_interval, counted from now. */
static void
pop3_schedule(struct ui_app *app)
{
	long every = config_number(app->cfg, NULL, VAR_POP3_CHECK_INTERVAL);

	app->pop3_due_ms = every > 0 ? mono_ms() + every * 1000 : 0;
}

int
ui_index_pop3_timeout(const struct ui_app *app)
{
	long left;

	if (app->pop3_due_ms == 0 || app->pop3_busy)
		return -1;
	left = app->pop3_due_ms - mono_ms();
	return left > 0 ? (int)(left < 60000 ? left : 60000) : 0;
}

void
ui_index_pop3_tick(struct ui_app *app)
{
	if (config_number(app->cfg, NULL, VAR_POP3_CHECK_INTERVAL) <= 0)
		return;
	if (app->pop3_due_ms == 0) {
		pop3_schedule(app); /* the first round, an interval after start */
		return;
	}
	if (app->pop3_busy || mono_ms() < app->pop3_due_ms)
		return;
	if (!app->pop3_listed)
		pop3_list(app);
	if (app->pop3_what.n == 0) {
		app->pop3_due_ms = 0;
		return;
	}
	app->pop3_quiet = 1;
	pop3_round(app);
}

static long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* The round's one line, once every mailbox was fetched from. */
static void
pop3_end(struct ui_app *app)
{
	const char *where =
	    app->pop3_done == 1 && app->pop3_server != NULL ? app->pop3_server : NULL;

	app->pop3_said_ms = mono_ms();
	pop3_schedule(app);
	if (app->pop3_error != NULL) {
		/* What came first: the line is cut at the screen's width. */
		if (app->pop3_new > 0)
			ui_app_error(app, "%zu new message%s; %s", app->pop3_new,
			             plural(app->pop3_new), app->pop3_error);
		else
			ui_app_error(app, "%c%s", toupper((unsigned char)app->pop3_error[0]),
			             app->pop3_error + 1);
		return;
	}
	/* A round of its own says only what came (the index shows it too). */
	if (app->pop3_quiet && app->pop3_new == 0)
		return;
	if (app->pop3_new == 0 && app->pop3_deleted == 0) {
		if (where != NULL)
			ui_app_message(app, "No new mail on %s.", where);
		else
			ui_app_message(app, "No new mail on %zu servers.", app->pop3_done);
	} else if (where != NULL && app->pop3_deleted > 0) {
		ui_app_message(app, "%zu new message%s from %s; %zu deleted on the server.",
		               app->pop3_new, plural(app->pop3_new), where, app->pop3_deleted);
	} else if (where != NULL) {
		ui_app_message(app, "%zu new message%s from %s.", app->pop3_new,
		               plural(app->pop3_new), where);
	} else {
		ui_app_message(app, "%zu new message%s from %zu servers.", app->pop3_new,
		               plural(app->pop3_new), app->pop3_done);
	}
}

void
ui_index_pop3_event(struct ui_app *app, struct ui_job *job, const struct core_event *ev)
{
	size_t i = job->msg_index;
	struct core_fetch_result res;
	const struct err *err;

	if (i >= app->pop3_what.n || app->pop3[i] == NULL)
		return;
	switch (ev->type) {
	case CORE_EV_PROGRESS:
		job->done = ev->u.progress.done;
		job->total = ev->u.progress.total;
		if (app->pop3_quiet)
			return; /* the status line's job label says it runs */
		if (ev->u.progress.total > 0)
			ui_app_message(app, "Fetching %llu/%llu from %s",
			               (unsigned long long)ev->u.progress.done,
			               (unsigned long long)ev->u.progress.total,
			               app->pop3_shown.v[i]);
		else if (ev->u.progress.label != NULL && *ev->u.progress.label != '\0')
			ui_app_message(app, "%s\u2026", ev->u.progress.label);
		app->dirty = 1;
		return;
	case CORE_EV_DONE:
	case CORE_EV_ERROR:
		break;
	default:
		return;
	}
	core_fetch_last_result(app->pop3[i], &res);
	app->pop3_done++;
	app->pop3_new += res.fetched;
	app->pop3_deleted += res.deleted;
	if (res.server[0] != '\0') {
		free(app->pop3_server);
		app->pop3_server = xstrdup(res.server);
	}
	if (res.fetched > 0)
		ui_browser_counts_changed(app);
	err = ev->type == CORE_EV_ERROR ? &ev->u.error.err : NULL;
	if (err != NULL && err->kind == ERR_CANCELLED) {
		/* What was committed stays: the run recorded it before it ended. */
		app->pop3_busy = 0;
		app->pop3_said_ms = mono_ms();
		pop3_schedule(app);
		ui_app_message(app, "Fetching cancelled: %zu new message%s stored.", app->pop3_new,
		               plural(app->pop3_new));
		return;
	}
	if (err != NULL && app->pop3_error == NULL)
		app->pop3_error =
		    xasprintf("fetching from %s failed: %s", app->pop3_shown.v[i], err->msg);
	/* The others still go: one server down does not hold the rest. */
	pop3_next(app, i + 1);
}

void
ui_index_pop3_free(struct ui_app *app)
{
	for (size_t i = 0; app->pop3 != NULL && i < app->pop3_what.n; i++)
		core_fetch_free(&app->pop3[i]);
	xfree(&app->pop3);
	ui_strv_clear(&app->pop3_what);
	ui_strv_clear(&app->pop3_shown);
	xfree(&app->pop3_server);
	xfree(&app->pop3_error);
	app->pop3_busy = 0;
}

/* Functions that need no folder. */
static int
folder_free_fn(struct ui_app *app, enum ui_fn fn)
{
	switch (fn) {
	case UI_FN_FETCH_MAIL:
		ui_index_fetch_mail(app);
		return 1;
	case UI_FN_MAIL:
		ui_compose_start(app, UI_DRAFT_NEW);
		return 1;
	case UI_FN_CHANGE_FOLDER:
		ui_app_prompt(app, "Open folder: ", NULL, UI_HIST_FOLDER, UI_COMPLETE_FOLDER,
		              change_done);
		return 1;
	case UI_FN_BROWSE_FOLDERS:
		ui_browser_open(app);
		return 1;
	case UI_FN_RECALL_MESSAGE:
		ui_compose_recall(app);
		return 1;
	case UI_FN_EXIT:
		ui_app_exit_fn(app);
		return 1;
	default:
		return 0;
	}
}

int
ui_index_msg_fn(struct ui_app *app, enum ui_fn fn)
{
	struct ui_index *idx = app->idx;

	if (folder_free_fn(app, fn))
		return 1;
	if (idx == NULL) {
		switch (fn) {
		case UI_FN_HELP:
		case UI_FN_QUIT:
		case UI_FN_REDRAW:
		case UI_FN_SHELL_ESCAPE:
		case UI_FN_CANCEL_JOB:
		case UI_FN_NOOP:
		case UI_FN_SIDEBAR_TOGGLE:
		case UI_FN_SIDEBAR_NEXT:
		case UI_FN_SIDEBAR_PREV:
		case UI_FN_SIDEBAR_OPEN:
			return 0;
		default:
			ui_app_error(app, "No folder is open.");
			return 1;
		}
	}
	switch (fn) {
	case UI_FN_DELETE_MESSAGE:
		mark(app, MIME_FLAG_DELETED, 0, 1);
		return 1;
	case UI_FN_UNDELETE_MESSAGE:
		mark(app, 0, MIME_FLAG_DELETED, 1);
		return 1;
	case UI_FN_DELETE_THREAD:
		thread_flags(app, MIME_FLAG_DELETED, 0, 0);
		return 1;
	case UI_FN_UNDELETE_THREAD:
		thread_flags(app, 0, MIME_FLAG_DELETED, 0);
		return 1;
	case UI_FN_FLAG_MESSAGE:
		toggle(app, MIME_FLAG_FLAGGED);
		return 1;
	case UI_FN_TOGGLE_NEW:
		toggle(app, MIME_FLAG_SEEN);
		return 1;
	case UI_FN_TAG_PREFIX:
		if (idx->counts.tagged == 0) {
			ui_app_error(app, "No tagged messages.");
			return 1;
		}
		app->tag_prefix = 1;
		ui_app_message(app, "tag-");
		return 1;
	case UI_FN_REPLY:
		ui_compose_reply(app, UI_FETCH_REPLY);
		return 1;
	case UI_FN_GROUP_REPLY:
		ui_compose_reply(app, UI_FETCH_GROUP_REPLY);
		return 1;
	case UI_FN_LIST_REPLY:
		ui_compose_reply(app, UI_FETCH_LIST_REPLY);
		return 1;
	case UI_FN_FORWARD_MESSAGE:
		ui_compose_reply(app, UI_FETCH_FORWARD);
		return 1;
	case UI_FN_SAVE_MESSAGE:
	case UI_FN_COPY_MESSAGE:
		save_move = fn == UI_FN_SAVE_MESSAGE;
		ui_app_prompt(app, save_move ? "Move to folder: " : "Copy to folder: ", NULL,
		              UI_HIST_FOLDER, UI_COMPLETE_FOLDER, save_done);
		return 1;
	case UI_FN_PIPE_MESSAGE:
		ui_app_prompt(app, "Pipe to command: ", NULL, UI_HIST_COMMAND, UI_COMPLETE_FILE,
		              pipe_done);
		return 1;
	case UI_FN_VIEW_ATTACHMENTS:
		ui_attach_open(app);
		return 1;
	default:
		return 0;
	}
}

int
ui_index_fn(struct ui_app *app, enum ui_fn fn)
{
	struct ui_index *idx = app->idx;
	struct ui_msg *cur;

	if (ui_index_msg_fn(app, fn))
		return 1;
	if (idx == NULL)
		return 0;
	cur = ui_index_current(idx);
	switch (fn) {
	case UI_FN_NEXT_ENTRY:
		ui_index_move(idx, 1);
		return 1;
	case UI_FN_PREVIOUS_ENTRY:
		ui_index_move(idx, -1);
		return 1;
	case UI_FN_FIRST_ENTRY:
		ui_index_goto(idx, 0);
		return 1;
	case UI_FN_LAST_ENTRY:
		ui_index_goto(idx, (long)idx->nrows - 1);
		return 1;
	case UI_FN_NEXT_PAGE:
		ui_index_page(idx, 1, 0);
		return 1;
	case UI_FN_PREVIOUS_PAGE:
		ui_index_page(idx, -1, 0);
		return 1;
	case UI_FN_HALF_DOWN:
		ui_index_page(idx, 1, 1);
		return 1;
	case UI_FN_HALF_UP:
		ui_index_page(idx, -1, 1);
		return 1;
	case UI_FN_NEXT_LINE:
		if (idx->top + idx->height < idx->nrows) {
			idx->top++;
			if (idx->cursor < idx->top)
				ui_index_goto(idx, (long)idx->top);
		}
		return 1;
	case UI_FN_PREVIOUS_LINE:
		if (idx->top > 0) {
			idx->top--;
			if (idx->cursor >= idx->top + idx->height)
				ui_index_goto(idx, (long)(idx->top + idx->height - 1));
		}
		return 1;
	case UI_FN_DISPLAY_MESSAGE:
	case UI_FN_SELECT_ENTRY:
		ui_pager_open_current(app);
		return 1;
	case UI_FN_DELETE_PATTERN:
		ask_pattern(app, PA_DELETE, "Delete messages matching: ");
		return 1;
	case UI_FN_UNDELETE_PATTERN:
		ask_pattern(app, PA_UNDELETE, "Undelete messages matching: ");
		return 1;
	case UI_FN_TAG_PATTERN:
		ask_pattern(app, PA_TAG, "Tag messages matching: ");
		return 1;
	case UI_FN_UNTAG_PATTERN:
		ask_pattern(app, PA_UNTAG, "Untag messages matching: ");
		return 1;
	case UI_FN_TAG_ENTRY:
		if (cur != NULL) {
			ui_index_set_tag(idx, cur, !cur->tagged);
			ui_index_move(idx, 1);
		}
		return 1;
	case UI_FN_TAG_THREAD:
		thread_flags(app, 0, 0, 1);
		return 1;
	case UI_FN_LIMIT:
		ui_app_prompt(app, "Limit to messages matching: ", idx->limit_text, UI_HIST_PATTERN,
		              UI_COMPLETE_NONE, limit_done);
		return 1;
	case UI_FN_SEARCH:
	case UI_FN_SEARCH_REVERSE:
		app->search_dir = fn == UI_FN_SEARCH ? 1 : -1;
		ui_app_prompt(app,
		              fn == UI_FN_SEARCH ? "Search for: " : "Search backwards for: ", NULL,
		              UI_HIST_PATTERN, UI_COMPLETE_NONE, search_done);
		return 1;
	case UI_FN_SEARCH_NEXT:
		search(app, app->search_dir ? app->search_dir : 1);
		return 1;
	case UI_FN_SEARCH_OPPOSITE:
		search(app, app->search_dir < 0 ? 1 : -1);
		return 1;
	case UI_FN_SORT_MAILBOX:
	case UI_FN_SORT_REVERSE:
		ui_app_prompt(app,
		              fn == UI_FN_SORT_MAILBOX
		                  ? "Sort by (d)ate, (r)eceived, (f)rom, (t)o, (s)ubject, si(z)e, "
		                    "t(h)reads, (u)nsorted: "
		                  : "Reverse sort by (d)ate, (r)eceived, (f)rom, (t)o, (s)ubject, "
		                    "si(z)e, t(h)reads, (u)nsorted: ",
		              NULL, UI_HIST_TEXT, UI_COMPLETE_NONE,
		              fn == UI_FN_SORT_MAILBOX ? sort_forward_done : sort_reverse_done);
		return 1;
	case UI_FN_COLLAPSE_THREAD:
	case UI_FN_COLLAPSE_ALL:
		if (idx->sort != UI_SORT_THREADS) {
			ui_app_error(app, "The list is not threaded: sort by threads first (o h).");
			return 1;
		}
		if (fn == UI_FN_COLLAPSE_THREAD)
			ui_index_toggle_collapse(idx);
		else
			ui_index_toggle_collapse_all(idx);
		return 1;
	case UI_FN_NEXT_THREAD:
		go(app, ui_index_find(idx, 1, 0, test_root, NULL), "No more threads.");
		return 1;
	case UI_FN_PREVIOUS_THREAD:
		go(app, ui_index_find(idx, -1, 0, test_root, NULL), "No previous thread.");
		return 1;
	case UI_FN_NEXT_UNREAD:
		go(app, ui_index_find(idx, 1, 1, test_unread, NULL), "No unread messages.");
		return 1;
	case UI_FN_PREVIOUS_UNREAD:
		go(app, ui_index_find(idx, -1, 1, test_unread, NULL), "No unread messages.");
		return 1;
	case UI_FN_NEXT_UNDELETED:
		go(app, ui_index_find(idx, 1, 0, test_undeleted, NULL),
		   "You are on the last message.");
		return 1;
	case UI_FN_PREVIOUS_UNDELETED:
		go(app, ui_index_find(idx, -1, 0, test_undeleted, NULL),
		   "You are on the first message.");
		return 1;
	case UI_FN_JUMP: {
		char init[8] = "";

		if (app->last_key >= '0' && app->last_key <= '9')
			snprintf(init, sizeof(init), "%c", (char)app->last_key);
		ui_app_prompt(app, "Jump to message: ", init, UI_HIST_TEXT, UI_COMPLETE_NONE,
		              jump_done);
		return 1;
	}
	default:
		return 0;
	}
}
