/* The folder browser and the sidebar. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "ui/ui-app.h"

/* Lists the folders under root; prefix (an account's name, or NULL)
 * goes in front of their names. */
static void
list_root(struct ui_app *app, const char *root, const char *prefix, int browser)
{
	struct core_request *req = core_request_new(CORE_REQ_LIST_FOLDERS);
	struct ui_job *job;

	req->u.list_folders.pattern = arena_strdup(req->arena, root);
	job = ui_app_post(app, app->account, req, UI_JOB_LIST, "listing folders");
	job->browser = browser;
	job->arg = xstrdup(root);
	job->prefix = prefix != NULL ? xstrdup(prefix) : NULL;
}

/* The folder directory, then each account's folder when it names
 * another place. */
static void
list_folders(struct ui_app *app, int browser)
{
	size_t n = config_account_count(app->cfg);
	int any = 0;

	if (app->folder_root != NULL) {
		list_root(app, app->folder_root, NULL, browser);
		any = 1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct config_account *acct = config_account_at(app->cfg, i);
		const char *folder = config_string(app->cfg, acct, VAR_FOLDER);
		char *root = NULL;
		struct err err;

		if (folder == NULL || config_expand_folder(app->cfg, acct, folder, &root, &err) < 0)
			continue;
		if (app->folder_root == NULL || strcmp(root, app->folder_root) != 0) {
			list_root(app, root, config_account_name(acct), browser);
			any = 1;
		}
		free(root);
	}
	if (!any)
		ui_app_error(app, "The folder variable names no folder directory.");
}
void
ui_browser_open(struct ui_app *app)
{
	ui_folder_entries_free(&app->folders, &app->nfolders);
	app->browser_cursor = app->browser_top = 0;
	app->screen = UI_SCR_BROWSER;
	list_folders(app, 1);
	if (app->folder_root != NULL)
		ui_app_message(app, "Listing %s...", app->folder_root);
}

static struct ui_folder_entry *
find_entry(struct ui_folder_entry *v, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].path, path) == 0)
			return &v[i];
	return NULL;
}

/* Adds an entry, or updates the one with the same path (a listing made
 * again after new mail keeps the list and the cursor). */
static void
add_entry(struct ui_folder_entry **v, size_t *n, const char *name, const char *path,
          const struct core_folder *f)
{
	struct ui_folder_entry *e = find_entry(*v, *n, path);
	struct str clean = STR_INIT;

	if (e != NULL) {
		if (f != NULL && f->counted) {
			e->messages = f->messages;
			e->unseen = f->unseen;
			e->counted = 1;
		} else {
			/* Counted by the counting worker: again, it may have changed. */
			e->count_tried = 0;
		}
		return;
	}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	e = &(*v)[(*n)++];
	memset(e, 0, sizeof(*e));
	/* Folder names come from the disk or a server: shown sanitised, and
	 * a URL without its password. */
	{
		struct str plain = STR_INIT;

		ui_url_redact(&plain, name);
		core_folder_sanitize(&clean, plain.s, plain.len, 0);
		str_free(&plain);
	}
	e->name = str_detach(&clean);
	e->path = xstrdup(path);
	if (f != NULL) {
		e->messages = f->messages;
		e->unseen = f->unseen;
		e->counted = f->counted;
		e->count_tried = f->counted;
		e->noselect = (f->flags & CORE_FOLDER_NOSELECT) != 0;
	}
	str_free(&clean);
}

/* The open folder's entry shows the index's own counts. */
static void
sync_open_folder(struct ui_app *app, struct ui_folder_entry *v, size_t n)
{
	struct ui_folder_entry *e;

	if (app->folder == NULL || app->idx == NULL || !app->opened || app->loading)
		return;
	e = find_entry(v, n, app->folder);
	if (e == NULL)
		return;
	if (!e->counted || e->messages != app->idx->count ||
	    e->unseen != app->idx->counts.unread)
		app->dirty = 1;
	e->messages = (uint32_t)app->idx->count;
	e->unseen = (uint32_t)app->idx->counts.unread;
	e->counted = 1;
	e->count_tried = 1;
}

/* The next entry to count: selectable, not counted by its listing, and
 * not the open folder (its index counts it). */
static struct ui_folder_entry *
next_uncounted(struct ui_app *app)
{
	struct ui_folder_entry *lists[2] = {app->folders, app->mailboxes};
	size_t ns[2] = {app->nfolders, app->nmailboxes};

	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < ns[k]; i++) {
			struct ui_folder_entry *e = &lists[k][i];

			if (e->noselect || e->count_tried)
				continue;
			if (app->folder != NULL && strcmp(e->path, app->folder) == 0)
				continue;
			return e;
		}
	return NULL;
}

enum { COUNT_OPEN, COUNT_HEADERS, COUNT_CLOSE };

static void
count_post(struct ui_app *app, struct core_request *req, int step, const char *path,
           uint64_t total)
{
	struct ui_job *job = ui_app_post(app, app->counter, req, UI_JOB_COUNT, NULL);

	job->purpose = step;
	job->arg = xstrdup(path);
	job->total = total;
	job->cancellable = 0;
	app->counting = 1;
}

/* Starts counting the next folder that needs it, unless a count runs. */
static void
count_next(struct ui_app *app)
{
	struct ui_folder_entry *e;
	struct core_request *req;

	if (app->counting)
		return;
	e = next_uncounted(app);
	if (e == NULL) {
		if (app->counter != NULL && app->counter_open) {
			/* Done: the last folder counted need not stay open. */
			req = core_request_new(CORE_REQ_CLOSE_FOLDER);
			count_post(app, req, COUNT_CLOSE, "", 0);
			app->counter_open = 0;
		}
		return;
	}
	if (app->counter == NULL) {
		struct core_account_params ap;
		struct err err;

		memset(&ap, 0, sizeof(ap));
		ap.name = "count";
		ap.root = app->folder_root;
		if (core_account_start(&ap, app->events, &app->counter, &err) < 0) {
			ui_app_error(app, "Cannot count folders: %s", err.msg);
			return;
		}
	}
	e->count_tried = 1;
	req = core_request_new(CORE_REQ_OPEN_FOLDER);
	req->u.open_folder.folder = arena_strdup(req->arena, e->path);
	req->u.open_folder.read_only = 1;
	count_post(app, req, COUNT_OPEN, e->path, 0);
	app->counter_open = 1;
}

static void
set_counts(struct ui_app *app, const char *path, uint32_t messages, uint32_t unseen)
{
	struct ui_folder_entry *e;

	if ((e = find_entry(app->folders, app->nfolders, path)) != NULL) {
		e->messages = messages;
		e->unseen = unseen;
		e->counted = 1;
	}
	if ((e = find_entry(app->mailboxes, app->nmailboxes, path)) != NULL) {
		e->messages = messages;
		e->unseen = unseen;
		e->counted = 1;
	}
	app->dirty = 1;
}

void
ui_browser_count_event(struct ui_app *app, struct ui_job *job, const struct core_event *ev)
{
	struct core_request *req;

	switch (ev->type) {
	case CORE_EV_FOLDER_OPENED:
		job->total = ev->u.folder_opened.exists;
		break;
	case CORE_EV_HEADERS:
		/* done counts the unseen ones among the summaries read. */
		for (size_t i = 0; i < ev->u.headers.count; i++)
			if (!(ev->u.headers.items[i].flags & MIME_FLAG_SEEN))
				job->done++;
		break;
	case CORE_EV_ERROR:
		/* The folder stays uncounted; the next one gets its turn. */
		app->counting = 0;
		log_info("counting %s: %s", job->arg, ev->u.error.err.msg);
		count_next(app);
		break;
	case CORE_EV_DONE:
		app->counting = 0;
		if (job->purpose == COUNT_OPEN && job->total > 0) {
			req = core_request_new(CORE_REQ_FETCH_HEADERS);
			req->u.fetch_headers.first = 0;
			req->u.fetch_headers.count = (uint32_t)job->total;
			count_post(app, req, COUNT_HEADERS, job->arg, job->total);
			break;
		}
		if (job->purpose == COUNT_OPEN || job->purpose == COUNT_HEADERS)
			set_counts(app, job->arg, (uint32_t)job->total, (uint32_t)job->done);
		/* Also after closing: folders listed meanwhile wait for it. */
		count_next(app);
		break;
	default:
		break;
	}
}

void
ui_browser_listed(struct ui_app *app, struct ui_job *job, const struct core_ev_folders *f)
{
	struct ui_folder_entry **v = job->browser ? &app->folders : &app->mailboxes;
	size_t *n = job->browser ? &app->nfolders : &app->nmailboxes;
	const char *root = job->arg != NULL ? job->arg : app->folder_root;
	size_t rl = root != NULL ? strlen(root) : 0;

	if (root == NULL)
		return;
	for (size_t i = 0; i < f->count; i++) {
		const char *sep = rl > 0 && root[rl - 1] == '/' ? "" : "/";
		char *path = xasprintf("%s%s%s", root, sep, f->items[i].name);
		char *name = job->prefix != NULL && *job->prefix != '\0'
		                 ? xasprintf("%s: %s", job->prefix, f->items[i].name)
		                 : xstrdup(f->items[i].name);

		add_entry(v, n, name, path, &f->items[i]);
		free(name);
		free(path);
	}
	sync_open_folder(app, *v, *n);
	if (job->browser) {
		struct str shown = STR_INIT;

		ui_url_redact(&shown, root);
		ui_app_message(app, "%zu folder%s in %s.", *n, *n == 1 ? "" : "s", shown.s);
		str_free(&shown);
	}
	count_next(app);
	app->dirty = 1;
}

void
ui_browser_counts_changed(struct ui_app *app)
{
	if (app->screen == UI_SCR_BROWSER)
		list_folders(app, 1);
}

void
ui_browser_sync_counts(struct ui_app *app)
{
	if (app->screen == UI_SCR_BROWSER)
		sync_open_folder(app, app->folders, app->nfolders);
	if (app->sidebar)
		sync_open_folder(app, app->mailboxes, app->nmailboxes);
}

static void
change_done(struct ui_app *app, const char *text, int yes)
{
	char *path;

	(void)yes;
	if (text == NULL || *text == '\0')
		return;
	path = ui_app_expand(app, text);
	if (path != NULL)
		ui_app_change_folder_to(app, path);
	free(path);
}

int
ui_browser_fn(struct ui_app *app, enum ui_fn fn)
{
	size_t h = (size_t)ui_app_body_rows(app);
	size_t n = app->nfolders;

	switch (fn) {
	case UI_FN_NEXT_ENTRY:
		if (app->browser_cursor + 1 < n)
			app->browser_cursor++;
		break;
	case UI_FN_PREVIOUS_ENTRY:
		if (app->browser_cursor > 0)
			app->browser_cursor--;
		break;
	case UI_FN_FIRST_ENTRY:
		app->browser_cursor = 0;
		break;
	case UI_FN_LAST_ENTRY:
		app->browser_cursor = n > 0 ? n - 1 : 0;
		break;
	case UI_FN_NEXT_PAGE:
	case UI_FN_HALF_DOWN:
		app->browser_cursor =
		    app->browser_cursor + h < n ? app->browser_cursor + h : (n > 0 ? n - 1 : 0);
		break;
	case UI_FN_PREVIOUS_PAGE:
	case UI_FN_HALF_UP:
		app->browser_cursor = app->browser_cursor > h ? app->browser_cursor - h : 0;
		break;
	case UI_FN_SELECT_ENTRY:
		if (app->browser_cursor >= n)
			return 1;
		if (app->folders[app->browser_cursor].noselect) {
			ui_app_error(app, "%s holds only other folders.",
			             app->folders[app->browser_cursor].name);
			return 1;
		}
		app->screen = UI_SCR_INDEX;
		ui_app_change_folder_to(app, app->folders[app->browser_cursor].path);
		return 1;
	case UI_FN_CHANGE_FOLDER:
		ui_app_prompt(app, "Open folder: ", NULL, UI_HIST_FOLDER, UI_COMPLETE_FOLDER,
		              change_done);
		return 1;
	case UI_FN_EXIT:
		app->screen = UI_SCR_INDEX;
		return 1;
	default:
		return 0;
	}
	if (app->browser_cursor < app->browser_top)
		app->browser_top = app->browser_cursor;
	if (app->browser_cursor >= app->browser_top + h)
		app->browser_top = app->browser_cursor - h + 1;
	return 1;
}

void
ui_sidebar_refresh(struct ui_app *app)
{
	const struct config_record *recs;
	size_t n = 0;

	ui_folder_entries_free(&app->mailboxes, &app->nmailboxes);
	recs = config_records(app->cfg, &n);
	for (size_t i = 0; i < n; i++) {
		if (recs[i].kind == CONFIG_REC_UNMAILBOXES) {
			for (size_t k = 0; k < recs[i].argc; k++) {
				if (strcmp(recs[i].argv[k], "*") == 0) {
					ui_folder_entries_free(&app->mailboxes, &app->nmailboxes);
					break;
				}
				for (size_t j = 0; j < app->nmailboxes; j++) {
					if (strcmp(app->mailboxes[j].name, recs[i].argv[k]) == 0) {
						free(app->mailboxes[j].name);
						free(app->mailboxes[j].path);
						memmove(&app->mailboxes[j], &app->mailboxes[j + 1],
						        (app->nmailboxes - j - 1) *
						            sizeof(*app->mailboxes));
						app->nmailboxes--;
						break;
					}
				}
			}
			continue;
		}
		if (recs[i].kind != CONFIG_REC_MAILBOXES)
			continue;
		for (size_t k = 0; k < recs[i].argc; k++) {
			char *path = NULL;
			struct err err;

			if (config_expand_folder(app->cfg, NULL, recs[i].argv[k], &path, &err) < 0)
				continue;
			add_entry(&app->mailboxes, &app->nmailboxes, recs[i].argv[k], path, NULL);
			free(path);
		}
	}
	if (app->nmailboxes == 0)
		list_folders(app, 0);
	if (app->sidebar_cursor >= app->nmailboxes)
		app->sidebar_cursor = 0;
	app->dirty = 1;
}

int
ui_sidebar_fn(struct ui_app *app, enum ui_fn fn)
{
	switch (fn) {
	case UI_FN_SIDEBAR_TOGGLE:
		app->sidebar = !app->sidebar;
		if (app->sidebar && app->nmailboxes == 0)
			ui_sidebar_refresh(app);
		ui_pager_relayout(app);
		app->clear = 1;
		return 1;
	case UI_FN_SIDEBAR_NEXT:
		if (app->sidebar_cursor + 1 < app->nmailboxes)
			app->sidebar_cursor++;
		return 1;
	case UI_FN_SIDEBAR_PREV:
		if (app->sidebar_cursor > 0)
			app->sidebar_cursor--;
		return 1;
	case UI_FN_SIDEBAR_OPEN:
		if (app->sidebar_cursor < app->nmailboxes)
			ui_app_change_folder_to(app, app->mailboxes[app->sidebar_cursor].path);
		return 1;
	default:
		return 0;
	}
}
