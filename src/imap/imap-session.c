#include "config.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "imap/imap-command.h"
#include "imap/imap-session.h"

/*
 * One `struct cmd` per command from the moment it is queued until its
 * tagged completion.  Output walks the queue in order: a command's bytes
 * go out up to its next synchronising literal, and nothing behind it
 * moves until the server's "+" (or its NO) arrives.
 */

struct cmd {
	struct cmd *next;
	uint32_t tag;
	enum imap_cmd_kind kind;
	struct imap_command c;
	size_t sent;      /* bytes of c.out that went out */
	size_t line_end;  /* end of the first line: the server knows the tag once it is sent */
	int completed;    /* tagged reply came; only literal bytes the server
			   * still reads remain to be sent */
	size_t next_sync; /* index into c.syncs of the next wait */
	int wants_plus;   /* AUTHENTICATE, IDLE: "+" goes to the caller */
	int plus_seen;    /* IDLE accepted */
	int done_pending; /* DONE asked before IDLE was accepted */
	int done_sent;    /* DONE queued */
	int deselects;    /* SELECT/EXAMINE while a mailbox was selected */
	int caps_seen;    /* LOGIN, AUTHENTICATE: CAPABILITY came while in flight */
};

struct imap_session {
	struct imap_session_params params;
	struct imap_parser *parser;
	enum imap_state state;
	int tls;
	int eof;
	int failed;
	struct err failure;
	uint32_t next_tag;
	char tag_prefix[16];

	struct cmd *cmds, **cmds_tail;
	size_t n_cmds;

	/* Capabilities as sent, and the bits petrel looks at. */
	char **caps;
	size_t n_caps;
	unsigned cap_bits;
	int caps_known;
	unsigned enabled;

	/* Waiting for the caller after STARTTLS or COMPRESS. */
	int tls_pending;
	int compress_pending;

	struct imap_mailbox_state mb;
	int selecting;       /* a SELECT/EXAMINE is in flight */
	int old_mailbox;     /* its responses still describe the previous mailbox */
	int stream_warned;   /* chunks of a dropped FETCH were reported once */
	char why[256];
};

static int session_fail(struct imap_session *s, struct err *err, enum err_kind kind,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static const char *const state_names[] = {
	"GREETING", "NOT_AUTHENTICATED", "AUTHENTICATED", "SELECTED", "LOGOUT",
};

static const char *const cmd_names[IMAP_CMD_COUNT] = {
	"CAPABILITY", "ID",	     "STARTTLS",   "LOGIN",	  "AUTHENTICATE", "ENABLE",
	"COMPRESS",   "NAMESPACE",   "LIST",	   "LSUB",	  "CREATE",	  "DELETE",
	"RENAME",     "SUBSCRIBE",   "UNSUBSCRIBE", "STATUS",	  "APPEND",	  "SELECT",
	"EXAMINE",    "CLOSE",	     "UNSELECT",   "EXPUNGE",	  "UID EXPUNGE",  "FETCH",
	"UID FETCH",  "STORE",	     "UID STORE",  "COPY",	  "UID COPY",	  "MOVE",
	"UID MOVE",   "SEARCH",	     "UID SEARCH", "IDLE",	  "NOOP",	  "LOGOUT",
};

const char *
imap_state_name(enum imap_state state)
{
	return state_names[state];
}

const char *
imap_cmd_name(enum imap_cmd_kind cmd)
{
	return cmd < IMAP_CMD_COUNT ? cmd_names[cmd] : "?";
}

static void
set_state(struct imap_session *s, enum imap_state st)
{
	if (s->state != st)
		log_trace(LOG_CH_PROTO, "imap: %s -> %s", state_names[s->state], state_names[st]);
	s->state = st;
}

/* ---- capabilities ---- */

static const struct {
	const char *name;
	unsigned bit;
} cap_table[] = {
	{"IMAP4rev1", IMAP_CAP_IMAP4REV1},
	{"IMAP4rev2", IMAP_CAP_IMAP4REV2},
	{"STARTTLS", IMAP_CAP_STARTTLS},
	{"LOGINDISABLED", IMAP_CAP_LOGINDISABLED},
	{"SASL-IR", IMAP_CAP_SASL_IR},
	{"LITERAL+", IMAP_CAP_LITERAL_PLUS},
	{"LITERAL-", IMAP_CAP_LITERAL_MINUS},
	{"IDLE", IMAP_CAP_IDLE},
	{"ID", IMAP_CAP_ID},
	{"ENABLE", IMAP_CAP_ENABLE},
	{"NAMESPACE", IMAP_CAP_NAMESPACE},
	{"UIDPLUS", IMAP_CAP_UIDPLUS},
	{"MOVE", IMAP_CAP_MOVE},
	{"CONDSTORE", IMAP_CAP_CONDSTORE},
	{"QRESYNC", IMAP_CAP_QRESYNC},
	{"ESEARCH", IMAP_CAP_ESEARCH},
	{"LIST-EXTENDED", IMAP_CAP_LIST_EXTENDED},
	{"LIST-STATUS", IMAP_CAP_LIST_STATUS},
	{"SPECIAL-USE", IMAP_CAP_SPECIAL_USE},
	{"UTF8=ACCEPT", IMAP_CAP_UTF8_ACCEPT},
	{"COMPRESS=DEFLATE", IMAP_CAP_COMPRESS_DEFLATE},
	{"UNSELECT", IMAP_CAP_UNSELECT},
	{"BINARY", IMAP_CAP_BINARY},
	{"CHILDREN", IMAP_CAP_CHILDREN},
};

/* IMAP4rev2 (RFC 9051 appendix E) folds these in. */
#define REV2_CAPS                                                                             \
	(IMAP_CAP_NAMESPACE | IMAP_CAP_UNSELECT | IMAP_CAP_UIDPLUS | IMAP_CAP_ESEARCH |          \
	 IMAP_CAP_ENABLE | IMAP_CAP_IDLE | IMAP_CAP_SASL_IR | IMAP_CAP_LIST_EXTENDED |            \
	 IMAP_CAP_LIST_STATUS | IMAP_CAP_MOVE | IMAP_CAP_LITERAL_MINUS | IMAP_CAP_BINARY |        \
	 IMAP_CAP_SPECIAL_USE)

static void
caps_clear(struct imap_session *s)
{
	for (size_t i = 0; i < s->n_caps; i++)
		free(s->caps[i]);
	free(s->caps);
	s->caps = NULL;
	s->n_caps = 0;
	s->cap_bits = 0;
	s->caps_known = 0;
}

static void
caps_set(struct imap_session *s, const struct imap_strings *caps)
{
	caps_clear(s);
	s->caps = xcalloc(caps->n + 1, sizeof(*s->caps));
	for (size_t i = 0; i < caps->n; i++) {
		s->caps[i] = xstrdup(caps->v[i]);
		for (size_t k = 0; k < sizeof(cap_table) / sizeof(cap_table[0]); k++)
			if (strcasecmp(caps->v[i], cap_table[k].name) == 0)
				s->cap_bits |= cap_table[k].bit;
	}
	s->n_caps = caps->n;
	s->caps_known = 1;
}

/* Capabilities in effect: IMAP4rev2 brings its folded-in extensions once
 * it is enabled. */
static unsigned
caps_effective(const struct imap_session *s)
{
	unsigned bits = s->cap_bits;

	if (s->enabled & IMAP_ENABLED_IMAP4REV2)
		bits |= REV2_CAPS;
	return bits;
}

static unsigned
send_flags(const struct imap_session *s)
{
	unsigned caps = caps_effective(s), f = 0;

	if (caps & IMAP_CAP_LITERAL_PLUS)
		f |= IMAP_SEND_LITERAL_PLUS;
	if (caps & IMAP_CAP_LITERAL_MINUS)
		f |= IMAP_SEND_LITERAL_MINUS;
	if (s->enabled & (IMAP_ENABLED_UTF8_ACCEPT | IMAP_ENABLED_IMAP4REV2))
		f |= IMAP_SEND_UTF8;
	if (caps & IMAP_CAP_BINARY)
		f |= IMAP_SEND_BINARY;
	return f;
}

/* ---- the session object ---- */

struct imap_session *
imap_session_new(const struct imap_session_params *params)
{
	struct imap_session *s = xcalloc(1, sizeof(*s));

	if (params != NULL)
		s->params = *params;
	if (s->params.command_max == 0)
		s->params.command_max = IMAP_SESSION_COMMAND_MAX;
	snprintf(s->tag_prefix, sizeof(s->tag_prefix), "%s",
		 s->params.tag_prefix != NULL && s->params.tag_prefix[0] != '\0'
			 ? s->params.tag_prefix
			 : "a");
	s->parser = imap_parser_new(&s->params.parser);
	s->tls = s->params.tls;
	s->next_tag = 1;
	s->cmds_tail = &s->cmds;
	s->state = IMAP_STATE_GREETING;
	return s;
}

static void
cmd_free(struct cmd *c)
{
	imap_command_free(&c->c);
	free(c);
}

void
imap_session_free(struct imap_session **session)
{
	struct imap_session *s = *session;

	if (s == NULL)
		return;
	while (s->cmds != NULL) {
		struct cmd *c = s->cmds;

		s->cmds = c->next;
		cmd_free(c);
	}
	caps_clear(s);
	imap_parser_free(&s->parser);
	free(s);
	*session = NULL;
}

enum imap_state
imap_session_state(const struct imap_session *s)
{
	return s->state;
}

unsigned
imap_session_caps(const struct imap_session *s)
{
	return caps_effective(s);
}

int
imap_session_has_cap(const struct imap_session *s, const char *name)
{
	for (size_t i = 0; i < s->n_caps; i++)
		if (strcasecmp(s->caps[i], name) == 0)
			return 1;
	return 0;
}

int
imap_session_caps_known(const struct imap_session *s)
{
	return s->caps_known;
}

unsigned
imap_session_enabled(const struct imap_session *s)
{
	return s->enabled;
}

const struct imap_mailbox_state *
imap_session_mailbox(const struct imap_session *s)
{
	return s->state == IMAP_STATE_SELECTED ? &s->mb : NULL;
}

int
imap_session_tls(const struct imap_session *s)
{
	return s->tls;
}

size_t
imap_session_in_flight(const struct imap_session *s)
{
	size_t n = 0;

	for (const struct cmd *c = s->cmds; c != NULL; c = c->next)
		n += !c->completed;
	return n;
}

void
imap_session_feed(struct imap_session *s, const void *data, size_t len)
{
	if (!s->failed)
		imap_parser_feed(s->parser, data, len);
}

void
imap_session_eof(struct imap_session *s)
{
	s->eof = 1;
}

void
imap_session_tls_started(struct imap_session *s)
{
	/* Bytes still buffered came in clear, after the STARTTLS reply:
	 * they must never be read as if they came over TLS. */
	if (s->tls_pending && imap_parser_pending(s->parser) > 0)
		session_fail(s, NULL, ERR_PROTO,
			     "server sent data after its STARTTLS reply, before the TLS "
			     "handshake");
	s->tls_pending = 0;
	s->tls = 1;
}

void
imap_session_compress_started(struct imap_session *s, const char **data_r, size_t *len_r)
{
	s->compress_pending = 0;
	imap_parser_take_pending(s->parser, data_r, len_r);
}

/* ---- output ---- */

static size_t
cmd_limit(const struct cmd *c)
{
	if (c->next_sync < c->c.n_syncs)
		return c->c.syncs[c->next_sync];
	return c->c.out.len;
}

static struct cmd *
output_cmd(const struct imap_session *s)
{
	for (struct cmd *c = s->cmds; c != NULL; c = c->next) {
		if (c->sent < c->c.out.len)
			return c->sent < cmd_limit(c) ? c : NULL;
	}
	return NULL;
}

int
imap_session_output(struct imap_session *s, const char **data_r, size_t *len_r, int *secret_r)
{
	struct cmd *c = s->failed ? NULL : output_cmd(s);
	size_t end;

	if (c == NULL)
		return 0;
	end = cmd_limit(c);
	*secret_r = 0;
	for (size_t i = 0; i < c->c.n_secrets; i++) {
		const struct imap_span *sp = &c->c.secrets[i];

		if (c->sent >= sp->off && c->sent < sp->off + sp->len) {
			*secret_r = 1;
			if (sp->off + sp->len < end)
				end = sp->off + sp->len;
		} else if (sp->off > c->sent && sp->off < end) {
			end = sp->off;
		}
	}
	*data_r = c->c.out.s + c->sent;
	*len_r = end - c->sent;
	return 1;
}

static void cmd_remove(struct imap_session *s, struct cmd *c);

void
imap_session_consumed(struct imap_session *s, size_t n)
{
	struct cmd *c;

	if (n == 0)
		return;
	c = output_cmd(s);
	assert(c != NULL && n <= cmd_limit(c) - c->sent);
	c->sent += n;
	if (c->completed && c->sent == c->c.out.len)
		cmd_remove(s, c);
}

/* ---- command queue ---- */

static int
is_barrier(enum imap_cmd_kind k)
{
	switch (k) {
	case IMAP_CMD_STARTTLS:
	case IMAP_CMD_COMPRESS:
	case IMAP_CMD_AUTHENTICATE:
	case IMAP_CMD_LOGIN:
	case IMAP_CMD_SELECT:
	case IMAP_CMD_EXAMINE:
	case IMAP_CMD_CLOSE:
	case IMAP_CMD_UNSELECT:
	case IMAP_CMD_ENABLE:
	case IMAP_CMD_IDLE:
	case IMAP_CMD_LOGOUT:
		return 1;
	default:
		return 0;
	}
}

static int
uses_seqnums(enum imap_cmd_kind k)
{
	return k == IMAP_CMD_FETCH || k == IMAP_CMD_STORE || k == IMAP_CMD_COPY ||
	       k == IMAP_CMD_MOVE || k == IMAP_CMD_SEARCH || k == IMAP_CMD_EXPUNGE;
}

static int
state_allows(const struct imap_session *s, enum imap_cmd_kind k)
{
	switch (k) {
	case IMAP_CMD_CAPABILITY:
	case IMAP_CMD_NOOP:
	case IMAP_CMD_LOGOUT:
	case IMAP_CMD_ID:
		return s->state != IMAP_STATE_GREETING && s->state != IMAP_STATE_LOGOUT;
	case IMAP_CMD_STARTTLS:
	case IMAP_CMD_LOGIN:
	case IMAP_CMD_AUTHENTICATE:
		return s->state == IMAP_STATE_NOT_AUTHENTICATED;
	case IMAP_CMD_CLOSE:
	case IMAP_CMD_UNSELECT:
	case IMAP_CMD_EXPUNGE:
	case IMAP_CMD_UID_EXPUNGE:
	case IMAP_CMD_FETCH:
	case IMAP_CMD_UID_FETCH:
	case IMAP_CMD_STORE:
	case IMAP_CMD_UID_STORE:
	case IMAP_CMD_COPY:
	case IMAP_CMD_UID_COPY:
	case IMAP_CMD_MOVE:
	case IMAP_CMD_UID_MOVE:
	case IMAP_CMD_SEARCH:
	case IMAP_CMD_UID_SEARCH:
		return s->state == IMAP_STATE_SELECTED;
	case IMAP_CMD_IDLE:
	case IMAP_CMD_COMPRESS:
	case IMAP_CMD_ENABLE:
		return s->state == IMAP_STATE_AUTHENTICATED || s->state == IMAP_STATE_SELECTED ||
		       (k == IMAP_CMD_COMPRESS && s->state == IMAP_STATE_NOT_AUTHENTICATED);
	default:
		return s->state == IMAP_STATE_AUTHENTICATED || s->state == IMAP_STATE_SELECTED;
	}
}

int
imap_session_can_send(const struct imap_session *s, enum imap_cmd_kind k, const char **why_r)
{
	const char *why = NULL;

	if (s->failed)
		why = "the session failed";
	else if (s->tls_pending)
		why = "waiting for the TLS handshake after STARTTLS";
	else if (s->compress_pending)
		why = "waiting for compression to start after COMPRESS";
	else if (!state_allows(s, k))
		why = "the command is not allowed in this state";
	else if (s->params.require_tls && !s->tls && k != IMAP_CMD_CAPABILITY &&
		 k != IMAP_CMD_NOOP && k != IMAP_CMD_STARTTLS && k != IMAP_CMD_LOGOUT)
		why = "TLS is required and not established yet";
	else if (imap_session_in_flight(s) > 0 && is_barrier(k))
		why = "the command must wait until the commands in flight complete";
	else {
		for (struct cmd *c = s->cmds; c != NULL; c = c->next) {
			if (c->completed)
				continue;
			if (is_barrier(c->kind)) {
				why = "a command that must complete alone is in flight";
				break;
			}
			/* RFC 3501 5.5: the server may send EXPUNGE while any
			 * command but FETCH, STORE and SEARCH runs. */
			if (uses_seqnums(k) && c->kind != IMAP_CMD_FETCH &&
			    c->kind != IMAP_CMD_STORE && c->kind != IMAP_CMD_SEARCH) {
				why = "a command using sequence numbers cannot follow this one";
				break;
			}
		}
	}
	if (why_r != NULL)
		*why_r = why;
	return why == NULL;
}

/* Starts a command: checks that it may go now, writes "tag NAME". */
static struct cmd *
cmd_begin(struct imap_session *s, enum imap_cmd_kind k, struct err *err)
{
	const char *why;
	struct cmd *c;
	char head[64];

	if (!imap_session_can_send(s, k, &why)) {
		err_set(err, ERR_USAGE, "cannot send %s now: %s", cmd_names[k], why);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->kind = k;
	c->tag = s->next_tag;
	imap_command_init(&c->c, send_flags(s));
	snprintf(head, sizeof(head), "%s%u %s", s->tag_prefix, c->tag, cmd_names[k]);
	imap_command_raw(&c->c, head);
	return c;
}

/* Ends a command: CRLF, length check, queued.  Frees it on error. */
static int
cmd_end(struct imap_session *s, struct cmd *c, uint32_t *tag_r, struct err *err)
{
	/* The bound is on the command line; literal data does not count. */
	size_t line = c->c.out.len - c->c.literal_bytes;

	if (line > s->params.command_max) {
		err_set(err, ERR_USAGE, "%s command of %zu bytes is longer than %zu", cmd_names[c->kind],
			line, s->params.command_max);
		cmd_free(c);
		return -1;
	}
	imap_command_crlf(&c->c);
	{
		const char *crlf = strstr(c->c.out.s, "\r\n");

		c->line_end = (size_t)(crlf - c->c.out.s) + 2;
	}
	s->next_tag++;
	*s->cmds_tail = c;
	s->cmds_tail = &c->next;
	s->n_cmds++;
	if (tag_r != NULL)
		*tag_r = c->tag;
	return 0;
}

static int
cmd_fail(struct cmd *c)
{
	cmd_free(c);
	return -1;
}

static void
cmd_remove(struct imap_session *s, struct cmd *c)
{
	struct cmd **pp = &s->cmds;

	while (*pp != c)
		pp = &(*pp)->next;
	*pp = c->next;
	if (s->cmds_tail == &c->next)
		s->cmds_tail = pp;
	s->n_cmds--;
	cmd_free(c);
}

/* ---- commands ---- */

/* Without a capability list, "not offered" would be a guess. */
static int
not_offered(const struct imap_session *s, struct err *err, const char *what)
{
	if (!s->caps_known)
		return err_set(err, ERR_USAGE,
			       "the server's capabilities are not known (ask CAPABILITY first; "
			       "%s is needed)",
			       what);
	return err_set(err, ERR_UNSUPPORTED, "the server does not offer %s", what);
}

static int
simple(struct imap_session *s, enum imap_cmd_kind k, uint32_t *tag_r, struct err *err)
{
	struct cmd *c = cmd_begin(s, k, err);

	if (c == NULL)
		return -1;
	return cmd_end(s, c, tag_r, err);
}

int
imap_cmd_capability(struct imap_session *s, uint32_t *tag_r, struct err *err)
{
	return simple(s, IMAP_CMD_CAPABILITY, tag_r, err);
}

int
imap_cmd_noop(struct imap_session *s, uint32_t *tag_r, struct err *err)
{
	return simple(s, IMAP_CMD_NOOP, tag_r, err);
}

int
imap_cmd_logout(struct imap_session *s, uint32_t *tag_r, struct err *err)
{
	return simple(s, IMAP_CMD_LOGOUT, tag_r, err);
}

int
imap_cmd_namespace(struct imap_session *s, uint32_t *tag_r, struct err *err)
{
	if (!(caps_effective(s) & IMAP_CAP_NAMESPACE))
		return not_offered(s, err, "NAMESPACE");
	return simple(s, IMAP_CMD_NAMESPACE, tag_r, err);
}

int
imap_cmd_id(struct imap_session *s, const char *const *fields, uint32_t *tag_r,
	    struct err *err)
{
	struct cmd *c;

	if (!(caps_effective(s) & IMAP_CAP_ID))
		return not_offered(s, err, "ID");
	if ((c = cmd_begin(s, IMAP_CMD_ID, err)) == NULL)
		return -1;
	if (fields == NULL || fields[0] == NULL) {
		imap_command_raw(&c->c, " NIL");
	} else {
		imap_command_raw(&c->c, " (");
		for (size_t i = 0; fields[i] != NULL && fields[i + 1] != NULL; i += 2) {
			if (i > 0)
				imap_command_raw(&c->c, " ");
			if (imap_command_string(&c->c, fields[i], strlen(fields[i]), 0, err) < 0)
				return cmd_fail(c);
			imap_command_raw(&c->c, " ");
			if (imap_command_string(&c->c, fields[i + 1], strlen(fields[i + 1]), 0, err) < 0)
				return cmd_fail(c);
		}
		imap_command_raw(&c->c, ")");
	}
	return cmd_end(s, c, tag_r, err);
}

int
imap_cmd_starttls(struct imap_session *s, uint32_t *tag_r, struct err *err)
{
	if (s->tls)
		return err_set(err, ERR_USAGE, "the connection is under TLS already");
	if (!(s->cap_bits & IMAP_CAP_STARTTLS))
		return not_offered(s, err, "STARTTLS");
	return simple(s, IMAP_CMD_STARTTLS, tag_r, err);
}

static int
password_allowed(const struct imap_session *s, struct err *err)
{
	if (!s->tls && !s->params.allow_plaintext)
		return err_set(err, ERR_TLS,
			       "refusing to send a password over a connection without TLS");
	return 0;
}

int
imap_cmd_login(struct imap_session *s, const char *user, const char *password,
	       uint32_t *tag_r, struct err *err)
{
	struct cmd *c;

	if (password_allowed(s, err) < 0)
		return -1;
	if (s->cap_bits & IMAP_CAP_LOGINDISABLED)
		return err_set(err, ERR_UNSUPPORTED, "the server disabled LOGIN (LOGINDISABLED)");
	if ((c = cmd_begin(s, IMAP_CMD_LOGIN, err)) == NULL)
		return -1;
	imap_command_raw(&c->c, " ");
	if (imap_command_astring(&c->c, user, strlen(user), 0, err) < 0)
		return cmd_fail(c);
	imap_command_raw(&c->c, " ");
	if (imap_command_astring(&c->c, password, strlen(password), 1, err) < 0)
		return cmd_fail(c);
	return cmd_end(s, c, tag_r, err);
}

static int
base64_line_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '+' || *s == '/' || *s == '='))
			return 0;
	return 1;
}

int
imap_cmd_authenticate(struct imap_session *s, const char *mech, const char *initial_response,
		      uint32_t *tag_r, struct err *err)
{
	static const char *const secret_mechs[] = {"PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER"};
	struct cmd *c;

	if (!imap_command_is_atom(mech, strlen(mech)))
		return err_set(err, ERR_USAGE, "bad SASL mechanism name");
	for (size_t i = 0; i < sizeof(secret_mechs) / sizeof(secret_mechs[0]); i++)
		if (strcasecmp(mech, secret_mechs[i]) == 0 && password_allowed(s, err) < 0)
			return -1;
	if (initial_response != NULL && !base64_line_ok(initial_response))
		return err_set(err, ERR_USAGE, "SASL initial response is not base64");
	if ((c = cmd_begin(s, IMAP_CMD_AUTHENTICATE, err)) == NULL)
		return -1;
	c->wants_plus = 1;
	imap_command_raw(&c->c, " ");
	imap_command_raw(&c->c, mech);
	if (initial_response != NULL && (caps_effective(s) & IMAP_CAP_SASL_IR)) {
		const char *ir = initial_response[0] != '\0' ? initial_response : "=";

		imap_command_raw(&c->c, " ");
		c->c.secrets = xreallocarray(c->c.secrets, c->c.n_secrets + 1, sizeof(*c->c.secrets));
		c->c.secrets[c->c.n_secrets].off = c->c.out.len;
		c->c.secrets[c->c.n_secrets].len = strlen(ir);
		c->c.n_secrets++;
		imap_command_raw(&c->c, ir);
		return cmd_end(s, c, tag_r, err);
	}
	if (cmd_end(s, c, tag_r, err) < 0)
		return -1;
	/* Without SASL-IR the initial response answers the first "+". */
	if (initial_response != NULL) {
		struct imap_span *sp;
		const char *ir = initial_response;

		c->c.syncs = xreallocarray(c->c.syncs, c->c.n_syncs + 1, sizeof(*c->c.syncs));
		c->c.syncs[c->c.n_syncs++] = c->c.out.len;
		c->c.secrets = xreallocarray(c->c.secrets, c->c.n_secrets + 1, sizeof(*sp));
		sp = &c->c.secrets[c->c.n_secrets++];
		sp->off = c->c.out.len;
		sp->len = strlen(ir);
		imap_command_raw(&c->c, ir);
		imap_command_crlf(&c->c);
	}
	return 0;
}

static struct cmd *
find_cmd(struct imap_session *s, enum imap_cmd_kind k)
{
	for (struct cmd *c = s->cmds; c != NULL; c = c->next)
		if (c->kind == k && !c->completed)
			return c;
	return NULL;
}

/* Capabilities sent while LOGIN or AUTHENTICATE runs are the new ones. */
static void
note_caps(struct imap_session *s)
{
	struct cmd *auth = find_cmd(s, IMAP_CMD_LOGIN);

	if (auth == NULL)
		auth = find_cmd(s, IMAP_CMD_AUTHENTICATE);
	if (auth != NULL)
		auth->caps_seen = 1;
}

int
imap_session_auth_response(struct imap_session *s, const char *line, struct err *err)
{
	struct cmd *c = find_cmd(s, IMAP_CMD_AUTHENTICATE);
	struct imap_span *sp;

	if (c == NULL)
		return err_set(err, ERR_USAGE, "no AUTHENTICATE in flight");
	if (strcmp(line, "*") != 0 && !base64_line_ok(line))
		return err_set(err, ERR_USAGE, "SASL response is not base64");
	c->c.secrets = xreallocarray(c->c.secrets, c->c.n_secrets + 1, sizeof(*sp));
	sp = &c->c.secrets[c->c.n_secrets++];
	sp->off = c->c.out.len;
	sp->len = strlen(line);
	imap_command_raw(&c->c, line);
	imap_command_crlf(&c->c);
	return 0;
}

int
imap_cmd_enable(struct imap_session *s, unsigned what, uint32_t *tag_r, struct err *err)
{
	static const struct {
		unsigned bit, cap;
		const char *name;
	} ext[] = {
		{IMAP_ENABLED_CONDSTORE, IMAP_CAP_CONDSTORE, "CONDSTORE"},
		{IMAP_ENABLED_QRESYNC, IMAP_CAP_QRESYNC, "QRESYNC"},
		{IMAP_ENABLED_UTF8_ACCEPT, IMAP_CAP_UTF8_ACCEPT, "UTF8=ACCEPT"},
		{IMAP_ENABLED_IMAP4REV2, IMAP_CAP_IMAP4REV2, "IMAP4rev2"},
	};
	struct cmd *c;

	if (!(caps_effective(s) & IMAP_CAP_ENABLE))
		return not_offered(s, err, "ENABLE");
	if (what == 0)
		return err_set(err, ERR_USAGE, "nothing to ENABLE");
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if ((what & ext[i].bit) && !(caps_effective(s) & ext[i].cap))
			return not_offered(s, err, ext[i].name);
	if ((c = cmd_begin(s, IMAP_CMD_ENABLE, err)) == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (what & ext[i].bit) {
			imap_command_raw(&c->c, " ");
			imap_command_raw(&c->c, ext[i].name);
		}
	return cmd_end(s, c, tag_r, err);
}

int
imap_cmd_compress(struct imap_session *s, uint32_t *tag_r, struct err *err)
{
	struct cmd *c;

	if (!(s->cap_bits & IMAP_CAP_COMPRESS_DEFLATE))
		return not_offered(s, err, "COMPRESS=DEFLATE");
	if ((c = cmd_begin(s, IMAP_CMD_COMPRESS, err)) == NULL)
		return -1;
	imap_command_raw(&c->c, " DEFLATE");
	return cmd_end(s, c, tag_r, err);
}

static const struct {
	unsigned bit;
	const char *name;
} status_items[] = {
	{IMAP_STATUS_MESSAGES, "MESSAGES"},   {IMAP_STATUS_RECENT, "RECENT"},
	{IMAP_STATUS_UIDNEXT, "UIDNEXT"},     {IMAP_STATUS_UIDVALIDITY, "UIDVALIDITY"},
	{IMAP_STATUS_UNSEEN, "UNSEEN"},       {IMAP_STATUS_DELETED, "DELETED"},
	{IMAP_STATUS_SIZE, "SIZE"},           {IMAP_STATUS_HIGHESTMODSEQ, "HIGHESTMODSEQ"},
};

static int
add_status_items(struct imap_session *s, struct cmd *c, unsigned items, struct err *err)
{
	int first = 1;

	if (items == 0)
		return err_set(err, ERR_USAGE, "no STATUS items asked");
	if ((items & IMAP_STATUS_HIGHESTMODSEQ) && !(caps_effective(s) & IMAP_CAP_CONDSTORE))
		return not_offered(s, err, "CONDSTORE");
	if ((items & IMAP_STATUS_SIZE) && !imap_session_has_cap(s, "STATUS=SIZE") &&
	    !(s->enabled & IMAP_ENABLED_IMAP4REV2))
		return not_offered(s, err, "STATUS=SIZE");
	imap_command_raw(&c->c, "(");
	for (size_t i = 0; i < sizeof(status_items) / sizeof(status_items[0]); i++)
		if (items & status_items[i].bit) {
			if (!first)
				imap_command_raw(&c->c, " ");
			imap_command_raw(&c->c, status_items[i].name);
			first = 0;
		}
	imap_command_raw(&c->c, ")");
	return 0;
}

/* A LIST pattern: % and * must stay wildcards, so it is never an atom. */
static int
add_pattern(struct cmd *c, const char *pattern, struct err *err)
{
	return imap_command_string(&c->c, pattern, strlen(pattern), 0, err);
}

int
imap_session_encode_mailbox(const struct imap_session *s, const char *name, struct str *out,
			    struct err *err)
{
	return imap_command_encode_mailbox(
		out, name, (s->enabled & (IMAP_ENABLED_UTF8_ACCEPT | IMAP_ENABLED_IMAP4REV2)) != 0,
		err);
}

int
imap_cmd_list(struct imap_session *s, const char *ref, const char *pattern,
	      const struct imap_list_opts *opts, uint32_t *tag_r, struct err *err)
{
	static const struct imap_list_opts none;
	unsigned caps = caps_effective(s);
	int extended, lsub = 0;
	struct cmd *c;

	if (opts == NULL)
		opts = &none;
	extended = opts->children || opts->special_use || opts->status;
	if (extended && !(caps & IMAP_CAP_LIST_EXTENDED))
		return not_offered(s, err, "LIST-EXTENDED");
	if (opts->status && !(caps & IMAP_CAP_LIST_STATUS))
		return not_offered(s, err, "LIST-STATUS");
	if (opts->special_use && !(caps & IMAP_CAP_SPECIAL_USE))
		return not_offered(s, err, "SPECIAL-USE");
	if (opts->subscribed && !(caps & IMAP_CAP_LIST_EXTENDED)) {
		if (extended)
			return not_offered(s, err, "LIST-EXTENDED");
		lsub = 1;
	}
	if ((c = cmd_begin(s, lsub ? IMAP_CMD_LSUB : IMAP_CMD_LIST, err)) == NULL)
		return -1;
	imap_command_raw(&c->c, opts->subscribed && !lsub ? " (SUBSCRIBED) " : " ");
	if (add_pattern(c, ref, err) < 0)
		return cmd_fail(c);
	imap_command_raw(&c->c, " ");
	if (add_pattern(c, pattern, err) < 0)
		return cmd_fail(c);
	if (extended) {
		const char *sep = "";

		imap_command_raw(&c->c, " RETURN (");
		if (opts->children) {
			imap_command_raw(&c->c, "CHILDREN");
			sep = " ";
		}
		if (opts->special_use) {
			imap_command_raw(&c->c, sep);
			imap_command_raw(&c->c, "SPECIAL-USE");
			sep = " ";
		}
		if (opts->status) {
			imap_command_raw(&c->c, sep);
			imap_command_raw(&c->c, "STATUS ");
			if (add_status_items(s, c, opts->status, err) < 0)
				return cmd_fail(c);
		}
		imap_command_raw(&c->c, ")");
	}
	return cmd_end(s, c, tag_r, err);
}

static int
mailbox_cmd(struct imap_session *s, enum imap_cmd_kind k, const char *mailbox, uint32_t *tag_r,
	    struct err *err)
{
	struct cmd *c = cmd_begin(s, k, err);

	if (c == NULL)
		return -1;
	imap_command_raw(&c->c, " ");
	if (imap_command_mailbox(&c->c, mailbox, err) < 0)
		return cmd_fail(c);
	return cmd_end(s, c, tag_r, err);
}

int
imap_cmd_create(struct imap_session *s, const char *mailbox, uint32_t *tag_r, struct err *err)
{
	return mailbox_cmd(s, IMAP_CMD_CREATE, mailbox, tag_r, err);
}

int
imap_cmd_delete(struct imap_session *s, const char *mailbox, uint32_t *tag_r, struct err *err)
{
	return mailbox_cmd(s, IMAP_CMD_DELETE, mailbox, tag_r, err);
}

int
imap_cmd_subscribe(struct imap_session *s, const char *mailbox, int subscribe, uint32_t *tag_r,
		   struct err *err)
{
	return mailbox_cmd(s, subscribe ? IMAP_CMD_SUBSCRIBE : IMAP_CMD_UNSUBSCRIBE, mailbox,
			   tag_r, err);
}

int
imap_cmd_rename(struct imap_session *s, const char *from, const char *to, uint32_t *tag_r,
		struct err *err)
{
	struct cmd *c = cmd_begin(s, IMAP_CMD_RENAME, err);

	if (c == NULL)
		return -1;
	imap_command_raw(&c->c, " ");
	if (imap_command_mailbox(&c->c, from, err) < 0)
		return cmd_fail(c);
	imap_command_raw(&c->c, " ");
	if (imap_command_mailbox(&c->c, to, err) < 0)
		return cmd_fail(c);
	return cmd_end(s, c, tag_r, err);
}

int
imap_cmd_status(struct imap_session *s, const char *mailbox, unsigned items, uint32_t *tag_r,
		struct err *err)
{
	struct cmd *c = cmd_begin(s, IMAP_CMD_STATUS, err);

	if (c == NULL)
		return -1;
	imap_command_raw(&c->c, " ");
	if (imap_command_mailbox(&c->c, mailbox, err) < 0)
		return cmd_fail(c);
	imap_command_raw(&c->c, " ");
	if (add_status_items(s, c, items, err) < 0)
		return cmd_fail(c);
	return cmd_end(s, c, tag_r, err);
}

static int
add_flags(struct cmd *c, const char *const *flags, size_t n, struct err *err)
{
	imap_command_raw(&c->c, "(");
	for (size_t i = 0; i < n; i++) {
		if (!imap_command_is_flag(flags[i]))
			return err_set(err, ERR_USAGE, "bad flag name");
		if (i > 0)
			imap_command_raw(&c->c, " ");
		imap_command_raw(&c->c, flags[i]);
	}
	imap_command_raw(&c->c, ")");
	return 0;
}

int
imap_cmd_append(struct imap_session *s, const char *mailbox, const char *const *flags,
		size_t n_flags, time_t date, const char *data, size_t len, uint32_t *tag_r,
		struct err *err)
{
	static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct cmd *c = cmd_begin(s, IMAP_CMD_APPEND, err);

	if (c == NULL)
		return -1;
	imap_command_raw(&c->c, " ");
	if (imap_command_mailbox(&c->c, mailbox, err) < 0)
		return cmd_fail(c);
	if (n_flags > 0) {
		imap_command_raw(&c->c, " ");
		if (add_flags(c, flags, n_flags, err) < 0)
			return cmd_fail(c);
	}
	if (date != 0) {
		struct tm tm;
		char buf[64];

		if (gmtime_r(&date, &tm) == NULL || tm.tm_year + 1900 > 9999 || tm.tm_year < 0) {
			err_set(err, ERR_USAGE, "APPEND date out of range");
			return cmd_fail(c);
		}
		snprintf(buf, sizeof(buf), " \"%02d-%s-%04d %02d:%02d:%02d +0000\"", tm.tm_mday,
			 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
		imap_command_raw(&c->c, buf);
	}
	imap_command_raw(&c->c, " ");
	if (imap_command_literal(&c->c, data, len, 0, err) < 0)
		return cmd_fail(c);
	return cmd_end(s, c, tag_r, err);
}

static void
mailbox_reset(struct imap_session *s)
{
	memset(&s->mb, 0, sizeof(s->mb));
}

int
imap_cmd_select(struct imap_session *s, const char *mailbox, const struct imap_select_opts *opts,
		uint32_t *tag_r, struct err *err)
{
	static const struct imap_select_opts none;
	struct cmd *c;

	if (opts == NULL)
		opts = &none;
	if (opts->condstore && !(caps_effective(s) & IMAP_CAP_CONDSTORE))
		return not_offered(s, err, "CONDSTORE");
	if (opts->qresync_uidvalidity != 0 && !(s->enabled & IMAP_ENABLED_QRESYNC))
		return err_set(err, ERR_UNSUPPORTED, "QRESYNC is not enabled");
	if (opts->qresync_uids != NULL && !imap_seqset_valid(opts->qresync_uids))
		return err_set(err, ERR_USAGE, "bad known-UID set for QRESYNC");
	if ((c = cmd_begin(s, opts->examine ? IMAP_CMD_EXAMINE : IMAP_CMD_SELECT, err)) == NULL)
		return -1;
	imap_command_raw(&c->c, " ");
	if (imap_command_mailbox(&c->c, mailbox, err) < 0)
		return cmd_fail(c);
	if (opts->qresync_uidvalidity != 0) {
		char buf[80];

		snprintf(buf, sizeof(buf), " (QRESYNC (%u %llu", opts->qresync_uidvalidity,
			 (unsigned long long)(opts->qresync_modseq ? opts->qresync_modseq : 1));
		imap_command_raw(&c->c, buf);
		if (opts->qresync_uids != NULL) {
			imap_command_raw(&c->c, " ");
			imap_command_raw(&c->c, opts->qresync_uids);
		}
		imap_command_raw(&c->c, "))");
	} else if (opts->condstore) {
		imap_command_raw(&c->c, " (CONDSTORE)");
	}
	c->deselects = s->state == IMAP_STATE_SELECTED;
	if (cmd_end(s, c, tag_r, err) < 0)
		return -1;
	/* From here the server's untagged data describes the new mailbox,
	 * except, when one was selected, what comes before [CLOSED]. */
	s->selecting = 1;
	s->old_mailbox = c->deselects;
	mailbox_reset(s);
	s->mb.read_only = opts->examine;
	return 0;
}

int
imap_cmd_close(struct imap_session *s, int expunge, uint32_t *tag_r, struct err *err)
{
	if (!expunge && !(caps_effective(s) & IMAP_CAP_UNSELECT))
		return not_offered(s, err, "UNSELECT");
	return simple(s, expunge ? IMAP_CMD_CLOSE : IMAP_CMD_UNSELECT, tag_r, err);
}

static int
check_set(const char *set, struct err *err)
{
	if (set == NULL || !imap_seqset_valid(set))
		return err_set(err, ERR_USAGE, "bad sequence set");
	return 0;
}

int
imap_cmd_expunge(struct imap_session *s, const char *set, uint32_t *tag_r, struct err *err)
{
	struct cmd *c;

	if (set == NULL)
		return simple(s, IMAP_CMD_EXPUNGE, tag_r, err);
	if (!(caps_effective(s) & IMAP_CAP_UIDPLUS))
		return not_offered(s, err, "UIDPLUS");
	if (check_set(set, err) < 0 || (c = cmd_begin(s, IMAP_CMD_UID_EXPUNGE, err)) == NULL)
		return -1;
	imap_command_raw(&c->c, " ");
	imap_command_raw(&c->c, set);
	return cmd_end(s, c, tag_r, err);
}

static int
items_ok(const char *items)
{
	if (items == NULL || items[0] == '\0')
		return 0;
	for (const char *p = items; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return 0;
	return 1;
}

int
imap_cmd_fetch(struct imap_session *s, int uid, const char *set, const char *items,
	       uint64_t changedsince, int vanished, uint32_t *tag_r, struct err *err)
{
	struct cmd *c;

	if (check_set(set, err) < 0)
		return -1;
	if (!items_ok(items))
		return err_set(err, ERR_USAGE, "bad FETCH item list");
	if (changedsince && !(caps_effective(s) & IMAP_CAP_CONDSTORE))
		return not_offered(s, err, "CONDSTORE");
	if (vanished && (!uid || !changedsince || !(s->enabled & IMAP_ENABLED_QRESYNC)))
		return err_set(err, ERR_USAGE, "VANISHED needs UID FETCH, CHANGEDSINCE and QRESYNC");
	if ((c = cmd_begin(s, uid ? IMAP_CMD_UID_FETCH : IMAP_CMD_FETCH, err)) == NULL)
		return -1;
	imap_command_raw(&c->c, " ");
	imap_command_raw(&c->c, set);
	imap_command_raw(&c->c, " (");
	imap_command_raw(&c->c, items);
	imap_command_raw(&c->c, ")");
	if (changedsince) {
		char buf[64];

		snprintf(buf, sizeof(buf), " (CHANGEDSINCE %llu%s)", (unsigned long long)changedsince,
			 vanished ? " VANISHED" : "");
		imap_command_raw(&c->c, buf);
	}
	return cmd_end(s, c, tag_r, err);
}

int
imap_cmd_store(struct imap_session *s, int uid, const char *set, enum imap_store_op op,
	       int silent, const char *const *flags, size_t n_flags, uint64_t unchangedsince,
	       uint32_t *tag_r, struct err *err)
{
	static const char *const ops[] = {"+FLAGS", "-FLAGS", "FLAGS"};
	struct cmd *c;

	if (check_set(set, err) < 0)
		return -1;
	if (unchangedsince && !(caps_effective(s) & IMAP_CAP_CONDSTORE))
		return not_offered(s, err, "CONDSTORE");
	if ((c = cmd_begin(s, uid ? IMAP_CMD_UID_STORE : IMAP_CMD_STORE, err)) == NULL)
		return -1;
	imap_command_raw(&c->c, " ");
	imap_command_raw(&c->c, set);
	if (unchangedsince) {
		char buf[64];

		snprintf(buf, sizeof(buf), " (UNCHANGEDSINCE %llu)",
			 (unsigned long long)unchangedsince);
		imap_command_raw(&c->c, buf);
	}
	imap_command_raw(&c->c, " ");
	imap_command_raw(&c->c, ops[op]);
	imap_command_raw(&c->c, silent ? ".SILENT " : " ");
	if (add_flags(c, flags, n_flags, err) < 0)
		return cmd_fail(c);
	return cmd_end(s, c, tag_r, err);
}

int
imap_cmd_copy(struct imap_session *s, int uid, int move, const char *set, const char *mailbox,
	      uint32_t *tag_r, struct err *err)
{
	enum imap_cmd_kind k;
	struct cmd *c;

	if (check_set(set, err) < 0)
		return -1;
	if (move && !(caps_effective(s) & IMAP_CAP_MOVE))
		return not_offered(s, err, "MOVE");
	k = move ? (uid ? IMAP_CMD_UID_MOVE : IMAP_CMD_MOVE) : (uid ? IMAP_CMD_UID_COPY : IMAP_CMD_COPY);
	if ((c = cmd_begin(s, k, err)) == NULL)
		return -1;
	imap_command_raw(&c->c, " ");
	imap_command_raw(&c->c, set);
	imap_command_raw(&c->c, " ");
	if (imap_command_mailbox(&c->c, mailbox, err) < 0)
		return cmd_fail(c);
	return cmd_end(s, c, tag_r, err);
}

static int
search_key_ok(const char *key)
{
	return items_ok(key);
}

int
imap_cmd_search(struct imap_session *s, int uid, unsigned ret, const struct imap_search_key *keys,
		size_t n_keys, uint32_t *tag_r, struct err *err)
{
	static const struct {
		unsigned bit;
		const char *name;
	} rets[] = {{IMAP_ESEARCH_MIN, "MIN"},
		    {IMAP_ESEARCH_MAX, "MAX"},
		    {IMAP_ESEARCH_COUNT, "COUNT"},
		    {IMAP_ESEARCH_ALL, "ALL"}};
	int utf8 = 0;
	struct cmd *c;

	if (n_keys == 0)
		return err_set(err, ERR_USAGE, "no search keys");
	if (ret != 0 && !(caps_effective(s) & IMAP_CAP_ESEARCH))
		return not_offered(s, err, "ESEARCH");
	for (size_t i = 0; i < n_keys; i++) {
		if (!search_key_ok(keys[i].key))
			return err_set(err, ERR_USAGE, "bad search key");
		if (keys[i].value != NULL)
			for (const char *p = keys[i].value; *p != '\0'; p++)
				if ((unsigned char)*p >= 0x80)
					utf8 = 1;
	}
	if ((c = cmd_begin(s, uid ? IMAP_CMD_UID_SEARCH : IMAP_CMD_SEARCH, err)) == NULL)
		return -1;
	if (ret != 0) {
		const char *sep = "";

		imap_command_raw(&c->c, " RETURN (");
		for (size_t i = 0; i < sizeof(rets) / sizeof(rets[0]); i++)
			if (ret & rets[i].bit) {
				imap_command_raw(&c->c, sep);
				imap_command_raw(&c->c, rets[i].name);
				sep = " ";
			}
		imap_command_raw(&c->c, ")");
	}
	/* IMAP4rev2 has no CHARSET but UTF-8 (RFC 9051 6.4.4). */
	if (utf8 && !(s->enabled & (IMAP_ENABLED_UTF8_ACCEPT | IMAP_ENABLED_IMAP4REV2)))
		imap_command_raw(&c->c, " CHARSET UTF-8");
	for (size_t i = 0; i < n_keys; i++) {
		imap_command_raw(&c->c, " ");
		imap_command_raw(&c->c, keys[i].key);
		if (keys[i].value != NULL) {
			imap_command_raw(&c->c, " ");
			if (imap_command_string(&c->c, keys[i].value, strlen(keys[i].value), 0, err) < 0)
				return cmd_fail(c);
		}
	}
	return cmd_end(s, c, tag_r, err);
}

int
imap_cmd_idle(struct imap_session *s, uint32_t *tag_r, struct err *err)
{
	struct cmd *c;

	if (!(caps_effective(s) & IMAP_CAP_IDLE))
		return not_offered(s, err, "IDLE");
	if ((c = cmd_begin(s, IMAP_CMD_IDLE, err)) == NULL)
		return -1;
	c->wants_plus = 1;
	return cmd_end(s, c, tag_r, err);
}

int
imap_session_idle_done(struct imap_session *s, struct err *err)
{
	struct cmd *c = find_cmd(s, IMAP_CMD_IDLE);

	if (c == NULL)
		return err_set(err, ERR_USAGE, "no IDLE in flight");
	if (c->done_pending || c->done_sent)
		return 0;
	if (!c->plus_seen) {
		c->done_pending = 1;
		return 0;
	}
	imap_command_raw(&c->c, "DONE");
	imap_command_crlf(&c->c);
	c->done_sent = 1;
	return 0;
}

/* ---- responses ---- */

static int
session_fail(struct imap_session *s, struct err *err, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_setv(&s->failure, kind, fmt, ap);
	va_end(ap);
	s->failed = 1;
	if (err != NULL)
		*err = s->failure;
	return -1;
}

static const char *
whyf(struct imap_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *
whyf(struct imap_session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	return s->why;
}

/* Response codes that change the mailbox or capability state, from any
 * status response. */
static int
apply_code(struct imap_session *s, const struct imap_code *code, struct imap_event *ev)
{
	struct imap_mailbox_state *mb = &s->mb;
	int mailbox = s->selecting ? !s->old_mailbox : s->state == IMAP_STATE_SELECTED;

	switch (code->kind) {
	case IMAP_CODE_CAPABILITY:
		caps_set(s, &code->u.caps);
		break;
	case IMAP_CODE_CLOSED:
		if (s->selecting) {
			s->old_mailbox = 0;
			mailbox_reset(s);
		}
		break;
	case IMAP_CODE_UIDVALIDITY:
		if (!mailbox)
			break;
		if (!s->selecting && mb->uidvalidity != 0 && mb->uidvalidity != code->u.num) {
			ev->kind = IMAP_EV_RESYNC;
			ev->text = whyf(s, "UIDVALIDITY changed from %u to %u", mb->uidvalidity,
					code->u.num);
			mb->uidvalidity = code->u.num;
			return 1;
		}
		mb->uidvalidity = code->u.num;
		break;
	case IMAP_CODE_UIDNEXT:
		if (mailbox)
			mb->uidnext = code->u.num;
		break;
	case IMAP_CODE_UNSEEN:
		if (mailbox)
			mb->unseen = code->u.num;
		break;
	case IMAP_CODE_HIGHESTMODSEQ:
		if (mailbox) {
			mb->highestmodseq = code->u.modseq;
			mb->nomodseq = 0;
		}
		break;
	case IMAP_CODE_NOMODSEQ:
		if (mailbox) {
			mb->highestmodseq = 0;
			mb->nomodseq = 1;
		}
		break;
	case IMAP_CODE_PERMANENTFLAGS:
		if (mailbox) {
			mb->permanentflags = code->u.flags.bits;
			mb->have_permanentflags = 1;
		}
		break;
	case IMAP_CODE_READ_ONLY:
		if (mailbox)
			mb->read_only = 1;
		break;
	case IMAP_CODE_READ_WRITE:
		if (mailbox)
			mb->read_only = 0;
		break;
	default:
		break;
	}
	return 0;
}

/* Server text quoted in an error or warning: printable ASCII only, since
 * these sentences reach logs and status lines as they are. */
static const char *
printable(char *buf, size_t size, const char *text)
{
	size_t i = 0;

	for (; text[i] != '\0' && i + 1 < size; i++)
		buf[i] = (unsigned char)text[i] >= 0x20 && (unsigned char)text[i] < 0x7f ? text[i] : '?';
	buf[i] = '\0';
	return buf;
}

static struct cmd *
cmd_by_tag(struct imap_session *s, const char *tag)
{
	size_t pl = strlen(s->tag_prefix);
	uint64_t n;

	if (strncmp(tag, s->tag_prefix, pl) != 0 ||
	    imap_parse_number(tag + pl, strlen(tag + pl), UINT32_MAX, &n) < 0 ||
	    (tag[pl] == '0'))
		return NULL;
	for (struct cmd *c = s->cmds; c != NULL; c = c->next)
		if (c->tag == n && !c->completed) {
			/* A server cannot answer what it has not been sent. */
			return c->sent >= c->line_end ? c : NULL;
		}
	return NULL;
}

static int
on_tagged(struct imap_session *s, const struct imap_response *r, struct imap_event *ev,
	  struct err *err)
{
	struct cmd *c = cmd_by_tag(s, r->tag);
	int ok = r->status == IMAP_OK;
	char tag[41];

	if (c == NULL)
		return session_fail(s, err, ERR_PROTO,
				    "server sent a completion for tag \"%s\", which no command "
				    "in flight has",
				    printable(tag, sizeof(tag), r->tag));
	ev->kind = IMAP_EV_DONE;
	ev->tag = c->tag;
	ev->cmd = c->kind;
	ev->status = r->status;
	/* Capabilities in a failure are not trusted to change anything. */
	if ((r->code.kind != IMAP_CODE_CAPABILITY || ok) && apply_code(s, &r->code, ev) == 1)
		log_trace(LOG_CH_PROTO, "imap: %s", ev->text);
	ev->kind = IMAP_EV_DONE;
	ev->text = NULL;
	switch (c->kind) {
	case IMAP_CMD_STARTTLS:
		if (ok) {
			/* RFC 3501 6.2.1: capabilities from before TLS are
			 * void, and anything the server sent after its OK was
			 * plaintext injected ahead of the handshake. */
			caps_clear(s);
			s->tls_pending = 1;
		}
		break;
	case IMAP_CMD_COMPRESS:
		if (ok)
			s->compress_pending = 1;
		break;
	case IMAP_CMD_LOGIN:
	case IMAP_CMD_AUTHENTICATE:
		if (ok) {
			/* Capabilities change with authentication: keep
			 * only what the server said since. */
			if (r->code.kind != IMAP_CODE_CAPABILITY && !c->caps_seen)
				caps_clear(s);
			set_state(s, IMAP_STATE_AUTHENTICATED);
		}
		break;
	case IMAP_CMD_SELECT:
	case IMAP_CMD_EXAMINE:
		s->selecting = 0;
		s->old_mailbox = 0;
		if (ok) {
			set_state(s, IMAP_STATE_SELECTED);
		} else {
			mailbox_reset(s);
			if (s->state == IMAP_STATE_SELECTED)
				set_state(s, IMAP_STATE_AUTHENTICATED);
		}
		break;
	case IMAP_CMD_CLOSE:
	case IMAP_CMD_UNSELECT:
		if (ok) {
			mailbox_reset(s);
			set_state(s, IMAP_STATE_AUTHENTICATED);
		}
		break;
	case IMAP_CMD_LOGOUT:
		set_state(s, IMAP_STATE_LOGOUT);
		break;
	default:
		break;
	}
	/* Bytes after a synchronising literal the server refused never go
	 * out.  A non-synchronising literal under way is still sent in full,
	 * since the server reads it whatever it answered (RFC 7888 section 4);
	 * the entry stays queued, marked completed, until then. */
	if (c->sent < c->c.out.len && c->next_sync == c->c.n_syncs) {
		c->completed = 1;
		return 1;
	}
	cmd_remove(s, c);
	return 1;
}

static int
on_continue(struct imap_session *s, const struct imap_response *r, struct imap_event *ev,
	    struct err *err)
{
	for (struct cmd *c = s->cmds; c != NULL; c = c->next) {
		if (c->completed)
			continue;
		if (c->sent < c->line_end)
			break;
		/* A synchronising literal: release its bytes. */
		if (c->next_sync < c->c.n_syncs && c->sent == c->c.syncs[c->next_sync]) {
			c->next_sync++;
			return 0;
		}
		if (c->wants_plus && c->sent == c->c.out.len) {
			ev->kind = IMAP_EV_CONTINUE;
			ev->tag = c->tag;
			ev->cmd = c->kind;
			ev->text = r->text;
			ev->resp = r;
			if (c->kind == IMAP_CMD_IDLE) {
				c->plus_seen = 1;
				if (c->done_pending && !c->done_sent) {
					imap_command_raw(&c->c, "DONE");
					imap_command_crlf(&c->c);
					c->done_sent = 1;
				}
			}
			return 1;
		}
		if (c->sent < c->c.out.len)
			break;
	}
	return session_fail(s, err, ERR_PROTO,
			    "server sent a continuation request (\"+\") no command waits for");
}

static int
in_mailbox(const struct imap_session *s)
{
	return s->selecting ? !s->old_mailbox : s->state == IMAP_STATE_SELECTED;
}

static int
warn(struct imap_session *s, struct imap_event *ev, const char *text)
{
	ev->kind = IMAP_EV_WARNING;
	ev->text = text;
	log_trace(LOG_CH_PROTO, "imap: ignored: %s", text);
	return 1;
}

static int
on_untagged(struct imap_session *s, const struct imap_response *r, struct imap_event *ev,
	    struct err *err)
{
	struct imap_mailbox_state *mb = &s->mb;

	(void)err;
	if (s->selecting && s->old_mailbox) {
		/* Until the new mailbox's data starts, updates are about the
		 * mailbox being left, which nobody shows any more. */
		if (r->type == IMAP_RESP_FLAGS || r->type == IMAP_RESP_EXISTS ||
		    (r->type == IMAP_RESP_STATUS && r->code.kind == IMAP_CODE_UIDVALIDITY))
			s->old_mailbox = 0;
		else if (r->type == IMAP_RESP_EXPUNGE || r->type == IMAP_RESP_VANISHED ||
			 r->type == IMAP_RESP_FETCH || r->type == IMAP_RESP_FETCH_CHUNK ||
			 r->type == IMAP_RESP_RECENT)
			return 0;
	}
	switch (r->type) {
	case IMAP_RESP_STATUS:
		if (r->status == IMAP_BYE) {
			ev->kind = IMAP_EV_BYE;
			ev->text = r->text;
			set_state(s, IMAP_STATE_LOGOUT);
			return 1;
		}
		if (r->status == IMAP_PREAUTH)
			return warn(s, ev, "PREAUTH after the greeting");
		ev->kind = IMAP_EV_NOTICE;
		if (r->code.kind == IMAP_CODE_CAPABILITY)
			note_caps(s);
		apply_code(s, &r->code, ev);
		return 1;
	case IMAP_RESP_CAPABILITY:
		note_caps(s);
		caps_set(s, &r->u.caps);
		ev->kind = IMAP_EV_DATA;
		return 1;
	case IMAP_RESP_ENABLED:
		for (size_t i = 0; i < r->u.caps.n; i++) {
			const char *e = r->u.caps.v[i];

			if (strcasecmp(e, "CONDSTORE") == 0)
				s->enabled |= IMAP_ENABLED_CONDSTORE;
			else if (strcasecmp(e, "QRESYNC") == 0)
				s->enabled |= IMAP_ENABLED_QRESYNC | IMAP_ENABLED_CONDSTORE;
			else if (strcasecmp(e, "UTF8=ACCEPT") == 0)
				s->enabled |= IMAP_ENABLED_UTF8_ACCEPT;
			else if (strcasecmp(e, "IMAP4rev2") == 0)
				s->enabled |= IMAP_ENABLED_IMAP4REV2;
		}
		imap_parser_set_utf8(s->parser, (s->enabled & (IMAP_ENABLED_UTF8_ACCEPT |
							       IMAP_ENABLED_IMAP4REV2)) != 0);
		ev->kind = IMAP_EV_DATA;
		return 1;
	case IMAP_RESP_EXISTS:
		if (!in_mailbox(s))
			return warn(s, ev, whyf(s, "EXISTS with no mailbox selected"));
		if (!s->selecting && r->number < mb->exists) {
			ev->kind = IMAP_EV_RESYNC;
			ev->text = whyf(s,
					"server said %u messages after %u without expunging "
					"any",
					r->number, mb->exists);
			mb->exists = r->number;
			return 1;
		}
		mb->exists = r->number;
		ev->kind = IMAP_EV_EXISTS;
		ev->count = r->number;
		return 1;
	case IMAP_RESP_RECENT:
		if (in_mailbox(s))
			mb->recent = r->number;
		ev->kind = IMAP_EV_DATA;
		return 1;
	case IMAP_RESP_EXPUNGE:
		if (!in_mailbox(s))
			return warn(s, ev, whyf(s, "EXPUNGE with no mailbox selected"));
		if (r->number > mb->exists)
			return warn(s, ev,
				    whyf(s, "EXPUNGE of message %u of %u", r->number, mb->exists));
		mb->exists--;
		ev->kind = IMAP_EV_EXPUNGE;
		ev->count = r->number;
		return 1;
	case IMAP_RESP_VANISHED: {
		uint64_t n = imap_seqset_count(&r->u.vanished.uids);

		if (!in_mailbox(s))
			return warn(s, ev, whyf(s, "VANISHED with no mailbox selected"));
		if (!r->u.vanished.earlier) {
			if (n > mb->exists) {
				ev->kind = IMAP_EV_RESYNC;
				ev->text = whyf(s, "server said %llu messages vanished of %u",
						(unsigned long long)n, mb->exists);
				mb->exists = 0;
				return 1;
			}
			mb->exists -= (uint32_t)n;
		}
		ev->kind = IMAP_EV_VANISHED;
		return 1;
	}
	case IMAP_RESP_FETCH:
		if (!in_mailbox(s))
			return warn(s, ev, whyf(s, "FETCH with no mailbox selected"));
		if (r->number > mb->exists)
			return warn(s, ev, whyf(s, "FETCH for message %u of %u", r->number, mb->exists));
		ev->kind = IMAP_EV_FETCH;
		return 1;
	case IMAP_RESP_FETCH_CHUNK:
		if (!in_mailbox(s) || r->number == 0 || r->number > mb->exists) {
			/* One warning per dropped literal, not one per chunk. */
			int first = !s->stream_warned;

			s->stream_warned = !r->u.chunk.last;
			if (!first)
				return 0;
			return warn(s, ev,
				    whyf(s, "FETCH body for message %u of %u", r->number, mb->exists));
		}
		ev->kind = IMAP_EV_FETCH_CHUNK;
		return 1;
	case IMAP_RESP_MALFORMED: {
		char name[41];

		printable(name, sizeof(name), r->name);
		/* A broken message count leaves the view unreliable. */
		if ((strcasecmp(r->name, "EXISTS") == 0 || strcasecmp(r->name, "EXPUNGE") == 0 ||
		     strcasecmp(r->name, "VANISHED") == 0) &&
		    in_mailbox(s)) {
			ev->kind = IMAP_EV_RESYNC;
			ev->text = whyf(s, "malformed %s response: %s", name, r->why);
			return 1;
		}
		return warn(s, ev, whyf(s, "malformed %s response: %s", name, r->why));
	}
	default:
		ev->kind = IMAP_EV_DATA;
		return 1;
	}
}

static int
on_greeting(struct imap_session *s, const struct imap_response *r, struct imap_event *ev,
	    struct err *err)
{
	if (r->type != IMAP_RESP_STATUS || r->status == IMAP_NO || r->status == IMAP_BAD)
		return session_fail(s, err, ERR_PROTO,
				    "server did not greet with OK, PREAUTH or BYE");
	if (r->code.kind == IMAP_CODE_CAPABILITY)
		caps_set(s, &r->code.u.caps);
	switch (r->status) {
	case IMAP_BYE:
		ev->kind = IMAP_EV_BYE;
		ev->text = r->text;
		set_state(s, IMAP_STATE_LOGOUT);
		return 1;
	case IMAP_PREAUTH:
		/* Authenticated in clear: STARTTLS is no longer possible. */
		if (s->params.require_tls && !s->tls)
			return session_fail(s, err, ERR_TLS,
					    "server greeted with PREAUTH on a connection without "
					    "TLS, which is required");
		set_state(s, IMAP_STATE_AUTHENTICATED);
		break;
	default:
		set_state(s, IMAP_STATE_NOT_AUTHENTICATED);
		break;
	}
	ev->kind = IMAP_EV_GREETING;
	return 1;
}

int
imap_session_next_event(struct imap_session *s, struct imap_event *ev, struct err *err)
{
	if (s->failed) {
		if (err != NULL)
			*err = s->failure;
		return -1;
	}
	for (;;) {
		const struct imap_response *r;
		struct err perr = {0};
		int n;

		memset(ev, 0, sizeof(*ev));
		if (s->tls_pending || s->compress_pending) {
			if (s->tls_pending && imap_parser_pending(s->parser) > 0)
				return session_fail(s, err, ERR_PROTO,
						    "server sent data after its STARTTLS reply, "
						    "before the TLS handshake");
			return 0;
		}
		n = imap_parser_next(s->parser, &r, &perr);
		if (n < 0)
			return session_fail(s, err, perr.kind, "%s", perr.msg);
		if (n == 0) {
			if (!s->eof)
				return 0;
			if (s->state == IMAP_STATE_LOGOUT && !imap_parser_in_response(s->parser))
				return 0;
			if (imap_parser_in_response(s->parser) || imap_parser_pending(s->parser) > 0)
				return session_fail(s, err, ERR_CONN,
						    "server closed the connection in the middle of "
						    "a response");
			return session_fail(s, err, ERR_CONN, "server closed the connection");
		}
		ev->resp = r;
		if (s->state == IMAP_STATE_GREETING)
			return on_greeting(s, r, ev, err);
		switch (r->type) {
		case IMAP_RESP_TAGGED:
			return on_tagged(s, r, ev, err);
		case IMAP_RESP_CONTINUE:
			n = on_continue(s, r, ev, err);
			if (n != 0)
				return n;
			continue;
		case IMAP_RESP_MALFORMED:
			if (r->tag != NULL)
				return session_fail(s, err, ERR_PROTO,
						    "server sent a malformed tagged response");
			/* FALLTHROUGH */
		default:
			n = on_untagged(s, r, ev, err);
			if (n != 0)
				return n;
			continue;
		}
	}
}
