/*
 * The notmuch store's commands (see the header).  Tags are the store's
 * business: this face only splits the words and shows what the flags
 * became (a tag such as "unread" changes whether a message is read).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base-xalloc.h"
#include "cmd/cmd-lex.h"
#include "cmd/cmd-tag.h"

/* A word that changes a tag: +TAG or -TAG ("+" and "-" alone are messages). */
static int
is_tag_word(const char *w)
{
	return (w[0] == '+' || w[0] == '-') && w[1] != '\0';
}

/* The mailx states that follow from a message's flags after tagging. */
static void
follow_flags(struct cmd_session *s, size_t i)
{
	const struct mime_summary *sum = core_folder_summary(s->folder, i);
	struct cmd_msg *m = &s->msgs[i];

	if (sum == NULL)
		return;
	if (sum->flags & MIME_FLAG_SEEN) {
		if (!CMD_MSG_IS_READ(m))
			m->state |= CMD_MSG_OLD_READ;
		m->state &= ~(unsigned)CMD_MSG_NEW;
	} else {
		/* Tagged unread: quit must not mark it read again. */
		m->state &= ~(unsigned)(CMD_MSG_READ | CMD_MSG_OLD_READ | CMD_MSG_TOUCHED);
	}
	m->state = (sum->flags & MIME_FLAG_ANSWERED) ? m->state | CMD_MSG_ANSWERED
	                                             : m->state & ~(unsigned)CMD_MSG_ANSWERED;
	m->state = (sum->flags & MIME_FLAG_FLAGGED) ? m->state | CMD_MSG_FLAGGED
	                                            : m->state & ~(unsigned)CMD_MSG_FLAGGED;
}

int
cmd_do_tag(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct cmd_words w;
	struct err err;
	const char **add = NULL, **remove = NULL;
	size_t nadd = 0, nremove = 0, i, n = 0, *idx = NULL;
	int rc = -1;

	(void)def;
	memset(&w, 0, sizeof(w));
	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_error_err(s, &err);
		goto out;
	}
	add = xcalloc(w.n + 1, sizeof(*add));
	remove = xcalloc(w.n + 1, sizeof(*remove));
	for (i = 0; i < w.n && is_tag_word(w.w[i]); i++) {
		if (w.w[i][0] == '+')
			add[nadd++] = w.w[i] + 1;
		else
			remove[nremove++] = w.w[i] + 1;
	}
	if (nadd + nremove == 0) {
		cmd_error(s, "tag: name tags to add (+tag) or remove (-tag) before the messages");
		goto out;
	}
	if (cmd_msglist(s, i < w.n ? args + w.start[i] : "", 0) < 0)
		goto out;
	idx = xcalloc(s->count + 1, sizeof(*idx));
	for (i = 0; i < s->count; i++)
		if (s->sel[i])
			idx[n++] = i;
	if (core_store_tag(s->folder, idx, n, add, nadd, remove, nremove, &err) < 0) {
		cmd_error_err(s, &err);
		goto out;
	}
	for (i = 0; i < n; i++)
		follow_flags(s, idx[i]);
	s->cur = idx[n - 1] + 1;
	rc = 0;
out:
	cmd_words_clear(&w);
	free(add);
	free(remove);
	free(idx);
	return rc;
}

int
cmd_init_store(struct cmd_session *s)
{
	struct core_store_info info;
	struct err err;

	if (core_store_init(&info, &err) < 0) {
		cmd_error_err(s, &err);
		return 1;
	}
	if (info.created)
		cmd_out(s, "Created a notmuch database in %s\n", info.db_path);
	else
		cmd_out(s, "A notmuch database is already in %s\n", info.db_path);
	cmd_out(s, "New mail goes to the maildir %s\n", info.mail_root);
	if (info.config != NULL)
		cmd_out(s, "Settings come from the notmuch configuration %s\n", info.config);
	else
		cmd_out(s, "There is no notmuch configuration file: notmuch's defaults apply "
		           "(notmuch setup writes one)\n");
	cmd_flush(s, 0);
	core_store_info_clear(&info);
	return s->exit_status;
}
