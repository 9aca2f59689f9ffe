/* Writing mail: new messages, replies and forwards, the editor, the
 * compose screen, sending and postponing. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base-file.h"
#include "base/base-xalloc.h"
#include "core/core-view-send.h"
#include "ui/ui-app.h"

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
};

static struct pending_reply pending;

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

static void
finish_compose(struct ui_app *app, int remove_file)
{
	if (remove_file && app->draft_path != NULL)
		unlink(app->draft_path);
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

void
ui_compose_start(struct ui_app *app, enum ui_draft_kind kind)
{
	if (busy(app))
		return;
	start_draft(app, kind);
	ui_app_prompt(app, "To: ", NULL, UI_HIST_ADDRESS, UI_COMPLETE_NONE, to_done);
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
                    uint32_t index)
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
		build_reply(app, 1);
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
	if (app->screen == UI_SCR_PAGER && app->msg != NULL &&
	    app->msg_index == (uint32_t)(m - app->idx->msgs)) {
		ui_compose_from_msg(app, purpose, app->msg, app->msg_index);
		return;
	}
	ui_app_fetch(app, m, purpose, NULL);
	ui_app_message(app, "Reading the message...");
}

/* The compose screen. */

static char **edit_field;

static void
field_done(struct ui_app *app, const char *text, int yes)
{
	(void)yes;
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
	              field == &app->draft.fcc ? UI_COMPLETE_FOLDER : UI_COMPLETE_NONE, field_done);
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
build(struct ui_app *app, struct str *out, char ***rcpt_r, size_t *nrcpt_r)
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

static void
send_now(struct ui_app *app)
{
	struct core_request *req;
	const char **rv;
	char **rcpt = NULL;
	size_t nrcpt = 0;
	struct err err;

	str_reset(&app->sent_data);
	if (build(app, &app->sent_data, &rcpt, &nrcpt) < 0)
		return;
	if (nrcpt == 0) {
		ui_app_error(app, "No recipients: t sets To.");
		core_send_strv_free(rcpt, nrcpt);
		return;
	}
	if (app->sender == NULL &&
	    core_view_send_start(app->cfg, app->events, &app->sender, &err) < 0) {
		ui_app_error(app, "%s", err.msg);
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
	if (build(app, &data, &rcpt, &nrcpt) == 0)
		append(app, folder, data.s, data.len, MIME_FLAG_DRAFT | MIME_FLAG_SEEN,
		       UI_APPEND_POSTPONE);
	core_send_strv_free(rcpt, nrcpt);
	str_free(&data);
	free(folder);
}

void
ui_compose_sent(struct ui_app *app, struct ui_job *job, const struct err *err)
{
	const char *record;
	char *fcc;

	(void)job;
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
	str_reset(&app->sent_data);
	finish_compose(app, 1);
	ui_app_message(app, "Mail sent.");
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
	finish_compose(app, 1);
	ui_app_message(app, "Message postponed to %s.", job->arg);
}

int
ui_compose_fn(struct ui_app *app, enum ui_fn fn)
{
	struct ui_draft *d = &app->draft;

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
