#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "ui/ui-app.h"
#include "ui/ui-ask.h"
#include "ui/ui-complete.h"
#include "ui/ui-notify.h"
#include "ui/ui-run.h"
#include "ui/ui-term.h"
#include "ui/ui-width.h"

/* The first window of summaries fills a screen fast; later windows are
 * larger so a big folder does not cost a request per screenful. */
#define FIRST_WINDOW 256
#define WINDOW 4096
/* While a folder loads, the rows are remade at most this often. */
#define REBUILD_MS 250
/* Macro expansion that keeps feeding itself stops here. */
#define QUEUE_MAX 4096

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Messages. */

static void
set_message(struct ui_app *app, int error, const char *fmt, va_list ap)
{
	struct str s = STR_INIT, clean = STR_INIT;

	str_appendvf(&s, fmt, ap);
	/* Error texts may quote a server or a file: make them safe to show. */
	core_folder_sanitize(&clean, s.s ? s.s : "", s.len, 0);
	free(app->message);
	app->message = str_detach(&clean);
	app->message_error = error;
	app->dirty = 1;
	str_free(&s);
}

void
ui_app_message(struct ui_app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(app, 0, fmt, ap);
	va_end(ap);
}

void
ui_app_error(struct ui_app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(app, 1, fmt, ap);
	va_end(ap);
	if (config_bool(app->cfg, NULL, VAR_BEEP))
		ui_term_beep();
}

/* Set-up. */

static char *
find_html_converter(void)
{
	if (ui_run_in_path("w3m"))
		return xstrdup("w3m -dump -T text/html -I UTF-8 -O UTF-8");
	if (ui_run_in_path("lynx"))
		return xstrdup("lynx -dump -stdin -force_html -nolist -assume_charset=utf-8 "
		               "-display_charset=utf-8");
	return NULL;
}

void
ui_app_init(struct ui_app *app, const struct config *cfg, struct ui_keymap *km,
            struct core_queue *events, struct core_worker *account)
{
	const char *sort, *root, *mc;
	struct err err;
	struct ui_strv errors = {NULL, 0};

	memset(app, 0, sizeof(*app));
	app->cfg = cfg;
	app->km = km;
	app->events = events;
	app->account = account;
	app->rows = 24;
	app->cols = 80;
	app->dirty = 1;
	app->pager_weed = 1;
	app->reply_index = UI_NONE;
	ui_colors_init(&app->colors);
	ui_colors_load(&app->colors, cfg, time(NULL), &errors);
	ui_weed_init(&app->weed, cfg);
	mc = config_string(cfg, NULL, VAR_MAILCAP_PATH);
	if (mc != NULL)
		ui_mailcap_load_path(&app->mailcap, mc);
	sort = config_string(cfg, NULL, VAR_SORT);
	if (sort == NULL || ui_sort_parse(sort, &app->sort, &app->sort_reverse) < 0) {
		app->sort = UI_SORT_DATE;
		app->sort_reverse = 0;
	}
	app->index_format = xstrdup(config_string(cfg, NULL, VAR_INDEX_FORMAT) != NULL
	                                ? config_string(cfg, NULL, VAR_INDEX_FORMAT)
	                                : "%4C %Z %{%b %d} %-15.15L (%?l?%4l&%4c?) %s");
	root = config_string(cfg, NULL, VAR_FOLDER);
	if (root != NULL && config_expand_folder(cfg, NULL, root, &app->folder_root, &err) < 0)
		app->folder_root = NULL;
	app->sidebar = config_bool(cfg, NULL, VAR_SIDEBAR_VISIBLE);
	app->html_converter = find_html_converter();
	ui_app_me(app, &app->me);
	/* Logins without a password ask here.  No request is posted yet, so
	 * the workers see the prompt from their first job on. */
	if (ui_ask_new(&app->ask, &err) == 0)
		core_account_set_prompt(ui_ask_password, app->ask);
	else
		ui_strv_push(&errors, err.msg);
	if (errors.n > 0)
		ui_app_error(app, "%s%s", errors.v[0],
		             errors.n > 1 ? " (and more color errors)" : "");
	ui_strv_clear(&errors);
	/* What could not go out last time goes now, if it can. */
	ui_compose_flush_outbox(app);
	/* pop3_check_interval: the first round is due an interval from now. */
	ui_index_pop3_tick(app);
}

static void
job_free(struct ui_job *job)
{
	str_free(&job->data);
	free(job->arg);
	free(job->prefix);
	free(job);
}

void
ui_folder_entries_free(struct ui_folder_entry **v, size_t *n)
{
	for (size_t i = 0; i < *n; i++) {
		free((*v)[i].name);
		free((*v)[i].path);
	}
	free(*v);
	*v = NULL;
	*n = 0;
}

void
ui_app_free(struct ui_app *app)
{
	/* Before the event queue goes (the caller frees it after this). */
	if (app->counter != NULL)
		core_worker_free(&app->counter);
	ui_index_pop3_free(app);
	/* Every worker is gone: none can be asking. */
	core_account_set_prompt(NULL, NULL);
	ui_ask_free(&app->ask);
	free(app->ask_question);
	ui_compose_free(app);
	while (app->jobs != NULL) {
		struct ui_job *j = app->jobs;

		app->jobs = j->next;
		job_free(j);
	}
	ui_index_free(&app->idx);
	ui_pager_free(&app->pager);
	core_folder_msg_free(&app->msg);
	str_free(&app->msg_raw);
	ui_draft_clear(&app->draft);
	str_free(&app->sent_data);
	ui_folder_entries_free(&app->folders, &app->nfolders);
	ui_folder_entries_free(&app->mailboxes, &app->nmailboxes);
	ui_keymap_free(&app->km);
	ui_colors_clear(&app->colors);
	ui_weed_clear(&app->weed);
	ui_mailcap_clear(&app->mailcap);
	for (int i = 0; i < UI_HIST_COUNT; i++)
		ui_history_clear(&app->hist[i]);
	ui_line_clear(&app->prompt.line);
	free(app->prompt.label);
	free(app->queue);
	free(app->message);
	free(app->folder);
	free(app->folder_shown);
	free(app->folder_root);
	free(app->keep_msgid);
	ui_strv_clear(&app->retag);
	free(app->index_format);
	free(app->search_text);
	ui_index_search_reset(app);
	free(app->open_next);
	free(app->pager_search);
	ui_pager_free(&app->sub);
	free(app->sub_title);
	free(app->attach_dir);
	free(app->draft_path);
	free(app->html_converter);
	ui_strv_clear(&app->me);
}

/* Geometry. */

int
ui_app_body_rows(const struct ui_app *app)
{
	int r = app->rows - 3;

	return r > 1 ? r : 1;
}

int
ui_app_sidebar_width(const struct ui_app *app)
{
	long w;

	if (!app->sidebar || (app->screen != UI_SCR_INDEX && app->screen != UI_SCR_PAGER))
		return 0;
	w = config_number(app->cfg, NULL, VAR_SIDEBAR_WIDTH);
	if (w > app->cols / 3)
		w = app->cols / 3;
	return w > 4 ? (int)w : 0;
}

void
ui_app_resize(struct ui_app *app, int rows, int cols)
{
	app->rows = rows > 0 ? rows : 1;
	app->cols = cols > 0 ? cols : 1;
	if (app->idx != NULL)
		ui_index_set_height(app->idx, (size_t)ui_app_body_rows(app));
	ui_pager_relayout(app);
	app->clear = 1;
	app->dirty = 1;
}

enum ui_map
ui_app_map(const struct ui_app *app)
{
	switch (app->screen) {
	case UI_SCR_INDEX:
		return UI_MAP_INDEX;
	case UI_SCR_PAGER:
	case UI_SCR_HELP:
		return UI_MAP_PAGER;
	case UI_SCR_ATTACH:
		return UI_MAP_ATTACH;
	case UI_SCR_COMPOSE:
		return UI_MAP_COMPOSE;
	case UI_SCR_BROWSER:
		return UI_MAP_BROWSER;
	}
	return UI_MAP_GENERIC;
}

/* Prompts. */

void
ui_app_prompt(struct ui_app *app, const char *label, const char *initial, enum ui_hist hist,
              enum ui_complete complete, ui_prompt_fn *done)
{
	struct ui_prompt *p = &app->prompt;

	ui_line_clear(&p->line);
	free(p->label);
	p->label = xstrdup(label);
	p->secret = 0;
	ui_line_init(&p->line, initial, &app->hist[hist]);
	p->active = 1;
	p->yesno = 0;
	p->note[0] = '\0';
	p->complete = complete;
	p->done = done;
	app->dirty = 1;
}

void
ui_app_ask(struct ui_app *app, const char *question, int yes_default, ui_prompt_fn *done)
{
	struct ui_prompt *p = &app->prompt;
	char *label = xasprintf("%s (%s) ", question, yes_default ? "[yes]/no" : "yes/[no]");

	ui_line_clear(&p->line);
	free(p->label);
	p->label = label;
	ui_line_init(&p->line, NULL, NULL);
	p->active = 1;
	p->yesno = 1;
	p->yes_default = yes_default;
	p->complete = UI_COMPLETE_NONE;
	p->done = done;
	app->dirty = 1;
}

void
ui_app_ask_quad(struct ui_app *app, enum var_id var, const char *question, ui_prompt_fn *done)
{
	switch (config_quad(app->cfg, NULL, var)) {
	case CONFIG_QUAD_YES:
		done(app, "", 1);
		break;
	case CONFIG_QUAD_NO:
		done(app, "", 0);
		break;
	case CONFIG_QUAD_ASK_YES:
		ui_app_ask(app, question, 1, done);
		break;
	case CONFIG_QUAD_ASK_NO:
		ui_app_ask(app, question, 0, done);
		break;
	}
}

static void
prompt_finish(struct ui_app *app, int cancelled, int yes)
{
	struct ui_prompt *p = &app->prompt;
	ui_prompt_fn *done = p->done;
	char *text = NULL;

	if (!cancelled) {
		text = ui_line_text(&p->line);
		if (p->line.hist != NULL && !p->yesno && !p->secret)
			ui_history_add(p->line.hist, text);
	}
	if (p->secret)
		explicit_bzero(p->line.buf, p->line.cap * sizeof(*p->line.buf));
	/* A lookup for the line is of no use any more. */
	ui_compose_query_stop(app, NULL);
	p->active = 0;
	p->secret = 0;
	p->done = NULL;
	p->note[0] = '\0';
	ui_line_clear(&p->line);
	app->dirty = 1;
	if (cancelled)
		ui_app_message(app, "Cancelled.");
	else
		free(app->message), app->message = NULL;
	if (done != NULL)
		done(app, text, yes);
	if (text != NULL)
		explicit_bzero(text, strlen(text));
	free(text);
	if (app->ask_question != NULL && !app->prompt.active)
		ui_app_ask_ready(app);
}

static void
password_done(struct ui_app *app, const char *text, int yes)
{
	(void)yes;
	ui_ask_answer(app->ask, app->ask_id, text);
	app->ask_id = 0;
	if (text == NULL)
		ui_app_message(app, "Login cancelled.");
}

void
ui_app_ask_ready(struct ui_app *app)
{
	char *question;
	uint64_t id;

	question = ui_ask_take(app->ask, &id);
	if (question != NULL) {
		free(app->ask_question);
		app->ask_question = question;
		app->ask_id = id;
	}
	if (app->ask_question == NULL || app->prompt.active)
		return; /* shown when the open prompt is done */
	ui_app_prompt(app, app->ask_question, NULL, UI_HIST_TEXT, UI_COMPLETE_NONE, password_done);
	app->prompt.secret = 1;
	app->prompt.line.hist = NULL;
	xfree(&app->ask_question);
}

static void
prompt_complete(struct ui_app *app)
{
	struct ui_prompt *p = &app->prompt;
	struct ui_strv matches = {NULL, 0};
	size_t n;

	if (p->complete == UI_COMPLETE_NONE) {
		ui_term_beep();
		return;
	}
	if (p->complete == UI_COMPLETE_ADDRESS) {
		ui_compose_complete(app);
		return;
	}
	n = ui_complete_file(&p->line, app->folder_root, &matches);
	if (n == 0) {
		ui_term_beep();
	} else if (n > 1) {
		struct str list = STR_INIT;

		for (size_t i = 0; i < matches.n && list.len < 400; i++) {
			str_append(&list, matches.v[i]);
			str_append(&list, "  ");
		}
		/* The prompt stays; the list shows above it. */
		snprintf(p->note, sizeof(p->note), "%s", list.s ? list.s : "");
		str_free(&list);
	}
	ui_strv_clear(&matches);
}

static void
prompt_fn(struct ui_app *app, enum ui_fn fn)
{
	struct ui_prompt *p = &app->prompt;

	if (fn == UI_FN_ABORT) {
		prompt_finish(app, 1, 0);
		return;
	}
	if (fn == UI_FN_COMPLETE) {
		prompt_complete(app);
		return;
	}
	if (p->yesno)
		return;
	if (ui_line_edit(&p->line, fn) == 0)
		ui_term_beep();
	app->dirty = 1;
}

static void
prompt_key(struct ui_app *app, uint32_t key)
{
	struct ui_prompt *p = &app->prompt;
	const struct ui_binding *b;
	uint32_t k[1] = {key};

	if (key == UI_KEY_CTRL('G') || key == UI_KEY_ESC) {
		/* The first stops an address lookup; the prompt stays. */
		if (app->query != NULL) {
			ui_compose_query_stop(app, "Lookup stopped.");
			return;
		}
		prompt_finish(app, 1, 0);
		return;
	}
	if (p->yesno) {
		if (key == 'y' || key == 'Y')
			prompt_finish(app, 0, 1);
		else if (key == 'n' || key == 'N')
			prompt_finish(app, 0, 0);
		else if (key == '\n')
			prompt_finish(app, 0, p->yes_default);
		else
			ui_term_beep();
		return;
	}
	if (key == '\n') {
		prompt_finish(app, 0, 1);
		return;
	}
	if (ui_keymap_lookup(app->km, UI_MAP_EDITOR, k, 1, &b) == UI_KM_MATCH) {
		if (b->fn != UI_FN_NONE)
			prompt_fn(app, b->fn);
		return;
	}
	if (key >= 0x20 && key != 0x7f && key < UI_KEY_BASE && !(key >= 0x80 && key < 0xa0)) {
		ui_line_insert(&p->line, key);
		app->dirty = 1;
		return;
	}
	ui_term_beep();
}

/* Jobs. */

struct ui_job *
ui_app_post(struct ui_app *app, struct core_worker *w, struct core_request *req,
            enum ui_job_kind kind, const char *label)
{
	struct ui_job *job = xcalloc(1, sizeof(*job));

	job->kind = kind;
	job->gen = app->gen;
	job->msg_index = UI_NONE;
	snprintf(job->label, sizeof(job->label), "%s", label != NULL ? label : "");
	job->cancellable = kind == UI_JOB_HEADERS || kind == UI_JOB_FETCH || kind == UI_JOB_LIST ||
	                   kind == UI_JOB_COPY || kind == UI_JOB_OPEN || kind == UI_JOB_SEND ||
	                   kind == UI_JOB_SEARCH || kind == UI_JOB_POP3 || kind == UI_JOB_CLOSE;
	job->next = app->jobs;
	app->jobs = job;
	job->id = core_worker_post(w, req);
	app->dirty = 1;
	return job;
}

static struct ui_job *
job_find(struct ui_app *app, uint64_t id)
{
	for (struct ui_job *j = app->jobs; j != NULL; j = j->next)
		if (j->id == id)
			return j;
	return NULL;
}

static void
job_remove(struct ui_app *app, struct ui_job *job)
{
	for (struct ui_job **l = &app->jobs; *l != NULL; l = &(*l)->next) {
		if (*l == job) {
			*l = job->next;
			break;
		}
	}
	job_free(job);
	app->dirty = 1;
}

static void
cancel_jobs(struct ui_app *app)
{
	int n = 0;

	for (struct ui_job *j = app->jobs; j != NULL; j = j->next) {
		if (!j->cancellable)
			continue;
		if (j->kind == UI_JOB_SEND) {
			n += ui_compose_cancel_send(app, j);
			continue;
		}
		if (core_job_cancel(j->id)) {
			n++;
			/* Its last batch is made durable before it ends. */
			if (j->kind == UI_JOB_POP3)
				ui_app_message(app, "Stopping the fetch: storing what came\u2026");
		}
	}
	if (app->loading) {
		app->load_stopped = 1;
		n += n == 0;
	}
	if (n == 0)
		ui_app_message(app, "Nothing to cancel.");
}

/* The folder. */

int
ui_app_writable(struct ui_app *app)
{
	if (app->idx == NULL || !app->opened) {
		ui_app_error(app, "No folder is open.");
		return 0;
	}
	if (app->read_only) {
		ui_app_error(app, "The folder is read-only.");
		return 0;
	}
	return 1;
}

void
ui_app_set_flags(struct ui_app *app, struct ui_msg *m, unsigned add, unsigned remove)
{
	struct core_request *req;
	uint64_t *ids;

	if (!ui_app_writable(app))
		return;
	ui_index_set_flags(app->idx, m, add, remove);
	req = core_request_new(CORE_REQ_SET_FLAGS);
	ids = arena_alloc(req->arena, sizeof(*ids));
	ids[0] = m->s.id;
	req->u.set_flags.msgs.ids = ids;
	req->u.set_flags.msgs.count = 1;
	req->u.set_flags.add = add;
	req->u.set_flags.remove = remove;
	ui_app_post(app, app->account, req, UI_JOB_FLAGS, NULL);
	app->dirty = 1;
}

char *
ui_app_expand(struct ui_app *app, const char *name)
{
	char *out = NULL;
	struct err err;

	if (config_expand_folder(app->cfg, NULL, name, &out, &err) < 0) {
		ui_app_error(app, "%s", err.msg);
		return NULL;
	}
	return out;
}

static void
post_window(struct ui_app *app)
{
	struct core_request *req;
	size_t size, first;

	if (app->load_next == 0 || app->load_stopped) {
		app->loading = 0;
		ui_index_loaded(app);
		return;
	}
	size = app->idx->counts.loaded == 0 ? FIRST_WINDOW : WINDOW;
	first = app->load_next > size ? app->load_next - size : 0;
	req = core_request_new(CORE_REQ_FETCH_HEADERS);
	req->u.fetch_headers.first = (uint32_t)first;
	req->u.fetch_headers.count = (uint32_t)(app->load_next - first);
	app->load_next = first;
	ui_app_post(app, app->account, req, UI_JOB_HEADERS, "reading headers");
}

void
ui_app_open_folder(struct ui_app *app, const char *folder)
{
	struct core_request *req;

	ui_index_free(&app->idx);
	ui_pager_free(&app->pager);
	core_folder_msg_free(&app->msg);
	/* Body search answers name messages of the folder left. */
	ui_index_search_reset(app);
	app->conn_state = 0;
	app->gen++;
	app->opened = 0;
	app->read_only = 0;
	app->loading = 1;
	app->load_stopped = 0;
	if (folder != app->folder) {
		free(app->folder);
		app->folder = xstrdup(folder);
	}
	{
		struct str shown = STR_INIT;

		ui_url_redact(&shown, folder);
		free(app->folder_shown);
		app->folder_shown = str_detach(&shown);
	}
	if (app->screen != UI_SCR_COMPOSE)
		app->screen = UI_SCR_INDEX;
	req = core_request_new(CORE_REQ_OPEN_FOLDER);
	req->u.open_folder.folder = arena_strdup(req->arena, folder);
	ui_app_post(app, app->account, req, UI_JOB_OPEN, "opening");
	ui_app_message(app, "Opening %s...", app->folder_shown);
}

static void
folder_opened(struct ui_app *app, const struct core_ev_folder_opened *o)
{
	ui_index_free(&app->idx);
	app->idx = ui_index_new(o->exists);
	app->idx->ascii_tree = !ui_width_utf8();
	ui_index_set_sort(app->idx, app->sort, app->sort_reverse);
	ui_index_set_height(app->idx, (size_t)ui_app_body_rows(app));
	app->opened = 1;
	app->read_only = o->read_only;
	app->load_next = o->exists;
	app->last_rebuild_ms = 0;
	app->rebuild_cost_ms = 0;
	/* "Opening..." has done its job; an error (a bad configuration line)
	 * stays until a key is pressed. */
	if (!app->message_error)
		xfree(&app->message);
	post_window(app);
	if (app->sidebar)
		ui_sidebar_refresh(app);
}

void
ui_index_loaded(struct ui_app *app)
{
	struct ui_index *idx = app->idx;

	if (idx == NULL)
		return;
	/* The last batches may not be laid out yet; under a limit, flags
	 * changed while loading are looked at again. */
	if (idx->limit != NULL)
		ui_index_invalidate(idx);
	else
		idx->dirty = 1;
	ui_index_rebuild(idx);
	if (app->keep_msgid != NULL) {
		for (size_t i = 0; i < idx->count; i++) {
			if (idx->msgs[i].loaded &&
			    strcmp(idx->msgs[i].s.message_id, app->keep_msgid) == 0 &&
			    idx->msgs[i].row != UI_NONE) {
				ui_index_goto(idx, (long)idx->msgs[i].row);
				break;
			}
		}
		xfree(&app->keep_msgid);
	}
	for (size_t k = 0; k < app->retag.n; k++)
		for (size_t i = 0; i < idx->count; i++)
			if (idx->msgs[i].loaded &&
			    strcmp(idx->msgs[i].s.message_id, app->retag.v[k]) == 0)
				ui_index_set_tag(idx, &idx->msgs[i], 1);
	ui_strv_clear(&app->retag);
	if (app->load_stopped)
		ui_app_message(app, "Loading stopped: %zu of %zu messages loaded.",
		               idx->counts.loaded, idx->count);
	app->dirty = 1;
}

/* After CLOSE_FOLDER: quit, or open the next folder. */
static void
folder_closed(struct ui_app *app)
{
	const char *after = app->after_close;

	app->after_close = NULL;
	app->opened = 0;
	if (after != NULL && strcmp(after, "quit") == 0) {
		app->quit = 1;
	} else if (after != NULL && strcmp(after, "open") == 0 && app->open_next != NULL) {
		char *next = app->open_next;

		app->open_next = NULL;
		ui_app_open_folder(app, next);
		free(next);
	}
}

static void
stop_loading(struct ui_app *app)
{
	for (struct ui_job *j = app->jobs; j != NULL; j = j->next)
		if (j->kind == UI_JOB_HEADERS || j->kind == UI_JOB_FETCH)
			core_job_cancel(j->id);
	app->load_stopped = app->loading;
}

/* Closes the folder, writing changes when write is set, then does
 * `after` ("quit" or "open"). */
static void
close_folder(struct ui_app *app, int write, const char *after)
{
	struct core_request *req;
	struct ui_job *job;

	app->after_close = after;
	if (!app->opened && app->idx == NULL) {
		folder_closed(app);
		return;
	}
	stop_loading(app);
	req = core_request_new(CORE_REQ_CLOSE_FOLDER);
	req->u.close_folder.expunge = write && !app->read_only;
	job = ui_app_post(app, app->account, req, UI_JOB_CLOSE, write ? "writing" : "closing");
	job->purpose = write;
	if (write && !app->read_only)
		ui_app_message(app, "Writing changes to %s...", app->folder_shown);
}

/* Drops the deletion marks (the user chose to keep those messages). */
static void
undelete_all(struct ui_app *app)
{
	for (size_t i = 0; app->idx != NULL && i < app->idx->count; i++)
		if (app->idx->msgs[i].loaded && (app->idx->msgs[i].s.flags & MIME_FLAG_DELETED))
			ui_app_set_flags(app, &app->idx->msgs[i], 0, MIME_FLAG_DELETED);
}

static void
leave_after_purge(struct ui_app *app, const char *text, int yes)
{
	if (text == NULL)
		return;
	if (!yes)
		undelete_all(app);
	close_folder(app, 1, app->open_next != NULL ? "open" : "quit");
}

/* Leaves the folder writing its changes: asks about deleted messages as
 * the delete variable says. */
static void
leave_folder(struct ui_app *app)
{
	if (app->idx != NULL && app->opened && !app->read_only && app->idx->counts.deleted > 0) {
		char q[96];

		snprintf(q, sizeof(q), "Purge %zu deleted message%s?", app->idx->counts.deleted,
		         app->idx->counts.deleted == 1 ? "" : "s");
		ui_app_ask_quad(app, VAR_DELETE, q, leave_after_purge);
		return;
	}
	leave_after_purge(app, "", 1);
}

static void
quit_confirmed(struct ui_app *app, const char *text, int yes)
{
	if (text == NULL || !yes)
		return;
	xfree(&app->open_next);
	leave_folder(app);
}

static void
exit_confirmed(struct ui_app *app, const char *text, int yes)
{
	if (text == NULL || !yes)
		return;
	close_folder(app, 0, "quit");
}

void
ui_app_change_folder_to(struct ui_app *app, const char *path)
{
	free(app->open_next);
	app->open_next = xstrdup(path);
	if (!app->opened && app->idx == NULL) {
		char *next = app->open_next;

		app->open_next = NULL;
		ui_app_open_folder(app, next);
		free(next);
		return;
	}
	leave_folder(app);
}

static void
sync_go(struct ui_app *app, const char *text, int yes)
{
	struct core_request *req;
	struct ui_msg *cur;

	if (text == NULL)
		return;
	if (!yes)
		undelete_all(app);
	cur = ui_index_current(app->idx);
	free(app->keep_msgid);
	app->keep_msgid = cur != NULL && *cur->s.message_id ? xstrdup(cur->s.message_id) : NULL;
	stop_loading(app);
	req = core_request_new(CORE_REQ_EXPUNGE);
	ui_app_post(app, app->account, req, UI_JOB_SYNC, "writing");
	ui_app_message(app, "Writing changes to %s...", app->folder_shown);
}

static void
sync_folder(struct ui_app *app)
{
	if (!ui_app_writable(app))
		return;
	if (app->idx->counts.deleted > 0) {
		char q[96];

		snprintf(q, sizeof(q), "Purge %zu deleted message%s?", app->idx->counts.deleted,
		         app->idx->counts.deleted == 1 ? "" : "s");
		ui_app_ask_quad(app, VAR_DELETE, q, sync_go);
		return;
	}
	sync_go(app, "", 1);
}

/* Runs. */

int
ui_app_run(struct ui_app *app, const char *cmd, const char *stdin_path, int wait_key)
{
	int status = ui_term_run(cmd, stdin_path, wait_key);

	app->clear = 1;
	app->dirty = 1;
	return status;
}

static void
shell_done(struct ui_app *app, const char *text, int yes)
{
	(void)yes;
	if (text == NULL || *text == '\0')
		return;
	ui_app_run(app, text, NULL, config_bool(app->cfg, NULL, VAR_WAIT_KEY));
}

void
ui_app_me(struct ui_app *app, struct ui_strv *me)
{
	const char *from = config_string(app->cfg, NULL, VAR_FROM);
	const char *alt = config_string(app->cfg, NULL, VAR_ALTERNATES);
	struct str b = STR_INIT;

	(void)app;
	if (from != NULL && *from) {
		ui_addr_bare(from, &b);
		if (b.len > 0)
			ui_strv_push(me, b.s);
		str_reset(&b);
	}
	for (const char *p = alt; p != NULL && *p;) {
		size_t n = strcspn(p, " \t");

		if (n > 0) {
			char *w = xstrndup(p, n);

			ui_addr_bare(w, &b);
			if (b.len > 0)
				ui_strv_push(me, b.s);
			str_reset(&b);
			free(w);
		}
		p += n;
		p += strspn(p, " \t");
	}
	str_free(&b);
}

int
ui_app_is_me(const char *addr, void *ctx)
{
	const struct ui_app *app = ctx;

	for (size_t i = 0; i < app->me.n; i++)
		if (strcasecmp(app->me.v[i], addr) == 0)
			return 1;
	return 0;
}

/* Input. */

static void
push_front(struct ui_app *app, const struct ui_input *items, size_t n)
{
	if (app->nqueue + n > QUEUE_MAX) {
		ui_app_error(app, "A macro keeps calling itself: stopped.");
		app->nqueue = 0;
		return;
	}
	if (app->nqueue + n > app->capqueue) {
		app->capqueue = (app->nqueue + n) * 2;
		app->queue = xreallocarray(app->queue, app->capqueue, sizeof(*app->queue));
	}
	memmove(app->queue + n, app->queue, app->nqueue * sizeof(*app->queue));
	memcpy(app->queue, items, n * sizeof(*items));
	app->nqueue += n;
}

static void
generic_fn(struct ui_app *app, enum ui_fn fn)
{
	switch (fn) {
	case UI_FN_NOOP:
		break;
	case UI_FN_HELP:
		ui_help_show(app);
		break;
	case UI_FN_REDRAW:
		app->clear = 1;
		break;
	case UI_FN_SHELL_ESCAPE:
		ui_app_prompt(app, "Shell command: ", NULL, UI_HIST_COMMAND, UI_COMPLETE_FILE,
		              shell_done);
		break;
	case UI_FN_CANCEL_JOB:
		cancel_jobs(app);
		break;
	case UI_FN_QUIT:
		ui_app_ask_quad(app, VAR_QUIT, "Quit petrel?", quit_confirmed);
		break;
	case UI_FN_SYNC_MAILBOX:
		sync_folder(app);
		break;
	case UI_FN_SIDEBAR_TOGGLE:
	case UI_FN_SIDEBAR_NEXT:
	case UI_FN_SIDEBAR_PREV:
	case UI_FN_SIDEBAR_OPEN:
		ui_sidebar_fn(app, fn);
		break;
	case UI_FN_RECALL_MESSAGE:
		ui_compose_recall(app);
		break;
	default:
		ui_app_error(app, "%s does nothing on this screen.", ui_fn_def(fn)->name);
		break;
	}
}

static void
run_fn(struct ui_app *app, enum ui_fn fn)
{
	int handled = 0;

	if (app->prompt.active) {
		prompt_fn(app, fn);
		return;
	}
	app->dirty = 1;
	switch (app->screen) {
	case UI_SCR_INDEX:
		handled = ui_index_fn(app, fn);
		break;
	case UI_SCR_PAGER:
		handled = ui_pager_fn(app, fn);
		break;
	case UI_SCR_ATTACH:
		handled = ui_attach_fn(app, fn);
		break;
	case UI_SCR_COMPOSE:
		handled = ui_compose_fn(app, fn);
		break;
	case UI_SCR_BROWSER:
		handled = ui_browser_fn(app, fn);
		break;
	case UI_SCR_HELP:
		handled = ui_help_fn(app, fn);
		break;
	}
	if (!handled)
		generic_fn(app, fn);
}

static void
handle_key(struct ui_app *app, uint32_t key)
{
	const struct ui_binding *b;
	enum ui_km_result r;

	if (app->prompt.active) {
		prompt_key(app, key);
		return;
	}
	if (app->npending == 0) {
		xfree(&app->message);
		app->dirty = 1;
	}
	app->last_key = key;
	app->pending[app->npending++] = key;
	r = ui_keymap_lookup(app->km, ui_app_map(app), app->pending, app->npending, &b);
	if (r == UI_KM_PREFIX && app->npending < UI_KEYSEQ_MAX)
		return;
	app->npending = 0;
	if (r != UI_KM_MATCH) {
		struct str k = STR_INIT;

		ui_keys_name(&k, key);
		ui_app_error(app, "%s is not bound here.  Press ? for help.", k.s ? k.s : "");
		str_free(&k);
		return;
	}
	if (b->macro != NULL) {
		push_front(app, b->macro, b->nmacro);
		return;
	}
	run_fn(app, b->fn);
}

void
ui_app_key(struct ui_app *app, uint32_t key)
{
	struct ui_input in = {key, 0};

	log_trace(LOG_CH_UI, "key %#x on screen %d", (unsigned)key, (int)app->screen);
	if (app->nqueue >= QUEUE_MAX)
		return;
	if (app->nqueue + 1 > app->capqueue) {
		app->capqueue = app->capqueue ? app->capqueue * 2 : 16;
		app->queue = xreallocarray(app->queue, app->capqueue, sizeof(*app->queue));
	}
	app->queue[app->nqueue++] = in;
	/* A function that reads keys of its own (none does yet) or a macro
	 * pushing more input comes back here: the outer call drains it. */
	if (app->in_keys)
		return;
	app->in_keys = 1;
	while (app->nqueue > 0 && !app->quit) {
		in = app->queue[0];
		memmove(app->queue, app->queue + 1, (app->nqueue - 1) * sizeof(*app->queue));
		app->nqueue--;
		if (in.fn > 0)
			run_fn(app, (enum ui_fn)in.fn);
		else
			handle_key(app, in.key);
	}
	app->in_keys = 0;
}

/* Events. */

/* Tells the user n messages arrived in the open folder, once their
 * summaries are in (so new_mail_command gets the real unread count). */
static void
notify_new_mail(struct ui_app *app, size_t n)
{
	const char *cmd = config_string(app->cfg, NULL, VAR_NEW_MAIL_COMMAND);

	/* What a fetch just said (how many came, that it was stopped) is
	   news of the same mail: it stays on the line. */
	if (app->message == NULL || now_ms() - app->pop3_said_ms > 5000)
		ui_app_message(app, "%zu new message%s in %s.", n, n == 1 ? "" : "s",
		               app->folder_shown != NULL ? app->folder_shown : "the folder");
	if (config_bool(app->cfg, NULL, VAR_BEEP_NEW))
		ui_term_beep();
	if (cmd != NULL && *cmd != '\0' && app->idx != NULL) {
		struct ui_notify_info info = {app->folder_shown, n, app->idx->counts.unread,
		                              app->idx->count};
		struct str line = STR_INIT;
		struct err err;

		ui_notify_expand(&line, cmd, &info);
		if (ui_notify_spawn(line.s, &err) < 0)
			ui_app_error(app, "new_mail_command: %s", err.msg);
		str_free(&line);
	}
}

/* A newer fetch of the same kind was posted after job (ui_app_fetch()
 * cancels the one it replaces): how job ended is no news. */
static int
fetch_superseded(const struct ui_app *app, const struct ui_job *job)
{
	for (const struct ui_job *j = app->jobs; j != NULL; j = j->next)
		if (j != job && j->kind == UI_JOB_FETCH && j->purpose == job->purpose &&
		    j->id > job->id)
			return 1;
	return 0;
}

static void
job_done(struct ui_app *app, struct ui_job *job, const struct err *err)
{
	int current = job->gen == app->gen;

	switch (job->kind) {
	case UI_JOB_OPEN:
		if (err != NULL && current) {
			app->loading = 0;
			ui_app_error(app, "Cannot open %s: %s", app->folder_shown, err->msg);
		}
		break;
	case UI_JOB_HEADERS:
		if (!current || app->idx == NULL)
			break;
		if (job->purpose != UI_HEADERS_LOAD) {
			/* New mail or a refresh: the first load goes on by itself. */
			if (err != NULL && err->kind != ERR_CANCELLED)
				ui_app_error(app, "Reading headers failed: %s", err->msg);
			else if (err == NULL && job->purpose == UI_HEADERS_NEW)
				notify_new_mail(app, job->msg_index);
			ui_index_invalidate(app->idx);
			app->dirty = 1;
			break;
		}
		if (err != NULL) {
			if (err->kind == ERR_CANCELLED)
				app->load_stopped = 1;
			else
				ui_app_error(app, "Reading headers failed: %s", err->msg);
			app->loading = 0;
			ui_index_loaded(app);
			break;
		}
		post_window(app);
		break;
	case UI_JOB_FETCH:
		if (job->purpose >= UI_FETCH_VIEW_PARTS) {
			if (current)
				ui_pager_part_job_done(app, job, err);
			break;
		}
		/* Moving on in the pager while a message still loads must not
		 * drop the reader back to the index. */
		if (err != NULL && fetch_superseded(app, job))
			break;
		if (err != NULL) {
			if (err->kind == ERR_CANCELLED)
				ui_app_message(app, "Cancelled.");
			else
				ui_app_error(app, "Cannot read the message: %s", err->msg);
			if (app->screen == UI_SCR_PAGER && app->pager == NULL)
				app->screen = UI_SCR_INDEX;
			break;
		}
		if (current)
			ui_pager_fetched(app, job);
		break;
	case UI_JOB_FLAGS:
		if (err != NULL && current)
			ui_app_error(app, "Changing flags failed: %s", err->msg);
		break;
	case UI_JOB_SYNC:
		if (err != NULL) {
			ui_app_error(app, "Writing %s failed: %s", app->folder_shown, err->msg);
			xfree(&app->keep_msgid);
			break;
		}
		ui_app_open_folder(app, app->folder);
		ui_app_message(app, "%s written.", app->folder_shown);
		break;
	case UI_JOB_CLOSE:
		/* Ctrl-G while leaving without saving (x): nothing is to be
		 * kept, so petrel leaves rather than wait for a server that
		 * holds the close up. */
		if (err != NULL && err->kind == ERR_CANCELLED && !job->purpose &&
		    app->after_close != NULL && strcmp(app->after_close, "quit") == 0) {
			folder_closed(app);
			break;
		}
		if (err != NULL) {
			app->after_close = NULL;
			xfree(&app->open_next);
			ui_app_error(app, "Writing %s failed: %s (x leaves without saving)",
			             app->folder_shown, err->msg);
			break;
		}
		folder_closed(app);
		break;
	case UI_JOB_LIST:
		if (err != NULL)
			ui_app_error(app, "Cannot list folders: %s", err->msg);
		break;
	case UI_JOB_SEND:
		ui_compose_sent(app, job, err);
		break;
	case UI_JOB_FLUSH:
		ui_compose_flushed(app, err);
		break;
	case UI_JOB_APPEND:
		ui_compose_appended(app, job, err);
		break;
	case UI_JOB_COUNT:
	case UI_JOB_RECALL:
	case UI_JOB_POP3:
		break;
	case UI_JOB_SEARCH:
		ui_index_search_done(app, job, err);
		break;
	case UI_JOB_COPY:
		if (err != NULL) {
			ui_app_error(app, "Saving to %s failed: %s", job->arg ? job->arg : "?",
			             err->msg);
			break;
		}
		ui_app_message(app, "Saved to %s.", job->arg ? job->arg : "?");
		break;
	}
}

/* Reads every summary again (the folder changed under us), keeping the
 * cursor on its message, the limit, and the tags (by Message-ID: the
 * numbering is void). */
static void
reload(struct ui_app *app, uint32_t exists)
{
	struct ui_msg *cur = ui_index_current(app->idx);
	char *limit = app->idx->limit_text != NULL ? xstrdup(app->idx->limit_text) : NULL;
	/* The limit goes over as it is: its ~b answers hold (ids are stable). */
	struct ui_pattern *limit_pat = app->idx->limit;
	struct ui_strv tagged = {0};

	app->idx->limit = NULL;
	for (size_t i = 0; i < app->idx->count; i++)
		if (app->idx->msgs[i].tagged && *app->idx->msgs[i].s.message_id)
			ui_strv_push(&tagged, app->idx->msgs[i].s.message_id);
	free(app->keep_msgid);
	app->keep_msgid = cur != NULL && *cur->s.message_id ? xstrdup(cur->s.message_id) : NULL;
	stop_loading(app);
	ui_index_free(&app->idx);
	app->gen++;
	app->idx = ui_index_new(exists);
	app->idx->ascii_tree = !ui_width_utf8();
	ui_index_set_sort(app->idx, app->sort, app->sort_reverse);
	ui_index_set_height(app->idx, (size_t)ui_app_body_rows(app));
	if (limit_pat != NULL)
		ui_index_set_limit(app->idx, limit_pat, limit);
	free(limit);
	ui_strv_clear(&app->retag);
	app->retag = tagged;
	app->load_next = exists;
	app->loading = 1;
	app->load_stopped = 0;
	post_window(app);
}

/* Reads every summary again in place: flags changed elsewhere, or
 * messages left (shown deleted until the next expunge).  Rows, tags,
 * the limit and the cursor stay. */
static void
refresh(struct ui_app *app, uint32_t exists)
{
	struct core_request *req;
	struct ui_job *job;

	if (exists > app->idx->count)
		ui_index_grow(app->idx, exists);
	if (app->idx->count == 0)
		return;
	/* A refresh still running is overtaken by this one. */
	for (struct ui_job *j = app->jobs; j != NULL; j = j->next)
		if (j->kind == UI_JOB_HEADERS && j->purpose == UI_HEADERS_REFRESH)
			core_job_cancel(j->id);
	req = core_request_new(CORE_REQ_FETCH_HEADERS);
	req->u.fetch_headers.first = 0;
	req->u.fetch_headers.count = (uint32_t)app->idx->count;
	job = ui_app_post(app, app->account, req, UI_JOB_HEADERS, NULL);
	job->purpose = UI_HEADERS_REFRESH;
}

static void
conn_state(struct ui_app *app, const struct core_ev_conn_state *c)
{
	enum core_conn_state before = app->conn_state;

	app->conn_state = c->state;
	app->conn_attempt = c->attempt;
	app->dirty = 1;
	switch (c->state) {
	case CORE_CONN_RECONNECTING:
		if (c->cause.kind == ERR_CANCELLED && c->attempt == 1) {
			/* Ctrl-G left a command the server had not finished, so
			 * the worker makes a new connection: no news, and the
			 * "Loading stopped" or "Cancelled." stays.  A failing
			 * attempt 2 still tells why. */
			app->conn_state = CORE_CONN_CONNECTING;
			break;
		}
		if (c->cause.kind != ERR_NONE)
			ui_app_message(app, "Connection lost (%s): reconnecting\u2026", c->cause.msg);
		else
			ui_app_message(app, "Reconnecting\u2026 (attempt %u)", c->attempt);
		break;
	case CORE_CONN_CONNECTED:
		if (before == CORE_CONN_RECONNECTING || before == CORE_CONN_OFFLINE) {
			ui_app_message(app, "Connected.");
			/* The network is back: so may be the mail server. */
			ui_compose_flush_outbox(app);
		}
		break;
	case CORE_CONN_OFFLINE:
		if (c->cause.kind != ERR_NONE)
			ui_app_error(app, "Offline: %s", c->cause.msg);
		break;
	default:
		break;
	}
}

/* Events no request asked for: new mail, a folder changed by someone
 * else, the connection's state, a failed idle. */
static void
unsolicited(struct ui_app *app, const struct core_event *ev)
{
	const char *folder;
	size_t before;
	struct ui_job *job;

	switch (ev->type) {
	case CORE_EV_NEW_MAIL:
		folder = ev->u.new_mail.folder;
		if (app->idx == NULL || !app->opened || folder == NULL || app->folder == NULL ||
		    strcmp(folder, app->folder) != 0 || ev->u.new_mail.exists <= app->idx->count) {
			struct str shown = STR_INIT;

			ui_url_redact(&shown, folder != NULL ? folder : "a folder");
			ui_app_message(app, "New mail in %s.", shown.s);
			str_free(&shown);
			if (config_bool(app->cfg, NULL, VAR_BEEP_NEW))
				ui_term_beep();
			break;
		}
		before = app->idx->count;
		ui_index_grow(app->idx, ev->u.new_mail.exists);
		{
			struct core_request *req = core_request_new(CORE_REQ_FETCH_HEADERS);

			req->u.fetch_headers.first = (uint32_t)before;
			req->u.fetch_headers.count = (uint32_t)(ev->u.new_mail.exists - before);
			job = ui_app_post(app, app->account, req, UI_JOB_HEADERS, "reading new mail");
			job->purpose = UI_HEADERS_NEW;
			job->msg_index = (uint32_t)(ev->u.new_mail.exists - before);
		}
		ui_browser_counts_changed(app);
		break;
	case CORE_EV_FOLDER_CHANGED:
		folder = ev->u.folder_changed.folder;
		if (app->idx == NULL || !app->opened || folder == NULL || app->folder == NULL ||
		    strcmp(folder, app->folder) != 0)
			break;
		if (ev->u.folder_changed.reopened) {
			reload(app, ev->u.folder_changed.exists);
			ui_app_message(app, "%s changed elsewhere: read again.", app->folder_shown);
		} else {
			refresh(app, ev->u.folder_changed.exists);
		}
		ui_browser_counts_changed(app);
		break;
	case CORE_EV_CONN_STATE:
		conn_state(app, &ev->u.conn_state);
		break;
	case CORE_EV_ERROR:
		ui_app_error(app, "%s", ev->u.error.err.msg);
		break;
	default:
		break;
	}
}

void
ui_app_event(struct ui_app *app, struct core_event *ev)
{
	struct ui_job *job = ev->job_id != 0 ? job_find(app, ev->job_id) : NULL;

	if (ev->job_id == 0) {
		unsolicited(app, ev);
		core_event_free(&ev);
		return;
	}
	if (job == NULL) {
		core_event_free(&ev);
		return;
	}
	if (job->kind == UI_JOB_RECALL) {
		ui_compose_recall_event(app, job, ev);
		if (core_event_is_final(ev))
			job_remove(app, job);
		core_event_free(&ev);
		return;
	}
	if (job->kind == UI_JOB_POP3) {
		ui_index_pop3_event(app, job, ev);
		if (core_event_is_final(ev))
			job_remove(app, job);
		core_event_free(&ev);
		return;
	}
	if (job->kind == UI_JOB_COUNT) {
		ui_browser_count_event(app, job, ev);
		if (core_event_is_final(ev))
			job_remove(app, job);
		core_event_free(&ev);
		return;
	}
	switch (ev->type) {
	case CORE_EV_PROGRESS:
		/* A part fetched in ranges counts its own progress. */
		if (job->kind == UI_JOB_FETCH && job->purpose == UI_FETCH_PART)
			break;
		job->done = ev->u.progress.done;
		job->total = ev->u.progress.total;
		app->dirty = 1;
		break;
	case CORE_EV_FOLDER_OPENED:
		if (job->gen == app->gen)
			folder_opened(app, &ev->u.folder_opened);
		break;
	case CORE_EV_HEADERS:
		if (job->gen == app->gen && app->idx != NULL) {
			ui_index_add(app->idx, ev->u.headers.first, ev->u.headers.items,
			             ev->u.headers.count);
			app->dirty = 1;
		}
		break;
	case CORE_EV_PART_DATA:
		str_append_len(&job->data, ev->u.part_data.data, ev->u.part_data.len);
		break;
	case CORE_EV_PART_LIST:
		if (job->gen == app->gen && job->kind == UI_JOB_FETCH)
			ui_pager_part_list(app, job, &ev->u.part_list);
		break;
	case CORE_EV_FOLDERS:
		ui_browser_listed(app, job, &ev->u.folders);
		break;
	case CORE_EV_SEARCH_RESULT:
		if (job->kind == UI_JOB_SEARCH)
			ui_index_search_result(app, job, &ev->u.search_result);
		break;
	case CORE_EV_DONE:
	case CORE_EV_ERROR:
		job_done(app, job, ev->type == CORE_EV_ERROR ? &ev->u.error.err : NULL);
		job_remove(app, job);
		break;
	default:
		break;
	}
	core_event_free(&ev);
}

/* While a folder loads, rebuilds (threading every message again) take at
 * most a ninth of the UI thread, so keys seldom land in one. */
static long
rebuild_interval(const struct ui_app *app)
{
	return app->rebuild_cost_ms * 8 > REBUILD_MS ? app->rebuild_cost_ms * 8 : REBUILD_MS;
}

void
ui_app_prepare_draw(struct ui_app *app)
{
	long now;

	ui_browser_sync_counts(app);
	if (app->idx == NULL || !app->idx->dirty)
		return;
	now = now_ms();
	/* Until some summaries are on the screen (more than the ones that
	 * came since the last rebuild), each rebuild shows the first ones. */
	if (app->loading && app->idx->nrows > 0 && app->idx->counts.loaded > app->idx->nfresh &&
	    (app->keys_waiting || now - app->last_rebuild_ms < rebuild_interval(app)))
		return;
	ui_index_rebuild(app->idx);
	app->last_rebuild_ms = now_ms();
	app->rebuild_cost_ms = app->last_rebuild_ms - now;
}

/* The sooner of two timeouts (-1: none). */
static int
sooner(int a, int b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

int
ui_app_timeout(const struct ui_app *app)
{
	long left;
	int other = sooner(app->query != NULL ? ui_query_ms_left(app->query) : -1,
	                   ui_index_pop3_timeout(app));

	if (app->idx == NULL || !app->idx->dirty)
		return other;
	left = rebuild_interval(app) - (now_ms() - app->last_rebuild_ms);
	if (left < 0)
		left = 0;
	return sooner(other, (int)left);
}

void
ui_app_tick(struct ui_app *app)
{
	if (app->idx != NULL && app->idx->dirty)
		app->dirty = 1;
	/* A query command past its time, or whose output ended. */
	if (app->query != NULL &&
	    (ui_query_ms_left(app->query) == 0 || ui_query_fd(app->query) < 0))
		ui_compose_query_ready(app);
	ui_index_pop3_tick(app);
}

int
ui_app_query_fd(const struct ui_app *app)
{
	return app->query != NULL ? ui_query_fd(app->query) : -1;
}

void
ui_app_interrupt(struct ui_app *app, const char *why)
{
	log_info("%s: leaving without writing %s", why,
	         app->folder_shown ? app->folder_shown : "the folder");
	app->quit = 1;
	app->exit_status = 1;
}

void
ui_app_exit_fn(struct ui_app *app)
{
	ui_app_ask(app, "Leave without saving changes?", 1, exit_confirmed);
}

void
ui_app_fetch(struct ui_app *app, struct ui_msg *m, enum ui_fetch_purpose purpose, const char *arg)
{
	struct core_request *req;
	struct ui_job *job;

	/* A newer fetch of the same kind replaces one still running. */
	for (struct ui_job *j = app->jobs; j != NULL; j = j->next)
		if (j->kind == UI_JOB_FETCH && j->purpose == (int)purpose)
			core_job_cancel(j->id);
	req = core_request_new(CORE_REQ_FETCH_MESSAGE);
	req->u.fetch_message.id = m->s.id;
	job = ui_app_post(app, app->account, req, UI_JOB_FETCH, "reading message");
	job->purpose = purpose;
	job->msg_id = m->s.id;
	job->msg_index = (uint32_t)(m - app->idx->msgs);
	job->arg = arg != NULL ? xstrdup(arg) : NULL;
}
