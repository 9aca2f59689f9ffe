#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-xalloc.h"
#include "imap/imap-command.h"
#include "imap/imap-utf7.h"

void
imap_command_init(struct imap_command *cmd, unsigned send_flags)
{
	memset(cmd, 0, sizeof(*cmd));
	str_init(&cmd->out);
	cmd->send = send_flags;
}

void
imap_command_free(struct imap_command *cmd)
{
	str_free(&cmd->out);
	free(cmd->syncs);
	free(cmd->secrets);
	cmd->syncs = NULL;
	cmd->secrets = NULL;
	cmd->n_syncs = cmd->n_secrets = 0;
}

void
imap_command_raw(struct imap_command *cmd, const char *text)
{
	str_append(&cmd->out, text);
}

void
imap_command_crlf(struct imap_command *cmd)
{
	str_append_len(&cmd->out, "\r\n", 2);
}

static void
add_secret(struct imap_command *cmd, size_t off, size_t len)
{
	cmd->secrets = xreallocarray(cmd->secrets, cmd->n_secrets + 1, sizeof(*cmd->secrets));
	cmd->secrets[cmd->n_secrets].off = off;
	cmd->secrets[cmd->n_secrets].len = len;
	cmd->n_secrets++;
}

int
imap_command_is_atom(const char *s, size_t len)
{
	if (len == 0 || (len == 3 && strncasecmp(s, "NIL", 3) == 0))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || strchr("(){%*\"\\]", c) != NULL)
			return 0;
	}
	return 1;
}

int
imap_command_is_flag(const char *s)
{
	size_t len = strlen(s);

	if (len > 1 && s[0] == '\\')
		return imap_command_is_atom(s + 1, len - 1);
	return imap_command_is_atom(s, len);
}

static int
quotable(const struct imap_command *cmd, const char *s, size_t len)
{
	if (len > IMAP_QUOTED_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c >= 0x80 && !(cmd->send & IMAP_SEND_UTF8))
			return 0;
	}
	/* Quoted UTF-8 must be valid UTF-8 (RFC 6855); anything else goes
	 * as a literal. */
	if ((cmd->send & IMAP_SEND_UTF8) && !imap_utf8_valid(s, len))
		return 0;
	return 1;
}

int
imap_command_literal(struct imap_command *cmd, const char *data, size_t len, int secret,
		     struct err *err)
{
	int binary = memchr(data, '\0', len) != NULL;
	int nonsync = (cmd->send & IMAP_SEND_LITERAL_PLUS) ||
		      ((cmd->send & IMAP_SEND_LITERAL_MINUS) && len <= IMAP_LITERAL_MINUS_MAX);
	char head[48];

	if (binary && !(cmd->send & IMAP_SEND_BINARY))
		return err_set(err, ERR_UNSUPPORTED,
			       "data holds NUL bytes and the server does not offer BINARY");
	snprintf(head, sizeof(head), "%s{%zu%s}\r\n", binary ? "~" : "", len, nonsync ? "+" : "");
	str_append(&cmd->out, head);
	if (!nonsync) {
		cmd->syncs = xreallocarray(cmd->syncs, cmd->n_syncs + 1, sizeof(*cmd->syncs));
		cmd->syncs[cmd->n_syncs++] = cmd->out.len;
	}
	if (secret && len > 0)
		add_secret(cmd, cmd->out.len, len);
	str_append_len(&cmd->out, data, len);
	cmd->literal_bytes += len;
	return 0;
}

int
imap_command_string(struct imap_command *cmd, const char *s, size_t len, int secret,
		    struct err *err)
{
	size_t start;

	if (memchr(s, '\0', len) != NULL)
		return err_set(err, ERR_USAGE, "a string for the server holds a NUL byte");
	if (!quotable(cmd, s, len))
		return imap_command_literal(cmd, s, len, secret, err);
	start = cmd->out.len;
	str_reserve(&cmd->out, len + 2);
	str_append_char(&cmd->out, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			str_append_char(&cmd->out, '\\');
		str_append_char(&cmd->out, s[i]);
	}
	str_append_char(&cmd->out, '"');
	if (secret)
		add_secret(cmd, start, cmd->out.len - start);
	return 0;
}

int
imap_command_astring(struct imap_command *cmd, const char *s, size_t len, int secret,
		     struct err *err)
{
	if (imap_command_is_atom(s, len)) {
		if (secret)
			add_secret(cmd, cmd->out.len, len);
		str_append_len(&cmd->out, s, len);
		return 0;
	}
	return imap_command_string(cmd, s, len, secret, err);
}

int
imap_command_mailbox(struct imap_command *cmd, const char *name, struct err *err)
{
	return imap_command_astring(cmd, name, strlen(name), 0, err);
}

int
imap_command_encode_mailbox(struct str *out, const char *name, int utf8, struct err *err)
{
	size_t len = strlen(name);

	if (utf8) {
		if (!imap_utf8_valid(name, len))
			return err_set(err, ERR_USAGE, "mailbox name is not valid UTF-8");
		str_append_len(out, name, len);
		return 0;
	}
	if (imap_utf7_encode(out, name, len) < 0)
		return err_set(err, ERR_USAGE, "mailbox name is not valid UTF-8");
	return 0;
}
