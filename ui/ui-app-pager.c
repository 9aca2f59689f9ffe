/* The pager, the attachment list, the text screen (help, attachments as
 * text), and what fetched messages are for. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "core/core-part.h"
#include "ui/ui-app.h"
#include "ui/ui-run.h"
#include "ui/ui-width.h"

/* A converter or a viewer with copiousoutput runs at most this long. */
#define CONVERT_TIMEOUT_MS 20000

/*
 * Where the store lists a message's parts without reading it (IMAP
 * BODYSTRUCTURE), a message larger than VIEW_WHOLE_MAX is shown from its
 * text parts alone: the part list, the header, then each text part (its
 * own header and body) up to VIEW_TEXT_MAX, fetched one after the other
 * by the worker; attachments are listed from the part list and fetched
 * alone, PART_RANGE bytes at a time, when one is viewed, saved or piped.
 * A smaller message costs one round trip whole, less than those steps.
 * A text part over PART_RANGE comes PART_RANGE bytes at a time too, so the
 * pager shows how far it is; one over VIEW_TEXT_MAX shows its first
 * VIEW_TEXT_MAX bytes, cut at a line end, then a line saying so and how to
 * see it whole (the attachment list fetches it alone).
 */
#define VIEW_WHOLE_MAX (256 * 1024)
#define VIEW_TEXT_MAX (2 * 1024 * 1024)
#define PART_RANGE (1024 * 1024)

/* The message shown or listed from the store's part list. */
static struct {
	uint64_t msg_id;
	uint32_t msg_index;
	unsigned gen;
	int active;              /* parts below belong to msg_id */
	int shown;               /* app->msg was built from the text parts */
	struct arena *arena;     /* the list and the attachment entries */
	struct core_part *parts; /* the list (strings in arena) */
	struct core_folder_part *entries;
	size_t n;
	/* Gathering the text parts: step 0 the header, then per wanted part
	 * its header (not for attached messages) and body. */
	int *wanted;
	int *cut;       /* wanted, but only its beginning (too big) */
	uint64_t *kept; /* of a cut part: the bytes as stored shown */
	char mark[48];  /* what stands for a cut notice until rendered */
	struct str raw; /* the body under way, when it comes in ranges */
	struct str header, *mime, *body;
	size_t next_part; /* the part whose section comes next */
	int next_body;    /* and whether it is the body */
	uint64_t job;     /* the job under way, 0: none */
} remote;

/* Stores that cannot list parts answer ERR_UNSUPPORTED once per folder. */
static unsigned no_list_gen;
static int no_list;

/* What to do with a part once it is at hand. */
enum part_act {
	ACT_VIEW,
	ACT_TEXT,
	ACT_SAVE,
	ACT_SAVE_REPLACE,
	ACT_PIPE,
};

/* One part of the remote list being fetched alone, then kept for the next
 * action on it. */
static struct {
	uint64_t job;      /* the job under way, 0: none */
	enum part_act act; /* what waits for it */
	char *arg;         /* the save target or the pipe command */
	size_t idx;        /* in remote.parts */
	struct str data;   /* its header block, then its body */
	uint64_t off;      /* body bytes so far */
	int have_header;
	struct core_folder_msg *msg; /* the part as a message of one part */
	uint64_t msg_id;             /* msg holds part idx of this message */
} pf;

static void
part_fetch_reset(void)
{
	if (pf.job != 0)
		core_job_cancel(pf.job);
	pf.job = 0;
	xfree(&pf.arg);
	str_free(&pf.data);
	pf.off = 0;
	pf.have_header = 0;
	core_folder_msg_free(&pf.msg);
	pf.msg_id = 0;
}

static void
remote_reset(void)
{
	if (remote.job != 0)
		core_job_cancel(remote.job);
	remote.job = 0;
	if (remote.mime != NULL)
		for (size_t i = 0; i < remote.n; i++)
			str_free(&remote.mime[i]);
	if (remote.body != NULL)
		for (size_t i = 0; i < remote.n; i++)
			str_free(&remote.body[i]);
	xfree(&remote.mime);
	xfree(&remote.body);
	xfree(&remote.wanted);
	xfree(&remote.cut);
	xfree(&remote.kept);
	str_free(&remote.header);
	str_free(&remote.raw);
	arena_free(&remote.arena);
	remote.parts = NULL;
	remote.entries = NULL;
	remote.n = 0;
	remote.active = 0;
	remote.shown = 0;
	part_fetch_reset();
}

/* Posts a fetch job of one of ui-app-pager.c's own purposes. */
static struct ui_job *
post_fetch(struct ui_app *app, struct core_request *req, enum ui_fetch_purpose purpose,
           uint64_t msg_id, uint32_t msg_index, const char *label)
{
	struct ui_job *job = ui_app_post(app, app->account, req, UI_JOB_FETCH, label);

	job->purpose = purpose;
	job->msg_id = msg_id;
	job->msg_index = msg_index;
	return job;
}

/* Asks for message m's part list, for purpose. */
static void
post_list(struct ui_app *app, struct ui_msg *m, enum ui_fetch_purpose purpose)
{
	struct core_request *req = core_request_new(CORE_REQ_FETCH_STRUCTURE);

	remote_reset();
	remote.msg_id = m->s.id;
	remote.msg_index = (uint32_t)(m - app->idx->msgs);
	remote.gen = app->gen;
	req->u.fetch_structure.id = m->s.id;
	remote.job =
	    post_fetch(app, req, purpose, remote.msg_id, remote.msg_index, "reading the part list")
	        ->id;
}

/* Whether message m is best read through its part list. */
static int
by_parts(const struct ui_app *app, const struct ui_msg *m)
{
	return m->s.size > VIEW_WHOLE_MAX && !(no_list && no_list_gen == app->gen);
}

static int
content_width(const struct ui_app *app)
{
	int sb = ui_app_sidebar_width(app);
	int w = app->cols - (sb > 0 ? sb + 1 : 0);

	return w > 1 ? w : 1;
}

void
ui_pager_relayout(struct ui_app *app)
{
	size_t h = (size_t)ui_app_body_rows(app);

	if (app->pager != NULL) {
		ui_pager_layout(app->pager, (size_t)content_width(app));
		ui_pager_set_height(app->pager, h);
	}
	if (app->sub != NULL) {
		ui_pager_layout(app->sub, (size_t)(app->cols > 1 ? app->cols : 1));
		ui_pager_set_height(app->sub, h);
	}
}

static int
weed_cb(const char *name, void *ctx)
{
	struct ui_app *app = ctx;

	return ui_weed_show(&app->weed, name);
}

/* The message's HTML part when it has no plain text to show instead. */
static const struct core_folder_part *
html_only(struct core_folder_msg *msg)
{
	const struct core_folder_part *parts, *html = NULL;
	size_t n;
	struct err err;

	if (core_folder_msg_parts(msg, &parts, &n, &err) < 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (parts[i].attachment || parts[i].container)
			continue;
		if (strcasecmp(parts[i].type, "text/plain") == 0)
			return NULL;
		if (strcasecmp(parts[i].type, "text/html") == 0 && html == NULL)
			html = &parts[i];
	}
	return html;
}

static int
is_notice(const char *s, size_t n)
{
	return n >= 8 && strncmp(s, "[-- ", 4) == 0 && strncmp(s + n - 4, " --]", 4) == 0;
}

/* Replaces the tag-stripped HTML of the rendered text by the
 * converter's output, keeping the header and the notice lines. */
static void
convert_html(struct ui_app *app, const struct core_folder_part *part, struct str *text)
{
	struct str html = STR_INIT, out = STR_INIT, clean = STR_INIT, result = STR_INIT;
	struct err err;
	const char *body;
	size_t hlen;
	int status;

	if (core_folder_msg_part_text(app->msg, part->path, &html, &err) < 0)
		goto out;
	status = ui_run_capture(app->html_converter, html.s ? html.s : "", html.len,
	                        CONVERT_TIMEOUT_MS, &out, &err);
	if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		ui_app_error(app, "The HTML converter failed: %s",
		             status < 0 ? err.msg : "it exited with an error");
		goto out;
	}
	/* The converter's output is as unsafe as the message it came from. */
	core_folder_sanitize(&clean, out.s ? out.s : "", out.len, 1);
	body = strstr(text->s ? text->s : "", "\n\n");
	hlen = body != NULL ? (size_t)(body - text->s) + 2 : 0;
	str_append_len(&result, text->s, hlen);
	str_appendf(&result, "[-- %s shown as text by %.*s --]\n", part->type,
	            (int)strcspn(app->html_converter, " "), app->html_converter);
	str_append_len(&result, clean.s ? clean.s : "", clean.len);
	if (clean.len > 0 && clean.s[clean.len - 1] != '\n')
		str_append_char(&result, '\n');
	for (const char *p = text->s + hlen; *p != '\0';) {
		size_t n = strcspn(p, "\n");

		if (is_notice(p, n) &&
		    strncmp(p, "[-- HTML shown with its tags stripped", 37) != 0) {
			str_append_len(&result, p, n);
			str_append_char(&result, '\n');
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	str_reset(text);
	str_append_len(text, result.s ? result.s : "", result.len);
out:
	str_free(&html);
	str_free(&out);
	str_free(&clean);
	str_free(&result);
}

/* The pager variable names a program rather than petrel's own pager. */
static const char *
external_pager(const struct ui_app *app)
{
	const char *p = config_string(app->cfg, NULL, VAR_PAGER);

	return p != NULL && *p != '\0' && strcmp(p, "builtin") != 0 ? p : NULL;
}

/* Shows the rendered text with the pager program, then the index again. */
static void
run_pager(struct ui_app *app, const char *pager, const struct str *text)
{
	struct str cmd = STR_INIT;
	char *dir, *file = NULL;
	struct err err;
	int status;

	dir = ui_mkdtemp("pager", &err);
	if (dir == NULL) {
		ui_app_error(app, "%s", err.msg);
		return;
	}
	file = xasprintf("%s/message.txt", dir);
	if (file_write_atomic(file, text->s ? text->s : "", text->len, 0600, &err) < 0) {
		ui_app_error(app, "%s", err.msg);
	} else {
		str_append(&cmd, pager);
		str_append_char(&cmd, ' ');
		ui_shell_quote(&cmd, file);
		status = ui_app_run(app, cmd.s, NULL, 0);
		if (status != 0)
			ui_app_error(app, "%s exited with status %d.", pager,
			             status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	ui_rm_tree(dir);
	free(dir);
	free(file);
	str_free(&cmd);
	app->screen = app->pager_back;
}

static void
render_message(struct ui_app *app)
{
	struct str text = STR_INIT;
	const struct core_folder_part *html;
	struct err err;

	ui_pager_free(&app->pager);
	if (core_folder_msg_render(app->msg, NULL, app->pager_weed ? weed_cb : NULL, app, &text,
	                           &err) < 0) {
		ui_app_error(app, "Cannot show the message: %s", err.msg);
		str_free(&text);
		return;
	}
	/* Parts left out of a message shown from its text parts are empty
	 * there: their lines take the size from the part list. */
	if (remote.shown)
		ui_pager_fix_attach_lines(&text, remote.parts, remote.n, remote.wanted);
	html = app->html_converter != NULL ? html_only(app->msg) : NULL;
	if (html != NULL)
		convert_html(app, html, &text);
	/* After the converter: its output has the marks of cut parts too. */
	if (remote.shown)
		ui_pager_fix_cut_lines(&text, remote.mark, remote.parts, remote.n, remote.cut,
		                       remote.kept);
	if (external_pager(app) != NULL) {
		/* Another program reads the file: in the locale's charset. */
		if (!ui_width_utf8()) {
			str_reset(&text);
			if (core_folder_msg_render(app->msg, nl_langinfo(CODESET),
			                           app->pager_weed ? weed_cb : NULL, app, &text,
			                           &err) < 0) {
				ui_app_error(app, "Cannot show the message: %s", err.msg);
				str_free(&text);
				return;
			}
			if (remote.shown) {
				ui_pager_fix_attach_lines(&text, remote.parts, remote.n,
				                          remote.wanted);
				ui_pager_fix_cut_lines(&text, remote.mark, remote.parts, remote.n,
				                       remote.cut, remote.kept);
			}
		}
		run_pager(app, external_pager(app), &text);
		str_free(&text);
		return;
	}
	app->pager = ui_pager_new(text.s ? text.s : "", text.len);
	ui_pager_set_hide_quoted(app->pager, app->pager_hide_quoted);
	ui_pager_relayout(app);
	if (app->pager_search != NULL)
		ui_pager_set_search(app->pager, app->pager_search, &err);
	str_free(&text);
}

void
ui_pager_open_current(struct ui_app *app)
{
	struct ui_msg *m = app->idx != NULL ? ui_index_current(app->idx) : NULL;

	if (m == NULL) {
		ui_app_error(app, app->idx == NULL || app->idx->nrows == 0
		                      ? "No messages."
		                      : "That message is still loading.");
		return;
	}
	ui_pager_free(&app->pager);
	core_folder_msg_free(&app->msg);
	app->msg_index = (uint32_t)(m - app->idx->msgs);
	app->screen = UI_SCR_PAGER;
	app->pager_back = UI_SCR_INDEX;
	remote_reset();
	if (by_parts(app, m))
		post_list(app, m, UI_FETCH_VIEW_PARTS);
	else
		ui_app_fetch(app, m, UI_FETCH_VIEW, NULL);
	if (!(m->s.flags & MIME_FLAG_SEEN) && !app->read_only)
		ui_app_set_flags(app, m, MIME_FLAG_SEEN, MIME_FLAG_RECENT);
}

static int
parse(struct ui_app *app, struct ui_job *job, struct core_folder_msg **msg_r)
{
	struct err err;

	if (core_folder_msg_parse(job->data.s ? job->data.s : "", job->data.len, msg_r, &err) < 0) {
		ui_app_error(app, "Cannot read the message: %s", err.msg);
		return -1;
	}
	return 0;
}

static void
pipe_message(struct ui_app *app, struct ui_job *job)
{
	char *dir = NULL, *file = NULL;
	struct err err;
	int status;

	dir = ui_mkdtemp("pipe", &err);
	if (dir == NULL) {
		ui_app_error(app, "%s", err.msg);
		return;
	}
	file = xasprintf("%s/message", dir);
	if (file_write_atomic(file, job->data.s ? job->data.s : "", job->data.len, 0600, &err) <
	    0) {
		ui_app_error(app, "%s", err.msg);
	} else {
		status = ui_app_run(app, job->arg, file, config_bool(app->cfg, NULL, VAR_WAIT_KEY));
		if (status != 0)
			ui_app_error(app, "%s exited with status %d", job->arg,
			             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	ui_rm_tree(dir);
	free(file);
	free(dir);
}

static void
show_attachments(struct ui_app *app, enum ui_screen back)
{
	struct err err;

	if (remote.active && (remote.shown || app->msg == NULL)) {
		app->attach.parts = remote.entries;
		app->attach.count = remote.n;
		app->attach.info = remote.parts;
		app->attach.remote = 1;
	} else if (core_folder_msg_parts(app->msg, &app->attach.parts, &app->attach.count, &err) <
	           0) {
		ui_app_error(app, "%s", err.msg);
		return;
	} else {
		app->attach.info = NULL;
		app->attach.remote = 0;
	}
	app->attach.cursor = 0;
	app->attach.top = 0;
	app->attach_back = back;
	app->screen = UI_SCR_ATTACH;
	xfree(&app->message);
}

void
ui_pager_fetched(struct ui_app *app, struct ui_job *job)
{
	struct core_folder_msg *msg = NULL;

	switch ((enum ui_fetch_purpose)job->purpose) {
	case UI_FETCH_VIEW:
		if (app->screen != UI_SCR_PAGER || job->msg_index != app->msg_index)
			return;
		if (parse(app, job, &msg) < 0) {
			app->screen = UI_SCR_INDEX;
			return;
		}
		core_folder_msg_free(&app->msg);
		app->msg = msg;
		remote.shown = 0;
		str_reset(&app->msg_raw);
		str_append_len(&app->msg_raw, job->data.s ? job->data.s : "", job->data.len);
		render_message(app);
		break;
	case UI_FETCH_ATTACH:
		if (parse(app, job, &msg) < 0)
			return;
		remote_reset();
		core_folder_msg_free(&app->msg);
		ui_pager_free(&app->pager);
		app->msg = msg;
		app->msg_index = job->msg_index;
		show_attachments(app, UI_SCR_INDEX);
		break;
	case UI_FETCH_PIPE:
		pipe_message(app, job);
		break;
	case UI_FETCH_REPLY:
	case UI_FETCH_GROUP_REPLY:
	case UI_FETCH_LIST_REPLY:
	case UI_FETCH_FORWARD:
		if (parse(app, job, &msg) < 0)
			return;
		ui_compose_from_msg(app, (enum ui_fetch_purpose)job->purpose, msg,
		                    job->data.s ? job->data.s : "", job->data.len, job->msg_index);
		core_folder_msg_free(&msg);
		break;
	default:
		break;
	}
	app->dirty = 1;
}

void
ui_pager_part_list(struct ui_app *app, struct ui_job *job, const struct core_ev_part_list *l)
{
	(void)app;
	if (job->id != remote.job || l->id != remote.msg_id)
		return;
	remote.arena = arena_new();
	remote.n = l->count;
	remote.parts =
	    arena_alloc(remote.arena, (l->count > 0 ? l->count : 1) * sizeof(*remote.parts));
	for (size_t i = 0; i < l->count; i++) {
		const struct core_part *sp = &l->items[i];
		struct core_part *dp = &remote.parts[i];

		*dp = *sp;
		dp->path = arena_strdup(remote.arena, sp->path);
		dp->type = arena_strdup(remote.arena, sp->type);
		dp->disposition = arena_strdup(remote.arena, sp->disposition);
		dp->filename = arena_strdup(remote.arena, sp->filename);
		dp->charset = arena_strdup(remote.arena, sp->charset);
		dp->encoding = arena_strdup(remote.arena, sp->encoding);
		dp->boundary = arena_strdup(remote.arena, sp->boundary);
	}
	remote.entries = ui_attach_from_list(remote.arena, remote.parts, remote.n);
	remote.active = 1;
}

/* The index's message the remote state is about, or NULL when it is gone. */
static struct ui_msg *
remote_msg(struct ui_app *app)
{
	struct ui_msg *m;

	if (app->idx == NULL || remote.msg_index >= app->idx->count)
		return NULL;
	m = &app->idx->msgs[remote.msg_index];
	return m->s.id == remote.msg_id ? m : NULL;
}

/* The pager's message cannot come by its parts: whole, as for any store. */
static void
view_whole(struct ui_app *app)
{
	struct ui_msg *m = remote_msg(app);

	remote_reset();
	if (m != NULL && app->screen == UI_SCR_PAGER)
		ui_app_fetch(app, m, UI_FETCH_VIEW, NULL);
}

/* How much of part i's body the pager reads: all of it, or the first
 * VIEW_TEXT_MAX bytes of a part too big to show whole. */
static uint64_t
body_limit(size_t i)
{
	return remote.cut[i] ? VIEW_TEXT_MAX : remote.parts[i].size;
}

/* Whether part i's body comes in PART_RANGE steps rather than at once. */
static int
body_ranged(size_t i)
{
	return body_limit(i) > PART_RANGE;
}

/* Posts the next section of the pager's text parts, or shows the message
 * when they are all there. */
static void
next_section(struct ui_app *app)
{
	struct core_request *req;
	struct str text = STR_INIT;
	struct core_folder_msg *msg = NULL;
	struct err err;
	const char *section;
	char *owned = NULL;

	while (remote.next_part < remote.n && !remote.wanted[remote.next_part])
		remote.next_part++;
	if (remote.next_part < remote.n) {
		const struct core_part *p = &remote.parts[remote.next_part];

		if (!remote.next_body && strcmp(p->type, "message/rfc822") != 0 &&
		    strcmp(p->type, "message/global") != 0 && p->depth > 0) {
			section = owned = xasprintf("%s.MIME", p->path);
		} else {
			remote.next_body = 1;
			section = p->path;
		}
		req = core_request_new(CORE_REQ_FETCH_PART);
		req->u.fetch_part.id = remote.msg_id;
		req->u.fetch_part.part = arena_strdup(req->arena, section);
		if (remote.next_body && body_ranged(remote.next_part)) {
			char label[48];
			struct ui_job *job;

			req->u.fetch_part.offset = remote.raw.len;
			req->u.fetch_part.length = PART_RANGE;
			snprintf(label, sizeof(label), "reading part %s", p->path);
			job = post_fetch(app, req, UI_FETCH_SECTION, remote.msg_id,
			                 remote.msg_index, label);
			job->done = remote.raw.len;
			job->total = body_limit(remote.next_part);
			remote.job = job->id;
		} else {
			remote.job = post_fetch(app, req, UI_FETCH_SECTION, remote.msg_id,
			                        remote.msg_index, "reading message")
			                 ->id;
		}
		free(owned);
		return;
	}
	/* Everything is here: a message of the same tree, text parts filled. */
	if (ui_pager_skeleton(&text, remote.header.s ? remote.header.s : "", remote.header.len,
	                      remote.parts, remote.n, remote.mime, remote.body,
	                      remote.wanted) < 0 ||
	    core_folder_msg_parse(text.s ? text.s : "", text.len, &msg, &err) < 0) {
		str_free(&text);
		view_whole(app);
		return;
	}
	str_free(&text);
	core_folder_msg_free(&app->msg);
	app->msg = msg;
	/* Replies and forwards read the whole message again. */
	str_reset(&app->msg_raw);
	remote.shown = 1;
	render_message(app);
	app->dirty = 1;
}

static void part_fetched(struct ui_app *app, struct ui_job *job);

/* A mark for cut parts no message can hold by chance or design. */
static void
new_mark(char *buf, size_t size)
{
	unsigned char r[16];
	size_t n;

	if (getentropy(r, sizeof(r)) < 0) {
		/* Only a forged notice is at stake: any value does. */
		uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)buf;

		for (size_t i = 0; i < sizeof(r); i++, x = x * 6364136223846793005u + 1)
			r[i] = (unsigned char)(x >> 56);
	}
	n = (size_t)snprintf(buf, size, "petrel-cut-");
	for (size_t i = 0; i < sizeof(r) && n + 2 < size; i++, n += 2)
		snprintf(buf + n, size - n, "%02x", r[i]);
}

void
ui_pager_part_job_done(struct ui_app *app, struct ui_job *job, const struct err *err)
{
	if (job->purpose == UI_FETCH_PART) {
		if (job->id != pf.job)
			return;
		pf.job = 0;
		if (err != NULL) {
			if (err->kind == ERR_CANCELLED)
				ui_app_message(app, "Cancelled%s",
				               pf.act == ACT_SAVE || pf.act == ACT_SAVE_REPLACE
				                   ? ": nothing was saved."
				                   : ".");
			else
				ui_app_error(app, "Cannot read the part: %s", err->msg);
			part_fetch_reset();
			return;
		}
		part_fetched(app, job);
		return;
	}
	if (job->id != remote.job)
		return;
	remote.job = 0;
	if (err != NULL) {
		if (err->kind == ERR_UNSUPPORTED) {
			/* Not a store that lists parts: as before, whole. */
			no_list = 1;
			no_list_gen = app->gen;
		} else if (err->kind == ERR_CANCELLED) {
			ui_app_message(app, "Cancelled.");
			remote_reset();
			if (app->screen == UI_SCR_PAGER && app->pager == NULL)
				app->screen = UI_SCR_INDEX;
			return;
		}
		if (job->purpose == UI_FETCH_ATTACH_PARTS) {
			struct ui_msg *m = remote_msg(app);

			remote_reset();
			if (err->kind != ERR_UNSUPPORTED)
				ui_app_error(app, "Cannot list the parts: %s", err->msg);
			else if (m != NULL)
				ui_app_fetch(app, m, UI_FETCH_ATTACH, NULL);
			return;
		}
		if (err->kind != ERR_UNSUPPORTED)
			log_info("message %llu: %s; reading it whole",
			         (unsigned long long)remote.msg_id, err->msg);
		view_whole(app);
		return;
	}
	switch ((enum ui_fetch_purpose)job->purpose) {
	case UI_FETCH_ATTACH_PARTS:
		/* Only where it was asked for: the reader may have gone on. */
		if (!remote.active || app->screen != UI_SCR_INDEX) {
			remote_reset();
			return;
		}
		core_folder_msg_free(&app->msg);
		ui_pager_free(&app->pager);
		app->msg_index = remote.msg_index;
		show_attachments(app, UI_SCR_INDEX);
		app->dirty = 1;
		return;
	case UI_FETCH_VIEW_PARTS:
		if (app->screen != UI_SCR_PAGER || app->msg_index != remote.msg_index) {
			remote_reset();
			return;
		}
		if (!remote.active) {
			view_whole(app);
			return;
		}
		remote.wanted = xcalloc(remote.n ? remote.n : 1, sizeof(*remote.wanted));
		remote.mime = xcalloc(remote.n ? remote.n : 1, sizeof(*remote.mime));
		remote.body = xcalloc(remote.n ? remote.n : 1, sizeof(*remote.body));
		remote.cut = xcalloc(remote.n ? remote.n : 1, sizeof(*remote.cut));
		remote.kept = xcalloc(remote.n ? remote.n : 1, sizeof(*remote.kept));
		ui_pager_parts_wanted(remote.parts, remote.n, VIEW_TEXT_MAX, remote.wanted);
		ui_pager_parts_cut(remote.parts, remote.n, VIEW_TEXT_MAX, remote.wanted,
		                   remote.cut);
		new_mark(remote.mark, sizeof(remote.mark));
		/* The message's own header first. */
		{
			struct core_request *req = core_request_new(CORE_REQ_FETCH_PART);

			req->u.fetch_part.id = remote.msg_id;
			req->u.fetch_part.part = arena_strdup(req->arena, "HEADER");
			remote.next_part = (size_t)-1;
			remote.job = post_fetch(app, req, UI_FETCH_SECTION, remote.msg_id,
			                        remote.msg_index, "reading message")
			                 ->id;
		}
		return;
	case UI_FETCH_SECTION:
		if (app->screen != UI_SCR_PAGER || app->msg_index != remote.msg_index) {
			remote_reset();
			return;
		}
		if (remote.next_part == (size_t)-1) {
			str_append_len(&remote.header, job->data.s ? job->data.s : "",
			               job->data.len);
			remote.next_part = 0;
			remote.next_body = 0;
		} else {
			size_t i = remote.next_part;
			struct str *to = remote.next_body ? &remote.body[i] : &remote.mime[i];

			if (remote.next_body && body_ranged(i)) {
				str_append_len(&remote.raw, job->data.s ? job->data.s : "",
				               job->data.len);
				if (job->data.len == PART_RANGE && remote.raw.len < body_limit(i)) {
					next_section(app);
					return;
				}
			} else {
				str_append_len(&remote.raw, job->data.s ? job->data.s : "",
				               job->data.len);
			}
			if (remote.next_body && remote.cut[i] && remote.raw.len >= VIEW_TEXT_MAX) {
				char *mark = xasprintf("%s-%zu", remote.mark, i);

				remote.kept[i] = core_part_cut_text(to, remote.raw.s, remote.raw.len,
				                                    remote.parts[i].encoding, mark);
				free(mark);
			} else {
				/* Less than asked for: the part was whole after all. */
				if (remote.next_body)
					remote.cut[i] = 0;
				str_append_len(to, remote.raw.s ? remote.raw.s : "",
				               remote.raw.len);
			}
			str_free(&remote.raw);
			if (remote.next_body) {
				remote.next_part++;
				remote.next_body = 0;
			} else {
				remote.next_body = 1;
			}
		}
		next_section(app);
		return;
	default:
		return;
	}
}

void
ui_attach_open(struct ui_app *app)
{
	struct ui_msg *m;

	if (app->screen == UI_SCR_PAGER && app->msg != NULL) {
		show_attachments(app, UI_SCR_PAGER);
		return;
	}
	m = app->idx != NULL ? ui_index_current(app->idx) : NULL;
	if (m == NULL) {
		ui_app_error(app, "No message.");
		return;
	}
	if (by_parts(app, m)) {
		post_list(app, m, UI_FETCH_ATTACH_PARTS);
		ui_app_message(app, "Reading the part list...");
		return;
	}
	ui_app_fetch(app, m, UI_FETCH_ATTACH, NULL);
	ui_app_message(app, "Reading the message...");
}

/* Pager searches. */

static void
pager_search(struct ui_app *app, struct ui_pager *p, int dir)
{
	int wrapped;
	long line;

	if (p == NULL)
		return;
	if (app->pager_search == NULL) {
		ui_app_error(app, "No search yet: press / to search.");
		return;
	}
	line = ui_pager_search(p, dir, &wrapped);
	if (line < 0) {
		ui_app_error(app, "Not found: %s", app->pager_search);
		return;
	}
	p->top = (size_t)line;
	if (wrapped)
		ui_app_message(app, "Search wrapped around.");
}

static void
search_done(struct ui_app *app, const char *text, int yes)
{
	struct ui_pager *p = app->screen == UI_SCR_HELP ? app->sub : app->pager;
	struct err err;

	(void)yes;
	if (text == NULL || *text == '\0' || p == NULL)
		return;
	if (ui_pager_set_search(p, text, &err) < 0) {
		ui_app_error(app, "%s", err.msg);
		return;
	}
	free(app->pager_search);
	app->pager_search = xstrdup(text);
	pager_search(app, p, app->pager_search_dir);
}

/* Scrolling and searching, shared by the pager and the text screen. */
static int
scroll_fn(struct ui_app *app, struct ui_pager *p, enum ui_fn fn)
{
	long h = p != NULL && p->height > 0 ? (long)p->height : 1;

	switch (fn) {
	case UI_FN_NEXT_LINE:
		ui_pager_scroll(p, 1);
		return 1;
	case UI_FN_PREVIOUS_LINE:
		ui_pager_scroll(p, -1);
		return 1;
	case UI_FN_NEXT_PAGE:
		ui_pager_scroll(p, h);
		return 1;
	case UI_FN_PREVIOUS_PAGE:
		ui_pager_scroll(p, -h);
		return 1;
	case UI_FN_HALF_DOWN:
		ui_pager_scroll(p, h / 2 > 0 ? h / 2 : 1);
		return 1;
	case UI_FN_HALF_UP:
		ui_pager_scroll(p, -(h / 2 > 0 ? h / 2 : 1));
		return 1;
	case UI_FN_TOP:
	case UI_FN_FIRST_ENTRY:
		ui_pager_goto(p, 0);
		return 1;
	case UI_FN_BOTTOM:
	case UI_FN_LAST_ENTRY:
		ui_pager_goto(p, p != NULL ? (long)p->nlines : 0);
		return 1;
	case UI_FN_SEARCH:
	case UI_FN_SEARCH_REVERSE:
		app->pager_search_dir = fn == UI_FN_SEARCH ? 1 : -1;
		ui_app_prompt(app,
		              fn == UI_FN_SEARCH ? "Search for: " : "Search backwards for: ", NULL,
		              UI_HIST_PATTERN, UI_COMPLETE_NONE, search_done);
		return 1;
	case UI_FN_SEARCH_NEXT:
		pager_search(app, p, app->pager_search_dir ? app->pager_search_dir : 1);
		return 1;
	case UI_FN_SEARCH_OPPOSITE:
		pager_search(app, p, app->pager_search_dir < 0 ? 1 : -1);
		return 1;
	default:
		return 0;
	}
}

static void
leave_pager(struct ui_app *app)
{
	for (struct ui_job *j = app->jobs; j != NULL; j = j->next)
		if (j->kind == UI_JOB_FETCH && j->purpose == UI_FETCH_VIEW)
			core_job_cancel(j->id);
	remote_reset();
	ui_pager_free(&app->pager);
	app->screen = app->pager_back;
}

/* Moves in the index and shows the message there. */
static void
pager_move(struct ui_app *app, enum ui_fn fn)
{
	size_t before = app->idx != NULL ? app->idx->cursor : 0;

	if (app->idx == NULL)
		return;
	app->screen = UI_SCR_INDEX;
	ui_index_fn(app, fn);
	app->screen = UI_SCR_PAGER;
	if (app->idx->cursor != before || fn == UI_FN_NEXT_UNREAD)
		ui_pager_open_current(app);
}

int
ui_pager_fn(struct ui_app *app, enum ui_fn fn)
{
	struct ui_pager *p = app->pager;
	size_t before;

	if (p != NULL && scroll_fn(app, p, fn))
		return 1;
	switch (fn) {
	case UI_FN_EXIT:
		leave_pager(app);
		return 1;
	case UI_FN_NEXT_PAGE:
		/* At the end, space goes on to the next message. */
		pager_move(app, UI_FN_NEXT_UNDELETED);
		return 1;
	case UI_FN_NEXT_ENTRY:
	case UI_FN_PREVIOUS_ENTRY:
	case UI_FN_NEXT_UNDELETED:
	case UI_FN_PREVIOUS_UNDELETED:
	case UI_FN_NEXT_UNREAD:
	case UI_FN_PREVIOUS_UNREAD:
	case UI_FN_NEXT_THREAD:
	case UI_FN_PREVIOUS_THREAD:
		pager_move(app, fn);
		return 1;
	case UI_FN_TOGGLE_QUOTED:
		app->pager_hide_quoted = !app->pager_hide_quoted;
		if (p != NULL)
			ui_pager_set_hide_quoted(p, app->pager_hide_quoted);
		return 1;
	case UI_FN_TOGGLE_WEED:
		app->pager_weed = !app->pager_weed;
		if (app->msg != NULL)
			render_message(app);
		return 1;
	case UI_FN_VIEW_ATTACHMENTS:
		if (app->msg != NULL)
			show_attachments(app, UI_SCR_PAGER);
		return 1;
	case UI_FN_DELETE_MESSAGE:
	case UI_FN_UNDELETE_MESSAGE:
		before = app->idx != NULL ? app->idx->cursor : 0;
		ui_index_msg_fn(app, fn);
		if (app->idx != NULL && app->idx->cursor != before)
			ui_pager_open_current(app);
		return 1;
	case UI_FN_TAG_ENTRY:
		if (app->idx != NULL && ui_index_current(app->idx) != NULL)
			ui_index_set_tag(app->idx, ui_index_current(app->idx),
			                 !ui_index_current(app->idx)->tagged);
		return 1;
	default:
		return ui_index_msg_fn(app, fn);
	}
}

/* The text screen. */

void
ui_pager_show(struct ui_app *app, const char *title, const char *text, size_t len,
              enum ui_screen back)
{
	struct err err;

	ui_pager_free(&app->sub);
	free(app->sub_title);
	app->sub = ui_pager_new(text, len);
	app->sub_title = xstrdup(title);
	app->sub_back = back;
	app->screen = UI_SCR_HELP;
	ui_pager_relayout(app);
	if (app->pager_search != NULL)
		ui_pager_set_search(app->sub, app->pager_search, &err);
}

int
ui_help_fn(struct ui_app *app, enum ui_fn fn)
{
	if (scroll_fn(app, app->sub, fn))
		return 1;
	switch (fn) {
	case UI_FN_EXIT:
		ui_pager_free(&app->sub);
		app->screen = app->sub_back;
		return 1;
	case UI_FN_NEXT_ENTRY:
	case UI_FN_NEXT_UNDELETED:
		ui_pager_scroll(app->sub, 1);
		return 1;
	case UI_FN_PREVIOUS_ENTRY:
	case UI_FN_PREVIOUS_UNDELETED:
		ui_pager_scroll(app->sub, -1);
		return 1;
	case UI_FN_HELP:
		return 1;
	case UI_FN_QUIT:
	case UI_FN_REDRAW:
	case UI_FN_SHELL_ESCAPE:
	case UI_FN_CANCEL_JOB:
	case UI_FN_NOOP:
		return 0;
	default:
		ui_app_error(app, "Press q to leave this screen.");
		return 1;
	}
}

void
ui_help_show(struct ui_app *app)
{
	enum ui_map map = ui_app_map(app);
	const struct ui_binding **v;
	struct str text = STR_INIT;
	size_t n;
	char *seen;

	if (app->screen == UI_SCR_HELP && app->sub_title != NULL &&
	    strncmp(app->sub_title, "Help", 4) == 0)
		return;
	v = ui_keymap_list(app->km, map, &n);
	seen = xcalloc(UI_FN_COUNT, 1);
	str_appendf(&text, "Keys of the %s screen (map %s, then generic)\n\n", ui_map_name(map),
	            ui_map_name(map));
	for (size_t i = 0; i < n; i++) {
		struct str keys = STR_INIT, line = STR_INIT;

		for (size_t k = 0; k < v[i]->nkeys; k++)
			ui_keys_name(&keys, v[i]->keys[k]);
		if (v[i]->fn == UI_FN_NOOP)
			continue;
		if (v[i]->fn != UI_FN_NONE) {
			seen[v[i]->fn] = 1;
			str_appendf(&line, "%-12s %-22s %s", keys.s, ui_fn_def(v[i]->fn)->name,
			            ui_fn_def(v[i]->fn)->doc);
		} else {
			str_appendf(&line, "%-12s %-22s %s", keys.s, "macro",
			            v[i]->desc != NULL ? v[i]->desc : "");
		}
		core_folder_sanitize(&text, line.s, line.len, 0);
		str_append_char(&text, '\n');
		str_free(&keys);
		str_free(&line);
	}
	str_append(&text, "\nFunctions without a key here:\n");
	for (int f = 1; f < UI_FN_COUNT; f++) {
		const struct ui_fn_def *d = ui_fn_def((enum ui_fn)f);

		if (seen[f] || f == UI_FN_NOOP || !(d->maps & (1u << map)))
			continue;
		str_appendf(&text, "%-12s %-22s %s\n", "", d->name, d->doc);
	}
	free(seen);
	free(v);
	{
		char title[64];

		snprintf(title, sizeof(title), "Help: %s", ui_map_name(map));
		ui_pager_show(app, title, text.s, text.len, app->screen);
	}
	str_free(&text);
}

/* The attachment list. */

static const struct core_folder_part *
current_part(struct ui_app *app)
{
	if ((app->msg == NULL && !app->attach.remote) || app->attach.parts == NULL ||
	    app->attach.cursor >= app->attach.count)
		return NULL;
	return &app->attach.parts[app->attach.cursor];
}

/* Where a part's data is: a message at hand and the part's number in it.
 * Parts of a remote list are messages of one part once fetched. */
struct part_src {
	struct core_folder_msg *msg;
	const char *path;
};

static void
view_text(struct ui_app *app, const struct core_folder_part *part, const struct part_src *src)
{
	struct str text = STR_INIT;
	struct err err;
	char *title;

	str_appendf(&text, "Part: %s\nType: %s\n", part->path, part->type);
	if (*part->filename)
		str_appendf(&text, "File: %s\n", part->filename);
	str_append_char(&text, '\n');
	if (core_folder_msg_part_text(src->msg, src->path, &text, &err) < 0) {
		ui_app_error(app, "%s", err.msg);
		str_free(&text);
		return;
	}
	title = xasprintf("Part %s (%s)", part->path, part->type);
	ui_pager_show(app, title, text.s, text.len, UI_SCR_ATTACH);
	free(title);
	str_free(&text);
}

/* The extension of the part's file name, letters and digits only, with
 * its dot ("" when none). */
static void
safe_extension(struct str *out, const char *filename)
{
	const char *dot = strrchr(filename, '.');
	size_t n = 0;

	if (dot == NULL || dot == filename)
		return;
	for (const char *p = dot + 1; *p != '\0'; p++, n++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')) ||
		    n >= 10)
			return;
	str_append(out, dot);
}

static int
mailcap_test(const char *cmd, void *ctx)
{
	struct str out = STR_INIT;
	struct err err;
	int status = ui_run_capture(cmd, NULL, 0, 5000, &out, &err);

	(void)ctx;
	str_free(&out);
	return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Saves part into a new private directory under a name petrel makes;
 * returns the file (caller frees it and removes *dir_r). */
static char *
save_temp(struct ui_app *app, const struct part_src *src, const char *suffix, char **dir_r)
{
	char *dir, *written = NULL, *name;
	struct err err;

	*dir_r = NULL;
	dir = ui_mkdtemp("view", &err);
	if (dir == NULL) {
		ui_app_error(app, "%s", err.msg);
		return NULL;
	}
	name = xasprintf("attachment%s", suffix);
	if (core_folder_msg_save_part(src->msg, src->path, dir, name, 0, &written, &err) < 0) {
		ui_app_error(app, "%s", err.msg);
		ui_rm_tree(dir);
		free(dir);
		free(name);
		return NULL;
	}
	free(name);
	*dir_r = dir;
	return written;
}

static void
view_part(struct ui_app *app, const struct core_folder_part *part, const struct part_src *src)
{
	const struct ui_mailcap_entry *e;
	struct str suffix = STR_INIT, cmd = STR_INIT, out = STR_INIT, clean = STR_INIT;
	char *dir = NULL, *file = NULL;
	struct err err;
	int uses_file, status;

	if (part->container) {
		ui_app_error(app, "Part %s holds other parts: choose one of them.", part->path);
		return;
	}
	safe_extension(&suffix, part->filename);
	file = save_temp(app, src, suffix.s ? suffix.s : "", &dir);
	if (file == NULL)
		goto out;
	e = ui_mailcap_find(&app->mailcap, part->type, -1, file, mailcap_test, app);
	if (e == NULL) {
		if (strncasecmp(part->type, "text/", 5) == 0 ||
		    strcasecmp(part->type, "message/rfc822") == 0)
			view_text(app, part, src);
		else
			ui_app_error(app, "No mailcap entry for %s: s saves it, | pipes it.",
			             part->type);
		goto out;
	}
	uses_file = ui_mailcap_expand(&cmd, e->command, file, part->type, NULL, NULL);
	if (e->copiousoutput) {
		char *data = NULL;
		size_t len = 0;

		/* An entry without %s reads the part on its standard input. */
		if (!uses_file && file_read_all(file, 64 * 1024 * 1024, &data, &len, &err) < 0) {
			ui_app_error(app, "%s", err.msg);
			goto out;
		}
		status = ui_run_capture(cmd.s, uses_file ? NULL : data, len, CONVERT_TIMEOUT_MS,
		                        &out, &err);
		free(data);
		if (status < 0) {
			ui_app_error(app, "%s", err.msg);
			goto out;
		}
		str_appendf(&clean, "Part: %s\nType: %s\nShown by: ", part->path, part->type);
		core_folder_sanitize(&clean, e->command, strlen(e->command), 0);
		str_append(&clean, "\n\n");
		core_folder_sanitize(&clean, out.s ? out.s : "", out.len, 1);
		ui_pager_show(app, part->type, clean.s, clean.len, UI_SCR_ATTACH);
		goto out;
	}
	status = ui_app_run(app, cmd.s, uses_file ? NULL : file, 0);
	if (status != 0)
		ui_app_error(app, "The viewer exited with status %d.",
		             status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
out:
	if (dir != NULL)
		ui_rm_tree(dir);
	free(dir);
	free(file);
	str_free(&suffix);
	str_free(&cmd);
	str_free(&out);
	str_free(&clean);
}

/* Saving: the answer names a directory (the part keeps its own name,
 * made safe) or a file. */
static char *save_target;

static void with_part(struct ui_app *app, enum part_act act, const char *arg);

static void
save_overwrite(struct ui_app *app, const char *text, int yes)
{
	char *target = save_target;

	save_target = NULL;
	if (text != NULL && yes && target != NULL)
		with_part(app, ACT_SAVE_REPLACE, target);
	free(target);
}

static void
save_to(struct ui_app *app, const struct part_src *src, const char *target, int overwrite)
{
	char *path = NULL, *dir = NULL, *written = NULL;
	const char *name = NULL;
	struct stat st;
	struct err err;

	path = overwrite ? xstrdup(target) : ui_app_expand(app, target);
	if (path == NULL)
		return;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		size_t n = strlen(path);

		while (n > 1 && path[n - 1] == '/')
			n--;
		dir = xstrndup(path, n);
	} else {
		const char *slash = strrchr(path, '/');

		dir = slash != NULL ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
		                    : xstrdup(".");
		name = slash != NULL ? slash + 1 : path;
		if (*name == '\0')
			name = NULL;
	}
	errno = 0;
	if (core_folder_msg_save_part(src->msg, src->path, dir, name, overwrite, &written, &err) <
	    0) {
		/* An existing file fails with errno EEXIST: ask, then replace. */
		if (!overwrite && errno == EEXIST) {
			char *q =
			    xasprintf("%s exists: replace it?", name != NULL ? name : "The file");

			free(save_target);
			save_target = path;
			path = NULL;
			ui_app_ask(app, q, 0, save_overwrite);
			free(q);
			goto out;
		}
		ui_app_error(app, "%s", err.msg);
		goto out;
	}
	free(app->attach_dir);
	app->attach_dir = xstrdup(dir);
	ui_app_message(app, "Saved %s.", written);
out:
	free(written);
	free(dir);
	free(path);
}

static void
save_answer(struct ui_app *app, const char *text, int yes)
{
	(void)yes;
	if (text == NULL || *text == '\0' || current_part(app) == NULL)
		return;
	with_part(app, ACT_SAVE, text);
}

static void
pipe_to(struct ui_app *app, const struct part_src *src, const char *cmd)
{
	char *dir = NULL, *file;
	int status;

	file = save_temp(app, src, "", &dir);
	if (file == NULL)
		return;
	status = ui_app_run(app, cmd, file, config_bool(app->cfg, NULL, VAR_WAIT_KEY));
	if (status != 0)
		ui_app_error(app, "%s exited with status %d.", cmd,
		             status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	ui_rm_tree(dir);
	free(dir);
	free(file);
}

static void
pipe_answer(struct ui_app *app, const char *text, int yes)
{
	const struct core_folder_part *part = current_part(app);

	(void)yes;
	if (text == NULL || *text == '\0' || part == NULL || part->container)
		return;
	with_part(app, ACT_PIPE, text);
}

static void
run_act(struct ui_app *app, const struct core_folder_part *part, const struct part_src *src,
        enum part_act act, const char *arg)
{
	switch (act) {
	case ACT_VIEW:
		view_part(app, part, src);
		break;
	case ACT_TEXT:
		view_text(app, part, src);
		break;
	case ACT_SAVE:
	case ACT_SAVE_REPLACE:
		save_to(app, src, arg, act == ACT_SAVE_REPLACE);
		break;
	case ACT_PIPE:
		pipe_to(app, src, arg);
		break;
	}
}

/* Posts the next step of the part being fetched: its header, then its
 * body PART_RANGE bytes at a time. */
static void
post_part_step(struct ui_app *app)
{
	const struct core_part *p = &remote.parts[pf.idx];
	struct core_request *req = core_request_new(CORE_REQ_FETCH_PART);
	struct ui_job *job;
	char label[48];

	req->u.fetch_part.id = remote.msg_id;
	if (!pf.have_header) {
		/* The body of a message of one part has the message's header. */
		char *mime = p->depth == 0 ? xstrdup("HEADER") : xasprintf("%s.MIME", p->path);

		req->u.fetch_part.part = arena_strdup(req->arena, mime);
		free(mime);
	} else {
		req->u.fetch_part.part = arena_strdup(req->arena, p->path);
		req->u.fetch_part.offset = pf.off;
		req->u.fetch_part.length = PART_RANGE;
	}
	snprintf(label, sizeof(label), "fetching part %s", p->path);
	job = post_fetch(app, req, UI_FETCH_PART, remote.msg_id, remote.msg_index, label);
	job->done = pf.off;
	job->total = p->size;
	pf.job = job->id;
}

static void
part_fetched(struct ui_app *app, struct ui_job *job)
{
	const struct core_folder_part *parts;
	struct part_src src;
	struct err err;
	size_t n;
	size_t got = job->data.len;

	if (!remote.active || pf.idx >= remote.n) {
		part_fetch_reset();
		return;
	}
	str_append_len(&pf.data, job->data.s ? job->data.s : "", job->data.len);
	if (!pf.have_header) {
		if (got == 0) {
			ui_app_error(app, "The server has no part %s.", remote.parts[pf.idx].path);
			part_fetch_reset();
			return;
		}
		pf.have_header = 1;
		post_part_step(app);
		return;
	}
	pf.off += got;
	if (got == PART_RANGE) {
		post_part_step(app);
		return;
	}
	/* Header and body make a message of one part for the MIME layer. */
	if (core_folder_msg_parse(pf.data.s ? pf.data.s : "", pf.data.len, &pf.msg, &err) < 0 ||
	    core_folder_msg_parts(pf.msg, &parts, &n, &err) < 0 || n == 0) {
		ui_app_error(app, "Cannot read the part: %s", n == 0 ? "it is empty" : err.msg);
		part_fetch_reset();
		return;
	}
	str_free(&pf.data);
	pf.msg_id = remote.msg_id;
	src.msg = pf.msg;
	src.path = parts[0].path;
	run_act(app, &remote.entries[pf.idx], &src, pf.act, pf.arg);
	xfree(&pf.arg);
	app->dirty = 1;
}

/* Does act on the current part: at once when its data is at hand, else
 * after fetching it alone (a remote list). */
static void
with_part(struct ui_app *app, enum part_act act, const char *arg)
{
	const struct core_folder_part *part = current_part(app);
	const struct core_folder_part *parts;
	struct part_src src;
	struct err err;
	size_t n;

	if (part == NULL)
		return;
	if (!app->attach.remote) {
		src.msg = app->msg;
		src.path = part->path;
		run_act(app, part, &src, act, arg);
		return;
	}
	if (pf.msg != NULL && pf.msg_id == remote.msg_id && pf.idx == app->attach.cursor &&
	    core_folder_msg_parts(pf.msg, &parts, &n, &err) == 0 && n > 0) {
		src.msg = pf.msg;
		src.path = parts[0].path;
		run_act(app, part, &src, act, arg);
		return;
	}
	part_fetch_reset();
	pf.act = act;
	pf.arg = arg != NULL ? xstrdup(arg) : NULL;
	pf.idx = app->attach.cursor;
	post_part_step(app);
}

int
ui_attach_fn(struct ui_app *app, enum ui_fn fn)
{
	struct ui_attach_list *a = &app->attach;
	const struct core_folder_part *part = current_part(app);
	size_t h = (size_t)ui_app_body_rows(app);
	char *init;

	switch (fn) {
	case UI_FN_NEXT_ENTRY:
		if (a->cursor + 1 < a->count)
			a->cursor++;
		break;
	case UI_FN_PREVIOUS_ENTRY:
		if (a->cursor > 0)
			a->cursor--;
		break;
	case UI_FN_FIRST_ENTRY:
		a->cursor = 0;
		break;
	case UI_FN_LAST_ENTRY:
		a->cursor = a->count > 0 ? a->count - 1 : 0;
		break;
	case UI_FN_NEXT_PAGE:
	case UI_FN_HALF_DOWN:
		a->cursor =
		    a->cursor + h < a->count ? a->cursor + h : (a->count ? a->count - 1 : 0);
		break;
	case UI_FN_PREVIOUS_PAGE:
	case UI_FN_HALF_UP:
		a->cursor = a->cursor > h ? a->cursor - h : 0;
		break;
	case UI_FN_EXIT:
		app->screen = app->attach_back;
		if (pf.job != 0)
			part_fetch_reset();
		if (app->screen == UI_SCR_INDEX) {
			core_folder_msg_free(&app->msg);
			remote_reset();
			app->attach.parts = NULL;
			app->attach.count = 0;
			app->attach.remote = 0;
		}
		return 1;
	case UI_FN_SELECT_ENTRY:
		if (part != NULL && part->container)
			ui_app_error(app, "Part %s holds other parts: choose one of them.",
			             part->path);
		else if (part != NULL)
			with_part(app, ACT_VIEW, NULL);
		return 1;
	case UI_FN_VIEW_TEXT:
		if (part != NULL && !part->container)
			with_part(app, ACT_TEXT, NULL);
		return 1;
	case UI_FN_SAVE_ENTRY:
		if (part == NULL || part->container) {
			ui_app_error(app, "Choose a part that is not a container.");
			return 1;
		}
		init = app->attach_dir != NULL ? xasprintf("%s/", app->attach_dir) : xstrdup("./");
		ui_app_prompt(app, "Save to (directory or file): ", init, UI_HIST_FILE,
		              UI_COMPLETE_FILE, save_answer);
		free(init);
		return 1;
	case UI_FN_PIPE_ENTRY:
		ui_app_prompt(app, "Pipe to command: ", NULL, UI_HIST_COMMAND, UI_COMPLETE_FILE,
		              pipe_answer);
		return 1;
	default:
		return 0;
	}
	if (a->cursor < a->top)
		a->top = a->cursor;
	if (a->cursor >= a->top + h)
		a->top = a->cursor - h + 1;
	return 1;
}
