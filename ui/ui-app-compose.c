/* Writing mail: new messages, replies and forwards (inline or attached),
 * the editor, the compose screen, address completion in its prompts,
 * sending (and stopping a send), postponing and recalling. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base-file.h"
#include "base/base-xalloc.h"
#include "core/core-view-send.h"
#include "ui/ui-app.h"
#include "ui/ui-complete.h"
#include "ui/ui-term.h"

#define SIGNATURE_MAX (64 * 1024)
#define DRAFT_MAX (64 * 1024 * 1024)

/* A reply waiting for the answers to its questions (Reply-To, include). */
struct pending_reply {
	enum ui_fetch_purpose purpose;
	uint32_t index;
	int use_reply_to;
	char *from, *reply_to, *to, *cc, *subject, *date, *message_id, *references, *list_post;
	char *from_addr, *from_name;
	char **to_addrs, **cc_addrs;
	size_t nto, ncc;
	struct str body;
	struct str raw; /* the original as stored (forwards) */
};

static struct pending_reply pending;

static void cyc_clear(void);

static void
pending_clear(void)
{
	free(pending.from);
	free(pending.reply_to);
	free(pending.to);
	free(pending.cc);
	free(pending.subject);
	free(pending.date);
	free(pending.message_id);
	free(pending.references);
	free(pending.list_post);
	free(pending.from_addr);
	free(pending.from_name);
	core_send_strv_free(pending.to_addrs, pending.nto);
	core_send_strv_free(pending.cc_addrs, pending.ncc);
	str_free(&pending.body);
	str_free(&pending.raw);
	memset(&pending, 0, sizeof(pending));
}

static char *
signature(struct ui_app *app)
{
	const char *path = config_string(app->cfg, NULL, VAR_SIGNATURE);
	char *data = NULL;
	size_t len = 0;
	struct err err;

	if (path == NULL || file_read_all(path, SIGNATURE_MAX, &data, &len, &err) < 0)
		return NULL;
	return data;
}

static const char *
editor(struct ui_app *app)
{
	const char *e = config_string(app->cfg, NULL, VAR_EDITOR);

	return e != NULL && *e ? e : "vi";
}

/* The directory holding a forwarded message to attach, while the
 * message that attaches it is being written. */
static char *forward_dir;

/* Recalling postponed messages (below). */
static struct core_worker *drafts; /* reads the postponed folder */
static int recall_jobs;            /* RECALL jobs in flight */
static uint32_t recall_exists;     /* what the last open found */
static uint64_t recall_del_id;     /* the message to remove, once found */
static int recall_del_found;
static char *recall_msgid; /* the message being written came from there */
static char *recall_dir;   /* its attachments, saved */
static enum ui_screen recall_back;

static void
finish_compose(struct ui_app *app, int remove_file)
{
	if (remove_file && app->draft_path != NULL)
		unlink(app->draft_path);
	if (forward_dir != NULL) {
		ui_rm_tree(forward_dir);
		xfree(&forward_dir);
	}
	if (recall_dir != NULL) {
		ui_rm_tree(recall_dir);
		xfree(&recall_dir);
	}
	/* Not sent: it stays among the postponed messages. */
	xfree(&recall_msgid);
	xfree(&app->draft_path);
	ui_draft_clear(&app->draft);
	app->composing = 0;
	app->reply_index = UI_NONE;
	app->compose_cursor = 0;
	if (app->screen == UI_SCR_COMPOSE)
		app->screen = app->compose_back;
	app->dirty = 1;
}

static int
write_draft(struct ui_app *app, struct str *text)
{
	int fd;

	ui_draft_file_text(&app->draft, config_bool(app->cfg, NULL, VAR_EDIT_HEADERS), text);
	if (app->draft_path == NULL) {
		char *path = xasprintf("%s/petrel-draft-XXXXXX", ui_tmpdir());

		fd = mkstemp(path);
		if (fd < 0) {
			ui_app_error(app, "Cannot create a draft in %s: %s", ui_tmpdir(),
			             strerror(errno));
			free(path);
			return -1;
		}
		app->draft_path = path;
	} else {
		fd = open(app->draft_path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		if (fd < 0) {
			ui_app_error(app, "Cannot write %s: %s", app->draft_path, strerror(errno));
			return -1;
		}
	}
	if (file_write_full(fd, text->s ? text->s : "", text->len) < 0 || fsync(fd) < 0) {
		ui_app_error(app, "Cannot write %s: %s", app->draft_path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void unmodified_done(struct ui_app *app, const char *text, int yes);

/* Runs the editor on the draft.  The first time, the compose screen
 * opens only when the editor succeeded and (abort_unmodified) the text
 * changed. */
static void
edit(struct ui_app *app, int first)
{
	struct str before = STR_INIT, cmd = STR_INIT;
	char *data = NULL;
	size_t len = 0;
	struct err err;
	int status;

	if (write_draft(app, &before) < 0) {
		if (first)
			finish_compose(app, 1);
		goto out;
	}
	str_append(&cmd, editor(app));
	str_append_char(&cmd, ' ');
	ui_shell_quote(&cmd, app->draft_path);
	status = ui_app_run(app, cmd.s, NULL, 0);
	if (status != 0) {
		char why[64];

		if (status < 0)
			snprintf(why, sizeof(why), "could not be started");
		else if (WIFSIGNALED(status))
			snprintf(why, sizeof(why), "was killed by signal %d", WTERMSIG(status));
		else
			snprintf(why, sizeof(why), "exited with status %d", WEXITSTATUS(status));
		ui_app_error(app, "The editor %s: your draft is kept in %s", why, app->draft_path);
		if (first) {
			/* Keep the file: it is the user's text. */
			finish_compose(app, 0);
		}
		goto out;
	}
	if (file_read_all(app->draft_path, DRAFT_MAX, &data, &len, &err) < 0) {
		ui_app_error(app, "%s (your draft is %s)", err.msg, app->draft_path);
		if (first)
			finish_compose(app, 0);
		goto out;
	}
	ui_draft_read_file(&app->draft, config_bool(app->cfg, NULL, VAR_EDIT_HEADERS), data, len);
	if (first) {
		app->compose_back = app->screen == UI_SCR_COMPOSE ? UI_SCR_INDEX : app->screen;
		app->composing = 1;
		if (len == before.len && memcmp(data, before.s ? before.s : "", len) == 0) {
			ui_app_ask_quad(app, VAR_ABORT_UNMODIFIED,
			                "The message is unchanged: cancel it?", unmodified_done);
			goto out;
		}
		app->screen = UI_SCR_COMPOSE;
	}
out:
	free(data);
	str_free(&before);
	str_free(&cmd);
}

static void
unmodified_done(struct ui_app *app, const char *text, int yes)
{
	if (text != NULL && yes) {
		finish_compose(app, 1);
		ui_app_message(app, "Message unchanged: not sent.");
		return;
	}
	app->screen = UI_SCR_COMPOSE;
}

static void
start_draft(struct ui_app *app, enum ui_draft_kind kind)
{
	const char *from = config_string(app->cfg, NULL, VAR_FROM);
	const char *record = config_string(app->cfg, NULL, VAR_RECORD);

	ui_draft_clear(&app->draft);
	ui_draft_init(&app->draft, kind);
	if (from != NULL)
		ui_draft_set(&app->draft.from, from);
	if (record != NULL)
		ui_draft_set(&app->draft.fcc, record);
	xfree(&app->draft_path);
	app->reply_index = UI_NONE;
	app->compose_cursor = 0;
}

static void
subject_done(struct ui_app *app, const char *text, int yes)
{
	char *sig;

	(void)yes;
	if (text == NULL) {
		ui_draft_clear(&app->draft);
		return;
	}
	sig = signature(app);
	ui_draft_new_message(&app->draft, app->draft.to, text, sig);
	free(sig);
	edit(app, 1);
}

static void
to_done(struct ui_app *app, const char *text, int yes)
{
	(void)yes;
	cyc_clear();
	if (text == NULL || *text == '\0') {
		if (text != NULL)
			ui_app_message(app, "No recipients: not writing a message.");
		ui_draft_clear(&app->draft);
		return;
	}
	ui_draft_set(&app->draft.to, text);
	ui_app_prompt(app, "Subject: ", NULL, UI_HIST_TEXT, UI_COMPLETE_NONE, subject_done);
}

static int
busy(struct ui_app *app)
{
	if (app->composing) {
		ui_app_error(app, "A message is being written: finish it first.");
		return 1;
	}
	return 0;
}

static int postponed_waiting(struct ui_app *app);
static void recall_forget(struct ui_app *app, int remove);
static void recall_q_done(struct ui_app *app, const char *text, int yes);

void
ui_compose_start(struct ui_app *app, enum ui_draft_kind kind)
{
	if (busy(app))
		return;
	if (kind == UI_DRAFT_NEW && !app->recalling &&
	    config_quad(app->cfg, NULL, VAR_RECALL) != CONFIG_QUAD_NO && postponed_waiting(app)) {
		ui_app_ask_quad(app, VAR_RECALL, "Recall postponed message?", recall_q_done);
		return;
	}
	start_draft(app, kind);
	ui_app_prompt(app, "To: ", NULL, UI_HIST_ADDRESS, UI_COMPLETE_ADDRESS, to_done);
}

static void
build_reply(struct ui_app *app, int include)
{
	struct ui_reply_src src;
	struct ui_reply_opts o;
	struct ui_strv me = {NULL, 0};
	enum ui_draft_kind kind;
	char *sig = signature(app);
	struct err err;

	memset(&src, 0, sizeof(src));
	src.from = pending.from;
	src.reply_to = pending.reply_to;
	src.to = pending.to;
	src.cc = pending.cc;
	src.to_addrs = (const char *const *)pending.to_addrs;
	src.nto_addrs = pending.nto;
	src.cc_addrs = (const char *const *)pending.cc_addrs;
	src.ncc_addrs = pending.ncc;
	src.from_addr = pending.from_addr;
	src.from_name = pending.from_name;
	src.subject = pending.subject;
	src.date = pending.date;
	src.message_id = pending.message_id;
	src.references = pending.references;
	src.list_post = pending.list_post;
	src.body = pending.body.s;
	start_draft(app, UI_DRAFT_REPLY);
	if (pending.purpose == UI_FETCH_FORWARD) {
		ui_draft_forward(&app->draft, &src, sig);
	} else {
		kind = pending.purpose == UI_FETCH_GROUP_REPLY  ? UI_DRAFT_GROUP_REPLY
		       : pending.purpose == UI_FETCH_LIST_REPLY ? UI_DRAFT_LIST_REPLY
		                                                : UI_DRAFT_REPLY;
		ui_app_me(app, &me);
		memset(&o, 0, sizeof(o));
		o.use_reply_to = pending.use_reply_to;
		o.include = include;
		o.metoo = config_bool(app->cfg, NULL, VAR_METOO);
		o.me = &me;
		o.attribution = config_string(app->cfg, NULL, VAR_ATTRIBUTION);
		o.quote_prefix = "> ";
		o.signature = sig;
		if (ui_draft_reply(&app->draft, kind, &src, &o, &err) < 0) {
			ui_app_error(app, "%s", err.msg);
			ui_draft_clear(&app->draft);
			goto out;
		}
	}
	app->reply_index = pending.index;
	app->reply_gen = app->gen;
	edit(app, 1);
out:
	ui_strv_clear(&me);
	free(sig);
	pending_clear();
}

/* Forwards pending.raw as an attachment: the file is named *.eml so
 * that it goes as a message/rfc822 part. */
static void
build_forward_attached(struct ui_app *app)
{
	struct ui_reply_src src;
	char *sig = signature(app), *file = NULL;
	struct err err;

	if (forward_dir != NULL) {
		ui_rm_tree(forward_dir);
		xfree(&forward_dir);
	}
	forward_dir = ui_mkdtemp("forward", &err);
	if (forward_dir == NULL) {
		ui_app_error(app, "%s", err.msg);
		goto out;
	}
	file = xasprintf("%s/forwarded-message.eml", forward_dir);
	if (file_write_atomic(file, pending.raw.s ? pending.raw.s : "", pending.raw.len, 0600,
	                      &err) < 0) {
		ui_app_error(app, "%s", err.msg);
		ui_rm_tree(forward_dir);
		xfree(&forward_dir);
		goto out;
	}
	memset(&src, 0, sizeof(src));
	src.subject = pending.subject;
	start_draft(app, UI_DRAFT_FORWARD);
	ui_draft_forward_attached(&app->draft, &src, file, sig);
	app->reply_index = pending.index;
	app->reply_gen = app->gen;
	edit(app, 1);
out:
	free(file);
	free(sig);
	pending_clear();
}

static void
mime_forward_done(struct ui_app *app, const char *text, int yes)
{
	if (text == NULL) {
		pending_clear();
		return;
	}
	if (yes)
		build_forward_attached(app);
	else
		build_reply(app, 1);
}

static void
include_done(struct ui_app *app, const char *text, int yes)
{
	if (text == NULL) {
		pending_clear();
		return;
	}
	build_reply(app, yes);
}

static void
reply_to_done(struct ui_app *app, const char *text, int yes)
{
	if (text == NULL) {
		pending_clear();
		return;
	}
	pending.use_reply_to = yes;
	ui_app_ask_quad(app, VAR_INCLUDE, "Include the message in the reply?", include_done);
}

static char *
header(struct core_folder_msg *msg, const char *name)
{
	char *v = core_folder_msg_header(msg, name);
	struct str clean = STR_INIT;

	if (v == NULL)
		return xstrdup("");
	/* What goes into the editor's file goes to the terminal later. */
	core_folder_sanitize(&clean, v, strlen(v), 0);
	free(v);
	return str_detach(&clean);
}

void
ui_compose_from_msg(struct ui_app *app, enum ui_fetch_purpose purpose, struct core_folder_msg *msg,
                    const char *raw, size_t rawlen, uint32_t index)
{
	char **from;
	size_t nfrom = 0;
	struct str body = STR_INIT;
	struct err err;
	char *id;

	if (busy(app))
		return;
	pending_clear();
	pending.purpose = purpose;
	pending.index = index;
	pending.from = header(msg, "From");
	pending.reply_to = header(msg, "Reply-To");
	pending.to = header(msg, "To");
	pending.cc = header(msg, "Cc");
	pending.subject = header(msg, "Subject");
	pending.date = header(msg, "Date");
	pending.references = header(msg, "References");
	pending.list_post = header(msg, "List-Post");
	id = header(msg, "Message-ID");
	pending.message_id = xstrndup(id + strspn(id, " <"), strcspn(id + strspn(id, " <"), "> "));
	free(id);
	from = core_folder_msg_addresses(msg, "From", &nfrom);
	pending.from_addr = xstrdup(nfrom > 0 ? from[0] : "");
	core_send_strv_free(from, nfrom);
	pending.from_name =
	    xstrdup(app->idx != NULL && index < app->idx->count && app->idx->msgs[index].loaded
	                ? app->idx->msgs[index].s.from_name
	                : pending.from_addr);
	pending.to_addrs = core_folder_msg_addresses(msg, "To", &pending.nto);
	pending.cc_addrs = core_folder_msg_addresses(msg, "Cc", &pending.ncc);
	if (core_folder_msg_body_text(msg, &body, &err) == 0)
		core_folder_sanitize(&pending.body, body.s ? body.s : "", body.len, 1);
	str_append(&pending.body, "");
	str_free(&body);
	if (purpose == UI_FETCH_FORWARD) {
		if (rawlen == 0) {
			/* Nothing to attach: the text is all there is. */
			build_reply(app, 1);
			return;
		}
		str_append_len(&pending.raw, raw, rawlen);
		ui_app_ask_quad(app, VAR_MIME_FORWARD, "Forward as attachment?", mime_forward_done);
		return;
	}
	if ((purpose == UI_FETCH_REPLY || purpose == UI_FETCH_GROUP_REPLY) && *pending.reply_to &&
	    strstr(pending.reply_to, pending.from_addr) == NULL) {
		char *q = xasprintf("Reply to %s?", pending.reply_to);

		ui_app_ask_quad(app, VAR_REPLY_TO, q, reply_to_done);
		free(q);
		return;
	}
	reply_to_done(app, "", 0);
}

void
ui_compose_reply(struct ui_app *app, enum ui_fetch_purpose purpose)
{
	struct ui_msg *m = app->idx != NULL ? ui_index_current(app->idx) : NULL;

	if (busy(app))
		return;
	if (m == NULL) {
		ui_app_error(app, "No message to answer.");
		return;
	}
	/* msg_raw is empty when the pager holds the text parts alone. */
	if (app->screen == UI_SCR_PAGER && app->msg != NULL && app->msg_raw.len > 0 &&
	    app->msg_index == (uint32_t)(m - app->idx->msgs)) {
		ui_compose_from_msg(app, purpose, app->msg, app->msg_raw.s ? app->msg_raw.s : "",
		                    app->msg_raw.len, app->msg_index);
		return;
	}
	ui_app_fetch(app, m, purpose, NULL);
	ui_app_message(app, "Reading the message...");
}

/*
 * Address completion.  Several matches: the first goes in and the list
 * is shown; Tab again, with the line as completion left it, puts the
 * next one in its place (round and round), as zsh's menu completion
 * does rather than mutt's menu.
 */
static struct {
	char *after;  /* the line as the last completion left it */
	size_t start; /* where the completed entry starts (code points) */
	size_t cursor;
	struct ui_strv matches;
	size_t next;
} cyc;

static void
cyc_clear(void)
{
	xfree(&cyc.after);
	ui_strv_clear(&cyc.matches);
	cyc.start = cyc.cursor = cyc.next = 0;
}

/* Says something above the open prompt (the message line is under it),
 * cut at a character boundary. */
static void __attribute__((format(printf, 2, 3)))
prompt_note(struct ui_app *app, const char *fmt, ...)
{
	char *note = app->prompt.note;
	size_t size = sizeof(app->prompt.note), n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(note, size, fmt, ap);
	va_end(ap);
	n = strlen(note);
	if (n == size - 1)
		while (n > 0 && ((unsigned char)note[n] & 0xc0) == 0x80)
			note[--n] = '\0';
	app->dirty = 1;
}

static void
cyc_show(struct ui_app *app)
{
	struct str list = STR_INIT;

	for (size_t i = 0; i < cyc.matches.n && list.len < sizeof(app->prompt.note); i++) {
		if (i > 0)
			str_append(&list, " | ");
		str_append(&list, cyc.matches.v[i]);
	}
	prompt_note(app, "%zu/%zu (Tab: next): %s", cyc.next + 1, cyc.matches.n,
	            list.s ? list.s : "");
	str_free(&list);
}

static void
cyc_put(struct ui_app *app)
{
	struct ui_line *l = &app->prompt.line;

	ui_line_replace(l, cyc.start, l->cursor, cyc.matches.v[cyc.next]);
	free(cyc.after);
	cyc.after = ui_line_text(l);
	cyc.cursor = l->cursor;
	app->dirty = 1;
}

/* The matches are in cyc.matches: the first goes in. */
static void
complete_with_matches(struct ui_app *app, const char *prefix)
{
	if (cyc.matches.n == 0) {
		ui_term_beep();
		prompt_note(app, "Nothing matches \"%s\".", prefix);
		cyc_clear();
		return;
	}
	cyc_put(app);
	if (cyc.matches.n > 1)
		cyc_show(app);
	else
		app->prompt.note[0] = '\0';
}

/* The line as it was when the query started: its answer is for it only. */
static char *query_line_text;
static size_t query_line_cursor;

void
ui_compose_query_stop(struct ui_app *app, const char *why)
{
	if (app->query == NULL)
		return;
	ui_query_free(&app->query);
	xfree(&query_line_text);
	cyc_clear();
	if (why != NULL && app->prompt.active)
		prompt_note(app, "%s", why);
	app->dirty = 1;
}

void
ui_compose_query_ready(struct ui_app *app)
{
	struct str out = STR_INIT;
	struct err err;
	char *text = NULL, *prefix;
	int rc;

	if (app->query == NULL)
		return;
	rc = ui_query_step(app->query, &out, &err);
	if (rc == 0)
		goto out;
	prefix = xstrdup(ui_query_text(app->query));
	ui_query_free(&app->query);
	text = app->prompt.active ? ui_line_text(&app->prompt.line) : NULL;
	/* The prompt moved on (closed, or the line changed): the answer
	   is for a question no longer asked. */
	if (text == NULL || query_line_text == NULL || strcmp(text, query_line_text) != 0 ||
	    app->prompt.line.cursor != query_line_cursor ||
	    app->prompt.complete != UI_COMPLETE_ADDRESS) {
		cyc_clear();
		if (app->prompt.active)
			app->prompt.note[0] = '\0';
	} else if (rc < 0) {
		ui_term_beep();
		prompt_note(app, "%s", err.msg);
		cyc_clear();
	} else {
		ui_complete_parse_query(out.s ? out.s : "", out.len, &cyc.matches);
		complete_with_matches(app, prefix);
	}
	free(prefix);
	xfree(&query_line_text);
	app->dirty = 1;
out:
	free(text);
	str_free(&out);
}

void
ui_compose_complete(struct ui_app *app)
{
	struct ui_line *l = &app->prompt.line;
	const char *query = config_string(app->cfg, NULL, VAR_QUERY_COMMAND);
	const struct config_record *recs;
	char *text = ui_line_text(l), *before = NULL, *prefix = NULL;
	struct err err;
	size_t nrecs = 0, off;

	/* Tab while a lookup runs starts it again for the line as it is. */
	ui_compose_query_stop(app, NULL);
	if (cyc.matches.n > 1 && cyc.after != NULL && strcmp(text, cyc.after) == 0 &&
	    l->cursor == cyc.cursor) {
		cyc.next = (cyc.next + 1) % cyc.matches.n;
		cyc_put(app);
		cyc_show(app);
		goto out;
	}
	cyc_clear();
	before = ui_line_text_before_cursor(l);
	off = ui_complete_entry_start(before);
	prefix = xstrdup(before + off);
	prefix[strcspn(prefix, "\t")] = '\0';
	while (*prefix && prefix[strlen(prefix) - 1] == ' ')
		prefix[strlen(prefix) - 1] = '\0';
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)before[i] & 0xc0) != 0x80)
			cyc.start++;
	recs = config_records(app->cfg, &nrecs);
	ui_complete_aliases(recs, nrecs, prefix, &cyc.matches);
	if (cyc.matches.n == 0 && *prefix != '\0' && query != NULL && *query != '\0') {
		/* The answer comes through the loop (ui_compose_query_ready). */
		if (ui_query_start(query, prefix, UI_COMPLETE_QUERY_TIMEOUT_MS, &app->query,
		                   &err) < 0) {
			ui_term_beep();
			prompt_note(app, "%s", err.msg);
			cyc_clear();
			goto out;
		}
		query_line_text = xstrdup(text);
		query_line_cursor = l->cursor;
		prompt_note(app, "Looking up \"%s\"\u2026 (Ctrl-G stops)", prefix);
		goto out;
	}
	complete_with_matches(app, prefix);
out:
	free(text);
	free(before);
	free(prefix);
}

/* The compose screen. */

static char **edit_field;

static void
field_done(struct ui_app *app, const char *text, int yes)
{
	(void)yes;
	cyc_clear();
	if (text != NULL && edit_field != NULL)
		ui_draft_set(edit_field, text);
	edit_field = NULL;
	app->dirty = 1;
}

static void
ask_field(struct ui_app *app, const char *label, char **field, enum ui_hist hist)
{
	edit_field = field;
	ui_app_prompt(app, label, *field, hist,
	              field == &app->draft.fcc  ? UI_COMPLETE_FOLDER
	              : hist == UI_HIST_ADDRESS ? UI_COMPLETE_ADDRESS
	                                        : UI_COMPLETE_NONE,
	              field_done);
}

static void
attach_done(struct ui_app *app, const char *text, int yes)
{
	char *path;

	(void)yes;
	if (text == NULL || *text == '\0')
		return;
	path = ui_app_expand(app, text);
	if (path == NULL)
		return;
	if (access(path, R_OK) < 0) {
		ui_app_error(app, "Cannot attach %s: %s", path, strerror(errno));
		free(path);
		return;
	}
	ui_strv_take(&app->draft.attach, path);
	app->compose_cursor = app->draft.attach.n - 1;
}

static void
discard_done(struct ui_app *app, const char *text, int yes)
{
	if (text == NULL || !yes)
		return;
	finish_compose(app, 1);
	ui_app_message(app, "Message discarded.");
}

static int
sending(struct ui_app *app)
{
	for (struct ui_job *j = app->jobs; j != NULL; j = j->next)
		if (j->kind == UI_JOB_SEND ||
		    (j->kind == UI_JOB_APPEND && j->purpose == UI_APPEND_POSTPONE))
			return 1;
	return 0;
}

/* The From of the message: the draft's, else from and realname. */
static char *
from_of(struct ui_app *app)
{
	const char *name = config_string(app->cfg, NULL, VAR_REALNAME);

	if (!config_bool(app->cfg, NULL, VAR_USE_FROM))
		return NULL;
	if (*app->draft.from == '\0')
		return NULL;
	if (strchr(app->draft.from, '<') == NULL && name != NULL && *name)
		return xasprintf("%s <%s>", name, app->draft.from);
	return xstrdup(app->draft.from);
}

/* Builds the message; *rcpt_r gets the envelope recipients. */
static int
build(struct ui_app *app, int draft, struct str *out, char ***rcpt_r, size_t *nrcpt_r)
{
	struct ui_strv to = {NULL, 0}, cc = {NULL, 0}, bcc = {NULL, 0};
	struct core_send_msg m;
	struct err err;
	char *from = from_of(app);
	int rc;

	ui_addr_split(app->draft.to, &to);
	ui_addr_split(app->draft.cc, &cc);
	ui_addr_split(app->draft.bcc, &bcc);
	memset(&m, 0, sizeof(m));
	m.from = from;
	m.to = (const char *const *)to.v;
	m.nto = to.n;
	m.cc = (const char *const *)cc.v;
	m.ncc = cc.n;
	m.bcc = (const char *const *)bcc.v;
	m.nbcc = bcc.n;
	m.keep_bcc = draft;
	m.subject = app->draft.subject;
	m.reply_to = *app->draft.reply_to ? app->draft.reply_to : NULL;
	m.in_reply_to = app->draft.in_reply_to;
	m.references = app->draft.references;
	m.body = app->draft.body.s ? app->draft.body.s : "";
	m.body_len = app->draft.body.len;
	m.attach = (const char *const *)app->draft.attach.v;
	m.nattach = app->draft.attach.n;
	rc = core_send_compose(&m, out, rcpt_r, nrcpt_r, &err);
	if (rc < 0)
		ui_app_error(app, "%s", err.msg);
	ui_strv_clear(&to);
	ui_strv_clear(&cc);
	ui_strv_clear(&bcc);
	free(from);
	return rc;
}

/*
 * Cancelling a send.  The sending worker waits for the mail system with
 * the process-wide interrupt fd of core-folder.h (not the job's cancel
 * fd), so Ctrl-G makes this pipe readable; both the SMTP session and the
 * sendmail program's input watch it until the server's final reply.  The
 * pipe is drained when the SEND job ends, so one Ctrl-G stops one send.
 */
static int send_intr[2] = {-1, -1};
static int send_cancelled;

static int
intr_ready(struct ui_app *app)
{
	if (send_intr[0] >= 0)
		return 0;
	if (pipe2(send_intr, O_CLOEXEC | O_NONBLOCK) < 0) {
		ui_app_error(app, "Cannot set up sending: %s", strerror(errno));
		send_intr[0] = send_intr[1] = -1;
		return -1;
	}
	/* Before the sending worker starts, which reads it. */
	core_folder_set_interrupt_fd(send_intr[0]);
	return 0;
}

static void
intr_drain(void)
{
	char buf[16];

	if (send_intr[0] >= 0)
		while (read(send_intr[0], buf, sizeof(buf)) > 0)
			;
	send_cancelled = 0;
}

int
ui_compose_cancel_send(struct ui_app *app, struct ui_job *job)
{
	(void)job;
	if (send_intr[1] < 0)
		return 0;
	if (send_cancelled) {
		ui_app_message(app, "Stopping the sending...");
		return 1;
	}
	if (write(send_intr[1], "x", 1) != 1) {
		ui_app_error(app, "Cannot stop the sending: %s", strerror(errno));
		return 0;
	}
	send_cancelled = 1;
	ui_app_message(app, "Stopping the sending...");
	return 1;
}

/* The sending worker, started on first use; 0, or -1 with the screen told. */
static int
sender(struct ui_app *app)
{
	struct err err;

	if (app->sender != NULL)
		return 0;
	if (intr_ready(app) < 0)
		return -1;
	if (core_view_send_start(app->cfg, app->events, &app->sender, &err) < 0) {
		ui_app_error(app, "%s", err.msg);
		return -1;
	}
	return 0;
}

/* Whether the outbox directory holds a message waiting to go (new/, or
 * cur/ not marked held): a readdir of a local directory. */
static int
outbox_waiting(struct ui_app *app)
{
	const char *name = config_string(app->cfg, NULL, VAR_OUTBOX);
	static const char *const sub[] = {"new", "cur"};
	char *dir = name != NULL && *name ? ui_app_expand(app, name) : NULL;
	int found = 0;

	for (size_t i = 0; dir != NULL && i < 2 && !found; i++) {
		char *path = xasprintf("%s/%s", dir, sub[i]);
		DIR *d = opendir(path);
		struct dirent *e;

		while (d != NULL && !found && (e = readdir(d)) != NULL) {
			const char *info = strstr(e->d_name, ":2,");

			if (e->d_name[0] == '.')
				continue;
			found = info == NULL || strchr(info + 3, 'h') == NULL;
		}
		if (d != NULL)
			closedir(d);
		free(path);
	}
	free(dir);
	return found;
}

void
ui_compose_flush_outbox(struct ui_app *app)
{
	const char *smtp = config_string(app->cfg, NULL, VAR_SMTP_URL);
	struct core_request *req;

	if (smtp == NULL || *smtp == '\0' || app->flushing || !outbox_waiting(app))
		return;
	if (sender(app) < 0)
		return;
	req = core_request_new(CORE_REQ_SEND);
	req->u.send.flush_outbox = 1;
	ui_app_post(app, app->sender, req, UI_JOB_FLUSH, "sending the outbox");
	app->flushing = 1;
}

void
ui_compose_flushed(struct ui_app *app, const struct err *err)
{
	app->flushing = 0;
	if (err != NULL)
		ui_app_error(app, "%s", err->msg);
	else
		ui_app_message(app, "The messages waiting in the outbox were sent.");
}

static void
send_now(struct ui_app *app)
{
	struct core_request *req;
	const char **rv;
	char **rcpt = NULL;
	size_t nrcpt = 0;

	str_reset(&app->sent_data);
	if (build(app, 0, &app->sent_data, &rcpt, &nrcpt) < 0)
		return;
	if (nrcpt == 0) {
		ui_app_error(app, "No recipients: t sets To.");
		core_send_strv_free(rcpt, nrcpt);
		return;
	}
	if (sender(app) < 0) {
		core_send_strv_free(rcpt, nrcpt);
		return;
	}
	req = core_request_new(CORE_REQ_SEND);
	req->u.send.from = "";
	rv = arena_alloc(req->arena, (nrcpt + 1) * sizeof(*rv));
	for (size_t i = 0; i < nrcpt; i++)
		rv[i] = arena_strdup(req->arena, rcpt[i]);
	req->u.send.rcpt = rv;
	req->u.send.rcpt_count = nrcpt;
	req->u.send.data = arena_memdup(req->arena, app->sent_data.s, app->sent_data.len);
	req->u.send.len = app->sent_data.len;
	ui_app_post(app, app->sender, req, UI_JOB_SEND, "sending");
	ui_app_message(app, "Sending the message...");
	core_send_strv_free(rcpt, nrcpt);
}

static void
nosubject_done(struct ui_app *app, const char *text, int yes)
{
	if (text == NULL || yes) {
		ui_app_message(app, "Not sent: s sets the subject.");
		return;
	}
	send_now(app);
}

static void
send_message(struct ui_app *app)
{
	if (sending(app)) {
		ui_app_error(app, "The message is on its way already.");
		return;
	}
	if (*app->draft.to == '\0' && *app->draft.cc == '\0' && *app->draft.bcc == '\0') {
		ui_app_error(app, "No recipients: t sets To.");
		return;
	}
	if (*app->draft.subject == '\0') {
		ui_app_ask_quad(app, VAR_ABORT_NOSUBJECT, "No subject: cancel sending?",
		                nosubject_done);
		return;
	}
	send_now(app);
}

static void
append(struct ui_app *app, const char *folder, const char *data, size_t len, unsigned flags,
       enum ui_append_purpose purpose)
{
	struct core_request *req = core_request_new(CORE_REQ_APPEND);
	struct ui_job *job;

	req->u.append.folder = arena_strdup(req->arena, folder);
	req->u.append.data = arena_memdup(req->arena, data, len);
	req->u.append.len = len;
	req->u.append.flags = flags;
	job = ui_app_post(app, app->account, req, UI_JOB_APPEND,
	                  purpose == UI_APPEND_POSTPONE ? "postponing" : "saving a copy");
	job->purpose = purpose;
	job->arg = xstrdup(folder);
}

static void
postpone(struct ui_app *app)
{
	const char *name = config_string(app->cfg, NULL, VAR_POSTPONED);
	struct str data = STR_INIT;
	char **rcpt = NULL, *folder;
	size_t nrcpt = 0;

	if (sending(app)) {
		ui_app_error(app, "The message is on its way already.");
		return;
	}
	folder = ui_app_expand(app, name != NULL && *name ? name : "~/postponed");
	if (folder == NULL)
		return;
	if (build(app, 1, &data, &rcpt, &nrcpt) == 0)
		append(app, folder, data.s, data.len, MIME_FLAG_DRAFT | MIME_FLAG_SEEN,
		       UI_APPEND_POSTPONE);
	core_send_strv_free(rcpt, nrcpt);
	str_free(&data);
	free(folder);
}

static void mark_recalled_reply(struct ui_app *app, const char *in_reply_to);

void
ui_compose_sent(struct ui_app *app, struct ui_job *job, const struct err *err)
{
	const char *record;
	char *fcc;

	(void)job;
	intr_drain();
	if (err != NULL && err->kind == ERR_CANCELLED) {
		const char *smtp = config_string(app->cfg, NULL, VAR_SMTP_URL);

		/* Through SMTP the outbox has it (the sentence says where);
		 * the sendmail program was stopped before it had it all, or
		 * after, when it may have sent it: the sentence says which. */
		if (smtp != NULL && *smtp != '\0')
			ui_app_error(app, "Sending cancelled: %s.", err->msg);
		else
			ui_app_error(app, "Sending cancelled: %s; it is still here (y sends it, "
			                  "P postpones it).", err->msg);
		return;
	}
	if (err != NULL) {
		/* The sending worker said where the message is (the outbox,
		 * DEAD); it also stays here to send again. */
		ui_app_error(app, "Sending failed: %s.  y tries again.", err->msg);
		return;
	}
	record = *app->draft.fcc ? app->draft.fcc : NULL;
	if (record != NULL) {
		fcc = ui_app_expand(app, record);
		if (fcc != NULL)
			append(app, fcc, app->sent_data.s, app->sent_data.len, MIME_FLAG_SEEN,
			       UI_APPEND_FCC);
		free(fcc);
	}
	if (app->reply_index != UI_NONE && app->reply_gen == app->gen && app->idx != NULL &&
	    app->reply_index < app->idx->count && app->idx->msgs[app->reply_index].loaded &&
	    !app->read_only)
		ui_app_set_flags(
		    app, &app->idx->msgs[app->reply_index],
		    app->draft.kind == UI_DRAFT_FORWARD ? MIME_FLAG_PASSED : MIME_FLAG_ANSWERED, 0);
	else if (app->reply_index == UI_NONE && app->draft.in_reply_to != NULL)
		mark_recalled_reply(app, app->draft.in_reply_to);
	str_reset(&app->sent_data);
	recall_forget(app, 1);
	finish_compose(app, 1);
	ui_app_message(app, "Mail sent.");
	/* The server takes mail again: what waited for it goes too. */
	ui_compose_flush_outbox(app);
}

/*
 * A recalled draft that answers a message (In-Reply-To) marks it answered
 * when it goes, as the reply did not when it was postponed; found by its
 * Message-ID among the open folder's messages (elsewhere it stays as it
 * is: mutt too marks only a message it can see).
 */
static void
mark_recalled_reply(struct ui_app *app, const char *in_reply_to)
{
	const char *open = strchr(in_reply_to, '<');
	size_t len;

	if (app->idx == NULL || app->read_only || !app->opened || open == NULL)
		return;
	open++;
	len = strcspn(open, ">");
	if (len == 0 || open[len] != '>')
		return;
	for (size_t i = 0; i < app->idx->count; i++) {
		struct ui_msg *m = &app->idx->msgs[i];

		if (m->loaded && strlen(m->s.message_id) == len &&
		    strncmp(m->s.message_id, open, len) == 0) {
			if (!(m->s.flags & MIME_FLAG_ANSWERED))
				ui_app_set_flags(app, m, MIME_FLAG_ANSWERED, 0);
			return;
		}
	}
}

void
ui_compose_appended(struct ui_app *app, struct ui_job *job, const struct err *err)
{
	if (job->purpose == UI_APPEND_FCC) {
		if (err != NULL)
			ui_app_error(app,
			             "The message was sent, but saving a copy to %s failed: %s",
			             job->arg, err->msg);
		return;
	}
	if (err != NULL) {
		ui_app_error(app, "Postponing to %s failed: %s", job->arg, err->msg);
		return;
	}
	/* The new copy replaces the one it was recalled from. */
	recall_forget(app, 1);
	finish_compose(app, 1);
	ui_app_message(app, "Message postponed to %s.", job->arg);
}

/*
 * Recalling postponed messages.  The postponed folder is read by a
 * worker of its own (the account worker keeps the folder on screen): it
 * is opened, listed, the chosen message fetched, and closed without
 * change.  The message leaves the folder only once it is sent (or
 * postponed again): the folder is opened again then and the message
 * found by its Message-ID, marked deleted and expunged.
 */
enum recall_step {
	RS_OPEN,      /* listing: open */
	RS_LIST,      /* listing: summaries */
	RS_FETCH,     /* the chosen message */
	RS_CLOSE,     /* closing, writing nothing */
	RS_DEL_OPEN,  /* removing the sent one: open */
	RS_DEL_LIST,  /* ...find it */
	RS_DEL_FLAGS, /* ...mark it */
	RS_DEL_CLOSE, /* ...expunge */
};

static char *
postponed_folder(struct ui_app *app)
{
	const char *name = config_string(app->cfg, NULL, VAR_POSTPONED);

	return ui_app_expand(app, name != NULL && *name ? name : "~/postponed");
}

static struct ui_job *
recall_post(struct ui_app *app, struct core_request *req, enum recall_step step, const char *arg)
{
	struct ui_job *job;
	struct core_account_params ap;
	struct err err;

	if (drafts == NULL) {
		memset(&ap, 0, sizeof(ap));
		ap.name = "postponed";
		if (core_account_start(&ap, app->events, &drafts, &err) < 0) {
			ui_app_error(app, "%s", err.msg);
			core_request_free(&req);
			return NULL;
		}
	}
	job = ui_app_post(app, drafts, req, UI_JOB_RECALL, "postponed");
	job->purpose = step;
	if (arg != NULL)
		job->arg = xstrdup(arg);
	recall_jobs++;
	return job;
}

static void
recall_open(struct ui_app *app, enum recall_step step, const char *msgid)
{
	char *folder = postponed_folder(app);
	struct core_request *req;

	if (folder == NULL)
		return;
	req = core_request_new(CORE_REQ_OPEN_FOLDER);
	req->u.open_folder.folder = arena_strdup(req->arena, folder);
	req->u.open_folder.read_only = step == RS_OPEN;
	recall_post(app, req, step, msgid);
	free(folder);
}

static void
recall_close(struct ui_app *app, int expunge, enum recall_step step, const char *arg)
{
	struct core_request *req = core_request_new(CORE_REQ_CLOSE_FOLDER);

	req->u.close_folder.expunge = expunge;
	recall_post(app, req, step, arg);
}

static void
recall_headers(struct ui_app *app, enum recall_step step, const char *arg)
{
	struct core_request *req = core_request_new(CORE_REQ_FETCH_HEADERS);

	req->u.fetch_headers.first = 0;
	req->u.fetch_headers.count = recall_exists;
	recall_post(app, req, step, arg);
}

/* After the recalled message went out (or was postponed anew): removes
 * the old copy from the postponed folder. */
static void
recall_forget(struct ui_app *app, int remove)
{
	char *id = recall_msgid;

	recall_msgid = NULL;
	if (remove && id != NULL && *id != '\0')
		recall_open(app, RS_DEL_OPEN, id);
	free(id);
}

static void
recall_list_leave(struct ui_app *app)
{
	app->recalling = 0;
	ui_recall_clear(&app->recall);
	if (app->screen == UI_SCR_COMPOSE && !app->composing)
		app->screen = recall_back;
	app->dirty = 1;
}

static void
recall_fetch(struct ui_app *app, size_t i)
{
	struct core_request *req = core_request_new(CORE_REQ_FETCH_MESSAGE);

	req->u.fetch_message.id = app->recall.v[i].id;
	recall_post(app, req, RS_FETCH, NULL);
	ui_app_message(app, "Reading the postponed message...");
}

void
ui_compose_recall(struct ui_app *app)
{
	if (busy(app))
		return;
	if (recall_jobs > 0 || app->recalling) {
		ui_app_error(app, "The postponed messages are being read already.");
		return;
	}
	ui_recall_clear(&app->recall);
	recall_back = app->screen == UI_SCR_COMPOSE ? UI_SCR_INDEX : app->screen;
	recall_open(app, RS_OPEN, NULL);
	ui_app_message(app, "Reading the postponed messages...");
}

/* Whether a local postponed folder holds a message, without reading it
 * (as mutt does before asking): an mbox that is not empty, a maildir
 * with a file in cur or new.  Folders behind URLs are not looked at. */
static int
postponed_waiting(struct ui_app *app)
{
	char *folder = postponed_folder(app);
	struct stat st;
	int found = 0;

	if (folder == NULL || strstr(folder, "://") != NULL || stat(folder, &st) < 0) {
		free(folder);
		return 0;
	}
	if (S_ISREG(st.st_mode)) {
		found = st.st_size > 0;
	} else if (S_ISDIR(st.st_mode)) {
		static const char *const sub[] = {"cur", "new"};

		for (size_t i = 0; i < 2 && !found; i++) {
			char *d = xasprintf("%s/%s", folder, sub[i]);
			DIR *dir = opendir(d);
			struct dirent *e;

			while (dir != NULL && (e = readdir(dir)) != NULL)
				if (e->d_name[0] != '.') {
					found = 1;
					break;
				}
			if (dir != NULL)
				closedir(dir);
			free(d);
		}
	}
	free(folder);
	return found;
}

/* The first text/plain part shown inline: the text of the draft. */
static void
recalled_body(struct core_folder_msg *msg, const struct core_folder_part *parts, size_t n,
              struct str *out)
{
	struct err err;

	for (size_t i = 0; i < n; i++) {
		if (parts[i].container || parts[i].attachment ||
		    strcasecmp(parts[i].type, "text/plain") != 0)
			continue;
		if (core_folder_msg_part_text(msg, parts[i].path, out, &err) < 0)
			str_reset(out);
		return;
	}
}

static int
recalled_attachments(struct ui_app *app, struct core_folder_msg *msg,
                     const struct core_folder_part *parts, size_t n)
{
	struct err err;

	for (size_t i = 0; i < n; i++) {
		char *written = NULL, *name;

		if (parts[i].container || !parts[i].attachment)
			continue;
		if (recall_dir == NULL) {
			recall_dir = ui_mkdtemp("recall", &err);
			if (recall_dir == NULL) {
				ui_app_error(app, "%s", err.msg);
				return -1;
			}
		}
		if (core_folder_msg_save_part(msg, parts[i].path, recall_dir, NULL, 0, &written,
		                              &err) < 0) {
			/* Two parts of one name, or none usable. */
			name = xasprintf("part-%s", parts[i].path);
			if (core_folder_msg_save_part(msg, parts[i].path, recall_dir, name, 0,
			                              &written, &err) < 0) {
				free(name);
				ui_app_error(app, "Cannot keep an attachment: %s", err.msg);
				return -1;
			}
			free(name);
		}
		ui_strv_take(&app->draft.attach, written);
	}
	return 0;
}

static void
set_from_header(struct core_folder_msg *msg, const char *name, char **field)
{
	char *v = header(msg, name);

	if (*v != '\0')
		ui_draft_set(field, v);
	free(v);
}

/* Opens the composer on the postponed message data. */
static void
recall_build(struct ui_app *app, const char *data, size_t len)
{
	struct core_folder_msg *msg = NULL;
	const struct core_folder_part *parts = NULL;
	size_t nparts = 0;
	struct err err;
	char *v;

	if (core_folder_msg_parse(data, len, &msg, &err) < 0) {
		ui_app_error(app, "Cannot read the postponed message: %s", err.msg);
		return;
	}
	start_draft(app, UI_DRAFT_NEW);
	set_from_header(msg, "From", &app->draft.from);
	set_from_header(msg, "To", &app->draft.to);
	set_from_header(msg, "Cc", &app->draft.cc);
	set_from_header(msg, "Bcc", &app->draft.bcc);
	set_from_header(msg, "Subject", &app->draft.subject);
	set_from_header(msg, "Reply-To", &app->draft.reply_to);
	v = header(msg, "In-Reply-To");
	if (*v != '\0')
		app->draft.in_reply_to = xstrdup(v);
	free(v);
	v = header(msg, "References");
	if (*v != '\0')
		app->draft.references = xstrdup(v);
	free(v);
	if (core_folder_msg_parts(msg, &parts, &nparts, &err) == 0) {
		recalled_body(msg, parts, nparts, &app->draft.body);
		if (recalled_attachments(app, msg, parts, nparts) < 0) {
			ui_draft_clear(&app->draft);
			if (recall_dir != NULL) {
				ui_rm_tree(recall_dir);
				xfree(&recall_dir);
			}
			goto out;
		}
	}
	v = header(msg, "Message-ID");
	free(recall_msgid);
	recall_msgid = xstrndup(v + strspn(v, " <"), strcspn(v + strspn(v, " <"), "> "));
	free(v);
	app->recalling = 0;
	ui_recall_clear(&app->recall);
	app->compose_back = recall_back;
	app->composing = 1;
	app->screen = UI_SCR_COMPOSE;
	ui_app_message(app, "Recalled from the postponed messages: y sends it.");
out:
	core_folder_msg_free(&msg);
}

static void
recall_done(struct ui_app *app, struct ui_job *job, const struct err *err)
{
	switch ((enum recall_step)job->purpose) {
	case RS_OPEN:
		if (err != NULL) {
			ui_app_error(app, "No postponed messages: %s", err->msg);
			break;
		}
		if (recall_exists == 0) {
			ui_app_message(app, "No postponed messages.");
			recall_close(app, 0, RS_CLOSE, NULL);
			break;
		}
		recall_headers(app, RS_LIST, NULL);
		break;
	case RS_LIST:
		if (err != NULL || app->recall.n == 0) {
			if (err != NULL)
				ui_app_error(app, "Cannot list the postponed messages: %s",
				             err->msg);
			else
				ui_app_message(app, "No postponed messages.");
			ui_recall_clear(&app->recall);
			recall_close(app, 0, RS_CLOSE, NULL);
			break;
		}
		if (app->composing) {
			recall_close(app, 0, RS_CLOSE, NULL);
			ui_recall_clear(&app->recall);
			break;
		}
		if (app->recall.n == 1) {
			/* One: nothing to choose (as mutt). */
			recall_fetch(app, 0);
			break;
		}
		app->recalling = 1;
		app->recall.cursor = app->recall.top = 0;
		app->screen = UI_SCR_COMPOSE;
		ui_app_message(app, "%zu postponed messages: Enter goes on with one, q goes back.",
		               app->recall.n);
		break;
	case RS_FETCH:
		recall_close(app, 0, RS_CLOSE, NULL);
		if (err != NULL) {
			ui_app_error(app, "Cannot read the postponed message: %s", err->msg);
			recall_list_leave(app);
			break;
		}
		if (app->composing) {
			recall_list_leave(app);
			break;
		}
		recall_build(app, job->data.s ? job->data.s : "", job->data.len);
		if (!app->composing)
			recall_list_leave(app);
		break;
	case RS_CLOSE:
		break;
	case RS_DEL_OPEN:
		if (err != NULL) {
			ui_app_error(app, "The message stays among the postponed ones: %s",
			             err->msg);
			break;
		}
		recall_del_found = 0;
		recall_headers(app, RS_DEL_LIST, job->arg);
		break;
	case RS_DEL_LIST:
		if (err == NULL && recall_del_found) {
			struct core_request *req = core_request_new(CORE_REQ_SET_FLAGS);
			uint64_t *ids = arena_alloc(req->arena, sizeof(*ids));

			ids[0] = recall_del_id;
			req->u.set_flags.msgs.ids = ids;
			req->u.set_flags.msgs.count = 1;
			req->u.set_flags.add = MIME_FLAG_DELETED;
			recall_post(app, req, RS_DEL_FLAGS, NULL);
			recall_close(app, 1, RS_DEL_CLOSE, NULL);
			break;
		}
		recall_close(app, 0, RS_CLOSE, NULL);
		break;
	case RS_DEL_FLAGS:
		break;
	case RS_DEL_CLOSE:
		if (err != NULL)
			ui_app_error(app, "The message stays among the postponed ones: %s",
			             err->msg);
		break;
	}
}

void
ui_compose_recall_event(struct ui_app *app, struct ui_job *job, const struct core_event *ev)
{
	switch (ev->type) {
	case CORE_EV_FOLDER_OPENED:
		recall_exists = ev->u.folder_opened.exists;
		break;
	case CORE_EV_HEADERS:
		for (size_t i = 0; i < ev->u.headers.count; i++) {
			const struct mime_summary *s = &ev->u.headers.items[i];

			if (job->purpose == RS_LIST)
				ui_recall_add(&app->recall, s->id, s->message_id, s->to, s->subject,
				              s->date);
			else if (job->purpose == RS_DEL_LIST && job->arg != NULL &&
			         s->message_id != NULL && strcmp(s->message_id, job->arg) == 0 &&
			         !recall_del_found) {
				recall_del_id = s->id;
				recall_del_found = 1;
			}
		}
		break;
	case CORE_EV_PART_DATA:
		str_append_len(&job->data, ev->u.part_data.data, ev->u.part_data.len);
		break;
	case CORE_EV_DONE:
	case CORE_EV_ERROR:
		recall_jobs--;
		recall_done(app, job, ev->type == CORE_EV_ERROR ? &ev->u.error.err : NULL);
		break;
	default:
		break;
	}
	app->dirty = 1;
}

/* The list of postponed messages, on the compose screen. */
static int
recall_list_fn(struct ui_app *app, enum ui_fn fn)
{
	int rows = ui_app_body_rows(app) - 1;

	switch (fn) {
	case UI_FN_NEXT_ENTRY:
		if (!ui_recall_move(&app->recall, 1, rows))
			ui_app_error(app, "This is the last one.");
		return 1;
	case UI_FN_PREVIOUS_ENTRY:
		if (!ui_recall_move(&app->recall, -1, rows))
			ui_app_error(app, "This is the first one.");
		return 1;
	case UI_FN_SELECT_ENTRY:
		if (recall_jobs > 0) {
			ui_app_error(app, "The postponed messages are still being read.");
			return 1;
		}
		if (app->recall.n > 0)
			recall_fetch(app, app->recall.cursor);
		return 1;
	case UI_FN_EXIT:
		recall_close(app, 0, RS_CLOSE, NULL);
		recall_list_leave(app);
		return 1;
	case UI_FN_EDIT_FROM:
	case UI_FN_EDIT_TO:
	case UI_FN_EDIT_CC:
	case UI_FN_EDIT_BCC:
	case UI_FN_EDIT_SUBJECT:
	case UI_FN_EDIT_REPLY_TO:
	case UI_FN_EDIT_FCC:
	case UI_FN_EDIT_MESSAGE:
	case UI_FN_ATTACH_FILE:
	case UI_FN_DETACH_FILE:
	case UI_FN_SEND_MESSAGE:
	case UI_FN_POSTPONE_MESSAGE:
		ui_app_error(app, "Choose a message first: Enter goes on with it, q goes back.");
		return 1;
	default:
		return 0;
	}
}

static void
recall_q_done(struct ui_app *app, const char *text, int yes)
{
	if (text == NULL)
		return;
	if (yes) {
		ui_compose_recall(app);
		return;
	}
	start_draft(app, UI_DRAFT_NEW);
	ui_app_prompt(app, "To: ", NULL, UI_HIST_ADDRESS, UI_COMPLETE_ADDRESS, to_done);
}

void
ui_compose_free(struct ui_app *app)
{
	if (drafts != NULL)
		core_worker_free(&drafts);
	recall_jobs = 0;
	ui_recall_clear(&app->recall);
	xfree(&recall_msgid);
	if (recall_dir != NULL) {
		ui_rm_tree(recall_dir);
		xfree(&recall_dir);
	}
	if (forward_dir != NULL) {
		ui_rm_tree(forward_dir);
		xfree(&forward_dir);
	}
	ui_compose_query_stop(app, NULL);
	cyc_clear();
	pending_clear();
	if (send_intr[0] >= 0) {
		/* The sending worker is gone (ui-main.c frees it first). */
		core_folder_set_interrupt_fd(-1);
		close(send_intr[0]);
		close(send_intr[1]);
		send_intr[0] = send_intr[1] = -1;
	}
}

int
ui_compose_fn(struct ui_app *app, enum ui_fn fn)
{
	struct ui_draft *d = &app->draft;

	if (app->recalling)
		return recall_list_fn(app, fn);

	switch (fn) {
	case UI_FN_EDIT_FROM:
		ask_field(app, "From: ", &d->from, UI_HIST_ADDRESS);
		return 1;
	case UI_FN_EDIT_TO:
		ask_field(app, "To: ", &d->to, UI_HIST_ADDRESS);
		return 1;
	case UI_FN_EDIT_CC:
		ask_field(app, "Cc: ", &d->cc, UI_HIST_ADDRESS);
		return 1;
	case UI_FN_EDIT_BCC:
		ask_field(app, "Bcc: ", &d->bcc, UI_HIST_ADDRESS);
		return 1;
	case UI_FN_EDIT_SUBJECT:
		ask_field(app, "Subject: ", &d->subject, UI_HIST_TEXT);
		return 1;
	case UI_FN_EDIT_REPLY_TO:
		ask_field(app, "Reply-To: ", &d->reply_to, UI_HIST_ADDRESS);
		return 1;
	case UI_FN_EDIT_FCC:
		ask_field(app, "Fcc: ", &d->fcc, UI_HIST_FOLDER);
		return 1;
	case UI_FN_EDIT_MESSAGE:
		edit(app, 0);
		return 1;
	case UI_FN_ATTACH_FILE:
		ui_app_prompt(app, "Attach file: ", NULL, UI_HIST_FILE, UI_COMPLETE_FILE,
		              attach_done);
		return 1;
	case UI_FN_DETACH_FILE:
		if (d->attach.n == 0) {
			ui_app_error(app, "There are no attachments.");
			return 1;
		}
		ui_strv_remove(&d->attach, app->compose_cursor);
		if (app->compose_cursor > 0 && app->compose_cursor >= d->attach.n)
			app->compose_cursor--;
		return 1;
	case UI_FN_NEXT_ENTRY:
		if (app->compose_cursor + 1 < d->attach.n)
			app->compose_cursor++;
		return 1;
	case UI_FN_PREVIOUS_ENTRY:
		if (app->compose_cursor > 0)
			app->compose_cursor--;
		return 1;
	case UI_FN_SEND_MESSAGE:
		send_message(app);
		return 1;
	case UI_FN_POSTPONE_MESSAGE:
		postpone(app);
		return 1;
	case UI_FN_EXIT:
		ui_app_ask(app, "Discard this message?", 0, discard_done);
		return 1;
	default:
		return 0;
	}
}
