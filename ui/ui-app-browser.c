/* The folder browser and the sidebar. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-xalloc.h"
#include "ui/ui-app.h"

static void
list_folders(struct ui_app *app, int browser)
{
	struct core_request *req = core_request_new(CORE_REQ_LIST_FOLDERS);
	struct ui_job *job;

	if (app->folder_root == NULL) {
		core_request_free(&req);
		ui_app_error(app, "The folder variable names no folder directory.");
		return;
	}
	req->u.list_folders.pattern = arena_strdup(req->arena, app->folder_root);
	job = ui_app_post(app, app->account, req, UI_JOB_LIST, "listing folders");
	job->browser = browser;
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

static void
add_entry(struct ui_folder_entry **v, size_t *n, const char *name, const char *path,
          const struct core_folder *f)
{
	struct ui_folder_entry *e;
	struct str clean = STR_INIT;

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
		e->noselect = (f->flags & CORE_FOLDER_NOSELECT) != 0;
	}
	str_free(&clean);
}

void
ui_browser_listed(struct ui_app *app, struct ui_job *job, const struct core_ev_folders *f)
{
	struct ui_folder_entry **v = job->browser ? &app->folders : &app->mailboxes;
	size_t *n = job->browser ? &app->nfolders : &app->nmailboxes;

	if (!job->browser && app->nmailboxes > 0)
		return;
	for (size_t i = 0; i < f->count; i++) {
		char *path = xasprintf("%s/%s", app->folder_root, f->items[i].name);

		add_entry(v, n, f->items[i].name, path, &f->items[i]);
		free(path);
	}
	if (job->browser)
		ui_app_message(app, "%zu folder%s in %s.", *n, *n == 1 ? "" : "s",
		               app->folder_root);
	app->dirty = 1;
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
