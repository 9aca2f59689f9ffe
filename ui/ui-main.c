/* Starting and stopping the TUI: configuration, key bindings, workers. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "core/core.h"
#include "ui/ui-app.h"
#include "ui/ui-term.h"
#include "ui/ui-width.h"
#include "ui/ui.h"

static FILE *debug_file;

static void
load_config(struct config *cfg, const struct ui_opts *o, struct ui_strv *errors)
{
	struct err err;
	char *path;

	if (!o->no_sysrc) {
		char *sys = xasprintf("%s/petrel.rc", PETREL_SYSCONFDIR);

		config_load_file(cfg, access(sys, F_OK) == 0 ? sys : "/etc/mail.rc",
		                 CONFIG_LOAD_MAILRC | CONFIG_LOAD_OPTIONAL, &err);
		free(sys);
	}
	path = config_mailrc_path();
	if (path != NULL)
		config_load_file(cfg, path, CONFIG_LOAD_MAILRC | CONFIG_LOAD_OPTIONAL, &err);
	free(path);
	path = o->config_file != NULL ? xstrdup(o->config_file) : config_default_path();
	if (path != NULL)
		config_load_file(cfg, path, o->config_file != NULL ? 0 : CONFIG_LOAD_OPTIONAL,
		                 &err);
	free(path);
	for (size_t i = 0; i < config_error_count(cfg); i++)
		ui_strv_push(errors, config_error(cfg, i));
	for (size_t i = 0; i < o->nvars; i++)
		if (config_set_override(cfg, o->vars[i], &err) < 0)
			ui_strv_take(errors, xasprintf("-S %s: %s", o->vars[i], err.msg));
}

/* Where a keymap file is: next to the binary (a build that is not
 * installed), then the installed data, then the source tree it was
 * built from. */
static char *
keymap_path(const char *argv0, const char *name, struct str *tried)
{
	char *dirs[3] = {NULL, NULL, NULL};
	char *found = NULL;
	const char *slash = argv0 != NULL ? strrchr(argv0, '/') : NULL;

	if (slash != NULL)
		dirs[0] = xasprintf("%.*s/keymaps", (int)(slash - argv0), argv0);
	dirs[1] = xstrdup(PETREL_PKGDATADIR "/keymaps");
#ifdef PETREL_SRCDIR
	dirs[2] = xstrdup(PETREL_SRCDIR "/keymaps");
#endif
	for (int i = 0; i < 3 && found == NULL; i++) {
		char *p;

		if (dirs[i] == NULL)
			continue;
		p = xasprintf("%s/%s.keys", dirs[i], name);
		if (access(p, R_OK) == 0)
			found = p;
		else {
			str_appendf(tried, "%s%s", tried->len ? ", " : "", dirs[i]);
			free(p);
		}
	}
	for (int i = 0; i < 3; i++)
		free(dirs[i]);
	return found;
}

static struct ui_keymap *
load_keymaps(const struct config *cfg, const char *argv0, struct ui_strv *errors)
{
	const char *name = config_string(cfg, NULL, VAR_KEYMAP);
	const struct config_record *recs;
	struct ui_keymap *km;
	struct str tried = STR_INIT;
	char *path;
	size_t n = 0;

	if (name == NULL)
		name = "default";
	path = keymap_path(argv0, name, &tried);
	if (path == NULL) {
		fprintf(stderr,
		        "petrel: cannot find the key bindings %s.keys (looked in %s); "
		        "reinstall petrel\n",
		        name, tried.s ? tried.s : "nowhere");
		str_free(&tried);
		return NULL;
	}
	str_free(&tried);
	km = ui_keymap_new();
	ui_keymap_load_file(km, path, errors);
	free(path);
	recs = config_records(cfg, &n);
	for (size_t i = 0; i < n; i++) {
		struct err err;

		if (recs[i].kind != CONFIG_REC_BIND && recs[i].kind != CONFIG_REC_MACRO)
			continue;
		if (ui_keymap_command(km, recs[i].kind == CONFIG_REC_MACRO, recs[i].argc,
		                      (const char *const *)recs[i].argv, &err) < 0)
			ui_strv_take(errors,
			             xasprintf("%s:%d: %s", recs[i].file, recs[i].line, err.msg));
	}
	return km;
}

static void
open_debug_file(const char *path)
{
	debug_file = fopen(path, "a");
	if (debug_file == NULL) {
		fprintf(stderr, "petrel: cannot write %s: %s\n", path, strerror(errno));
		return;
	}
	setvbuf(debug_file, NULL, _IOLBF, 0);
	log_set_sink(log_sink_stdio, debug_file);
	log_set_level(LOG_DEBUG);
	log_enable_channels(LOG_CH_ALL);
}

int
ui_main(const struct ui_opts *o)
{
	struct config *cfg;
	struct ui_strv errors = {NULL, 0};
	struct ui_keymap *km;
	struct core_queue *events = NULL;
	struct core_worker *account = NULL;
	struct core_account_params ap;
	struct ui_app app;
	struct err err;
	const char *why, *start;
	char *root = NULL, *folder = NULL;
	int rc = 1;

	ui_width_init();
	core_folder_msg_init();
	/* Nothing may write to the terminal while curses owns it: logs go to
	 * the debug file, or nowhere. */
	log_set_sink(NULL, NULL);
	if (o->debug_file != NULL)
		open_debug_file(o->debug_file);
	cfg = config_new();
	load_config(cfg, o, &errors);
	if (o->debug_file == NULL && config_string(cfg, NULL, VAR_DEBUG_FILE) != NULL)
		open_debug_file(config_string(cfg, NULL, VAR_DEBUG_FILE));
	/* What the stores need of the configuration (notmuch queries, the
	 * POP3 and IMAP settings), before any worker starts. */
	core_store_setup(cfg);
	core_account_setup(cfg);
	km = load_keymaps(cfg, o->argv0, &errors);
	if (km == NULL)
		goto out;
	events = core_event_queue_new(&err);
	if (events == NULL) {
		fprintf(stderr, "petrel: %s\n", err.msg);
		ui_keymap_free(&km);
		goto out;
	}
	if (config_string(cfg, NULL, VAR_FOLDER) != NULL)
		config_expand_folder(cfg, NULL, config_string(cfg, NULL, VAR_FOLDER), &root, &err);
	memset(&ap, 0, sizeof(ap));
	ap.name = "local";
	ap.root = root;
	if (core_account_start(&ap, events, &account, &err) < 0) {
		fprintf(stderr, "petrel: %s\n", err.msg);
		ui_keymap_free(&km);
		goto out;
	}
	ui_app_init(&app, cfg, km, events, account);
	start = o->folder != NULL ? o->folder : config_string(cfg, NULL, VAR_SPOOLFILE);
	if (start != NULL && config_expand_folder(cfg, NULL, start, &folder, &err) < 0)
		ui_strv_take(&errors, xasprintf("%s: %s", start, err.msg));
	if (folder != NULL)
		ui_app_open_folder(&app, folder);
	if (errors.n > 0) {
		ui_app_error(&app, "%s%s", errors.v[0],
		             errors.n > 1 ? " (all of them on standard error when you leave)" : "");
	} else if (folder == NULL) {
		ui_app_error(&app, "No folder to open: set spoolfile (or $MAIL), or press c.");
	}
	if (ui_loop_run(&app, &why) < 0) {
		fprintf(stderr, "petrel: %s\n", why);
		rc = 1;
	} else {
		rc = app.exit_status;
	}
	/* Stopping the workers cancels what they still run. */
	core_worker_free(&app.account);
	if (app.sender != NULL)
		core_worker_free(&app.sender);
	ui_app_free(&app);
	for (size_t i = 0; i < errors.n; i++)
		fprintf(stderr, "petrel: %s\n", errors.v[i]);
out:
	if (events != NULL)
		core_event_queue_free(&events);
	ui_strv_clear(&errors);
	free(root);
	free(folder);
	core_store_reset();
	core_account_reset();
	config_free(&cfg);
	core_folder_msg_shutdown();
	if (debug_file != NULL) {
		log_set_sink(NULL, NULL);
		fclose(debug_file);
		debug_file = NULL;
	}
	return rc;
}
