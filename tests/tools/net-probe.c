/*
 * net-probe: drives src/net against real servers for the integration and
 * hostile-server tests.  It speaks just enough IMAP, POP3 and SMTP by hand
 * to connect (plain, implicit TLS, STARTTLS), optionally authenticate, and
 * say goodbye; it prints one line on success and petrel's one-line error
 * on failure.  Test code: the real protocol cores live elsewhere.
 *
 * Exit status: 0 on success, 64 on a usage error, otherwise 10 plus the
 * error's kind (enum err_kind: 12 connection, 13 protocol, 14 unsupported,
 * 15 rejected, 16 authentication, 17 cancelled, 18 TLS, 19 timeout).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/base-err.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "net/net-conn.h"
#include "net/net-sasl.h"

enum proto { PROTO_IMAP, PROTO_POP3, PROTO_SMTP };

struct probe {
	enum proto proto;
	struct net_params params;
	bool starttls_required;
	bool login;        /* IMAP LOGIN / POP3 USER+PASS instead of SASL */
	bool allow_plaintext;
	bool compress;
	const char *user;
	const char *pass;
	const char *token;
	const char *mechs;
	const char *connect_to; /* address to connect to instead of host's */
	struct net_conn *conn;
	struct str caps;   /* capabilities, space-separated, from the last query */
	struct str server_mechs; /* the SASL mechanisms among them */
	const char *auth;  /* what authenticated, for the result line */
	bool logging_out;  /* a BYE is expected */
	int tag;
};

static FILE *trace_fp;

static void
trace_sink(enum log_level level, const char *line, void *ctx)
{
	(void)ctx;
	fprintf(trace_fp, "%s\n", line);
	fflush(trace_fp);
	if (level <= LOG_WARN)
		log_sink_stdio(level, line, stderr);
}

static int
fail_proto(struct probe *p, const char *what, const char *line, struct err *err)
{
	return err_set(err, ERR_PROTO, "%s: %s: %.200s", net_conn_peer(p->conn), what, line);
}

/* The text after a response's first word ("NO [AUTH] failed" -> "[AUTH] failed"). */
static const char *
after_word(const char *s)
{
	s += strcspn(s, " ");
	return *s == ' ' ? s + 1 : s;
}

static bool
has_cap(const struct probe *p, const char *cap)
{
	const char *s = str_cstr(&p->caps);
	size_t n = strlen(cap), len;

	while (*s != '\0') {
		s += strspn(s, " ");
		len = strcspn(s, " ");
		if (len == n && strncasecmp(s, cap, n) == 0)
			return true;
		s += len;
	}
	return false;
}

static int
write_line(struct probe *p, const char *line, struct err *err)
{
	struct str s = STR_INIT;
	int rc;

	str_appendf(&s, "%s\r\n", line);
	rc = net_conn_write(p->conn, s.s, s.len, err);
	str_free(&s);
	return rc;
}

static int
no_starttls(struct probe *p, struct err *err)
{
	if (!p->starttls_required) {
		log_warn("%s: the server does not offer STARTTLS: going on in plain text",
			 net_conn_peer(p->conn));
		return 0;
	}
	return err_set(err, ERR_TLS,
		       "%s: the server does not offer STARTTLS, which the account requires: "
		       "not going on in plain text",
		       net_conn_peer(p->conn));
}

static struct net_sasl *
sasl_for(struct probe *p, const char *service, const char *server_mechs, const char **mech_r,
	 struct err *err)
{
	struct net_sasl_params sp;
	struct net_sasl *sasl;

	memset(&sp, 0, sizeof(sp));
	sp.user = p->user;
	sp.password = p->pass;
	sp.token = p->token;
	sp.service = service;
	sp.host = p->params.host;
	sp.port = p->params.port;
	sp.mechs = p->mechs;
	sp.tls = net_conn_is_tls(p->conn);
	sp.allow_plaintext = p->allow_plaintext;
	sasl = net_sasl_new(&sp, err);
	if (sasl != NULL && net_sasl_choose(sasl, server_mechs, mech_r, err) < 0)
		net_sasl_free(&sasl);
	return sasl;
}

/*
 * Sends the command that starts a SASL exchange, masking the initial
 * response if there is one, and turns on masking for what follows.
 */
static int
send_auth_command(struct probe *p, const struct str *cmd, size_t public_len, struct err *err)
{
	int rc;

	if (public_len >= cmd->len)
		rc = net_conn_write(p->conn, cmd->s, cmd->len, err);
	else
		rc = net_conn_write_secret(p->conn, cmd->s, cmd->len, public_len, err);
	net_conn_set_trace_secret(p->conn, true);
	return rc;
}

/* ---- IMAP ---- */

/* Skips a literal announced at the end of line ("{12}"). */
static int
imap_skip_literal(struct probe *p, const char *line, size_t len, struct err *err)
{
	char buf[4096];
	size_t n, i;

	if (len < 3 || line[len - 1] != '}')
		return 0;
	for (i = len - 2; i > 0 && isdigit((unsigned char)line[i]); i--)
		;
	if (line[i] != '{' || i == len - 2)
		return 0;
	n = strtoul(line + i + 1, NULL, 10);
	while (n > 0) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);

		if (net_conn_read_exact(p->conn, buf, k, err) < 0)
			return -1;
		n -= k;
	}
	return 0;
}

static void
imap_set_caps(struct probe *p, const char *caps, size_t len)
{
	const char *s, *end;

	str_reset(&p->caps);
	str_reset(&p->server_mechs);
	str_append_len(&p->caps, caps, len);
	for (s = str_cstr(&p->caps); *s != '\0'; s = end) {
		s += strspn(s, " ");
		end = s + strcspn(s, " ");
		if (strncasecmp(s, "AUTH=", 5) == 0) {
			str_append_len(&p->server_mechs, s + 5, (size_t)(end - s - 5));
			str_append_char(&p->server_mechs, ' ');
		}
	}
}

/*
 * Reads responses until the tagged one; keeps CAPABILITY data in caps.
 * *ok_r says whether it was OK, *text_r points at its text (valid until
 * the next read).
 */
static int
imap_wait(struct probe *p, const char *tag, bool *ok_r, const char **text_r, struct err *err)
{
	size_t tlen = strlen(tag), len;
	const char *line, *code;

	for (;;) {
		if (net_conn_read_line(p->conn, &line, &len, err) < 0)
			return -1;
		if (strncmp(line, tag, tlen) == 0 && line[tlen] == ' ') {
			line += tlen + 1;
			*ok_r = strncasecmp(line, "OK", 2) == 0;
			if (!*ok_r && strncasecmp(line, "NO", 2) != 0 &&
			    strncasecmp(line, "BAD", 3) != 0)
				return fail_proto(p, "bad tagged response", line, err);
			*text_r = after_word(line);
			code = strstr(line, "[CAPABILITY ");
			if (code != NULL)
				imap_set_caps(p, code + 12, strcspn(code + 12, "]"));
			return 0;
		}
		if (strncasecmp(line, "* CAPABILITY ", 13) == 0) {
			imap_set_caps(p, line + 13, len - 13);
		} else if (strncasecmp(line, "* BYE", 5) == 0 && !p->logging_out) {
			return err_set(err, ERR_CONN, "%s: the server said goodbye: %.200s",
				       net_conn_peer(p->conn), line);
		} else if (line[0] != '*' && line[0] != '+') {
			return fail_proto(p, "unexpected response", line, err);
		}
		if (imap_skip_literal(p, line, len, err) < 0)
			return -1;
	}
}

static int
imap_command(struct probe *p, const char *cmd, bool *ok_r, const char **text_r, struct err *err)
{
	char tag[16], buf[512];

	snprintf(tag, sizeof(tag), "a%d", ++p->tag);
	snprintf(buf, sizeof(buf), "%s %s", tag, cmd);
	if (write_line(p, buf, err) < 0)
		return -1;
	return imap_wait(p, tag, ok_r, text_r, err);
}

static int
imap_capability(struct probe *p, struct err *err)
{
	const char *text;
	bool ok;

	if (imap_command(p, "CAPABILITY", &ok, &text, err) < 0)
		return -1;
	if (!ok)
		return fail_proto(p, "CAPABILITY failed", text, err);
	return 0;
}

static void
imap_quote(struct str *s, const char *v)
{
	str_append_char(s, '"');
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			str_append_char(s, '\\');
		str_append_char(s, *v);
	}
	str_append_char(s, '"');
}

/* Cancels an AUTHENTICATE exchange, hears the server out, reports why. */
static void
imap_sasl_cancel(struct probe *p, const char *tag, const struct err *why, struct err *err)
{
	struct err ignored;
	const char *text;
	bool ok;

	if (write_line(p, "*", &ignored) == 0)
		(void)imap_wait(p, tag, &ok, &text, &ignored);
	*err = *why;
}

static int
imap_authenticate(struct probe *p, struct err *err)
{
	struct str cmd = STR_INIT;
	struct net_sasl *sasl = NULL;
	const char *mech, *line, *chal;
	char tag[16], *resp = NULL;
	size_t len, public_len;
	int ret = -1, r;
	struct err serr;

	sasl = sasl_for(p, "imap", str_cstr(&p->server_mechs), &mech, err);
	if (sasl == NULL)
		goto out;
	snprintf(tag, sizeof(tag), "a%d", ++p->tag);
	str_appendf(&cmd, "%s AUTHENTICATE %s", tag, mech);
	r = has_cap(p, "SASL-IR") ? net_sasl_initial(sasl, &resp, err) : 0;
	if (r < 0)
		goto out;
	public_len = cmd.len + 2;
	if (r == 1) {
		public_len = cmd.len + 1;
		str_appendf(&cmd, " %s", resp[0] != '\0' ? resp : "=");
	}
	str_append(&cmd, "\r\n");
	if (send_auth_command(p, &cmd, public_len, err) < 0)
		goto out;
	for (;;) {
		if (net_conn_read_line(p->conn, &line, &len, err) < 0)
			goto out;
		if (line[0] == '+') {
			free(resp);
			resp = NULL;
			chal = line[1] == ' ' ? line + 2 : line + 1;
			if (net_sasl_step(sasl, chal, &resp, &serr) < 0) {
				imap_sasl_cancel(p, tag, &serr, err);
				goto out;
			}
			if (write_line(p, resp, err) < 0)
				goto out;
			continue;
		}
		if (strncmp(line, tag, strlen(tag)) == 0 && line[strlen(tag)] == ' ') {
			const char *st = line + strlen(tag) + 1;

			net_conn_set_trace_secret(p->conn, false);
			if (strncasecmp(st, "OK", 2) != 0) {
				net_sasl_err_rejected(sasl, after_word(st), err);
				goto out;
			}
			if (net_sasl_finish(sasl, NULL, err) < 0)
				goto out;
			break;
		}
		if (line[0] != '*') {
			fail_proto(p, "unexpected response during AUTHENTICATE", line, err);
			goto out;
		}
	}
	p->auth = mech;
	ret = 0;
out:
	net_conn_set_trace_secret(p->conn, false);
	free(resp);
	net_sasl_free(&sasl);
	str_free(&cmd);
	return ret;
}

static int
imap_login(struct probe *p, struct err *err)
{
	struct str cmd = STR_INIT;
	const char *line, *st;
	char tag[16];
	size_t len, public_len;
	int ret = -1;

	if (has_cap(p, "LOGINDISABLED"))
		return err_set(err, ERR_UNSUPPORTED,
			       "%s: the server refuses LOGIN here (LOGINDISABLED): it wants TLS "
			       "first",
			       net_conn_peer(p->conn));
	snprintf(tag, sizeof(tag), "a%d", ++p->tag);
	str_appendf(&cmd, "%s LOGIN ", tag);
	imap_quote(&cmd, p->user);
	str_append_char(&cmd, ' ');
	public_len = cmd.len;
	imap_quote(&cmd, p->pass != NULL ? p->pass : "");
	str_append(&cmd, "\r\n");
	if (net_conn_write_secret(p->conn, cmd.s, cmd.len, public_len, err) < 0)
		goto out;
	for (;;) {
		if (net_conn_read_line(p->conn, &line, &len, err) < 0)
			goto out;
		if (strncmp(line, tag, strlen(tag)) != 0 || line[strlen(tag)] != ' ')
			continue;
		st = line + strlen(tag) + 1;
		if (strncasecmp(st, "OK", 2) != 0) {
			err_set(err, ERR_AUTH, "%s: authentication as %s failed (LOGIN): %.200s",
				net_conn_peer(p->conn), p->user, after_word(st));
			goto out;
		}
		break;
	}
	p->auth = "LOGIN";
	ret = 0;
out:
	str_free(&cmd);
	return ret;
}

static int
run_imap(struct probe *p, struct err *err)
{
	const char *line, *text;
	size_t len;
	bool ok;

	if (net_conn_read_line(p->conn, &line, &len, err) < 0)
		return -1;
	if (strncasecmp(line, "* OK", 4) != 0 && strncasecmp(line, "* PREAUTH", 9) != 0)
		return fail_proto(p, "unexpected greeting", line, err);
	if (imap_capability(p, err) < 0)
		return -1;
	if (p->params.tls == NET_TLS_STARTTLS) {
		if (has_cap(p, "STARTTLS")) {
			if (imap_command(p, "STARTTLS", &ok, &text, err) < 0)
				return -1;
			if (!ok)
				return err_set(err, ERR_TLS, "%s: STARTTLS refused: %.200s",
					       net_conn_peer(p->conn), text);
			if (net_conn_starttls(p->conn, err) < 0 || imap_capability(p, err) < 0)
				return -1;
		} else if (no_starttls(p, err) < 0) {
			return -1;
		}
	}
	if (p->user != NULL) {
		if ((p->login ? imap_login(p, err) : imap_authenticate(p, err)) < 0)
			return -1;
	}
	if (p->compress) {
		if (!has_cap(p, "COMPRESS=DEFLATE") && imap_capability(p, err) < 0)
			return -1;
		if (!has_cap(p, "COMPRESS=DEFLATE"))
			return err_set(err, ERR_UNSUPPORTED, "%s: no COMPRESS=DEFLATE",
				       net_conn_peer(p->conn));
		if (imap_command(p, "COMPRESS DEFLATE", &ok, &text, err) < 0)
			return -1;
		if (!ok)
			return fail_proto(p, "COMPRESS refused", text, err);
		if (net_conn_compress(p->conn, err) < 0)
			return -1;
		if (imap_command(p, "NOOP", &ok, &text, err) < 0)
			return -1;
		if (p->user != NULL && imap_command(p, "SELECT INBOX", &ok, &text, err) < 0)
			return -1;
	}
	p->logging_out = true;
	return imap_command(p, "LOGOUT", &ok, &text, err);
}

/* ---- POP3 ---- */

static int
pop3_status(struct probe *p, bool *ok_r, const char **text_r, struct err *err)
{
	const char *line;
	size_t len;

	if (net_conn_read_line(p->conn, &line, &len, err) < 0)
		return -1;
	if (strncmp(line, "+OK", 3) == 0)
		*ok_r = true;
	else if (strncmp(line, "-ERR", 4) == 0)
		*ok_r = false;
	else
		return fail_proto(p, "unexpected response", line, err);
	*text_r = line + (*ok_r ? 3 : 4) + (line[*ok_r ? 3 : 4] == ' ');
	return 0;
}

static int
pop3_capa(struct probe *p, struct err *err)
{
	const char *line, *text;
	size_t len;
	bool ok;

	str_reset(&p->caps);
	str_reset(&p->server_mechs);
	if (write_line(p, "CAPA", err) < 0 || pop3_status(p, &ok, &text, err) < 0)
		return -1;
	if (!ok)
		return 0;
	for (;;) {
		if (net_conn_read_line(p->conn, &line, &len, err) < 0)
			return -1;
		if (strcmp(line, ".") == 0)
			return 0;
		if (strncasecmp(line, "SASL ", 5) == 0)
			str_append(&p->server_mechs, line + 5);
		if (p->caps.len > 0)
			str_append_char(&p->caps, ' ');
		str_append(&p->caps, line[0] == '.' ? line + 1 : line);
	}
}

static int
pop3_auth(struct probe *p, struct err *err)
{
	struct str cmd = STR_INIT;
	struct net_sasl *sasl = NULL;
	const char *mech, *line, *chal;
	char *resp = NULL;
	size_t len, public_len;
	int ret = -1, r;
	struct err serr;

	sasl = sasl_for(p, "pop", str_cstr(&p->server_mechs), &mech, err);
	if (sasl == NULL)
		goto out;
	str_appendf(&cmd, "AUTH %s", mech);
	r = net_sasl_initial(sasl, &resp, err);
	if (r < 0)
		goto out;
	public_len = cmd.len + 2;
	if (r == 1) {
		public_len = cmd.len + 1;
		str_appendf(&cmd, " %s", resp[0] != '\0' ? resp : "=");
	}
	str_append(&cmd, "\r\n");
	if (send_auth_command(p, &cmd, public_len, err) < 0)
		goto out;
	for (;;) {
		if (net_conn_read_line(p->conn, &line, &len, err) < 0)
			goto out;
		if (line[0] == '+' && line[1] != 'O') {
			free(resp);
			resp = NULL;
			chal = line[1] == ' ' ? line + 2 : line + 1;
			if (net_sasl_step(sasl, chal, &resp, &serr) < 0) {
				if (write_line(p, "*", err) < 0)
					goto out;
				(void)net_conn_read_line(p->conn, &line, &len, err);
				*err = serr;
				goto out;
			}
			if (write_line(p, resp, err) < 0)
				goto out;
			continue;
		}
		net_conn_set_trace_secret(p->conn, false);
		if (strncmp(line, "+OK", 3) == 0) {
			if (net_sasl_finish(sasl, NULL, err) < 0)
				goto out;
			break;
		}
		if (strncmp(line, "-ERR", 4) == 0) {
			net_sasl_err_rejected(sasl, line[4] == ' ' ? line + 5 : line + 4, err);
			goto out;
		}
		fail_proto(p, "unexpected response during AUTH", line, err);
		goto out;
	}
	p->auth = mech;
	ret = 0;
out:
	net_conn_set_trace_secret(p->conn, false);
	free(resp);
	net_sasl_free(&sasl);
	str_free(&cmd);
	return ret;
}

static int
pop3_user_pass(struct probe *p, struct err *err)
{
	struct str cmd = STR_INIT;
	const char *text;
	bool ok;
	int ret = -1;

	str_appendf(&cmd, "USER %s", p->user);
	if (write_line(p, cmd.s, err) < 0 || pop3_status(p, &ok, &text, err) < 0)
		goto out;
	if (ok) {
		str_reset(&cmd);
		str_appendf(&cmd, "PASS %s\r\n", p->pass != NULL ? p->pass : "");
		if (net_conn_write_secret(p->conn, cmd.s, cmd.len, 5, err) < 0 ||
		    pop3_status(p, &ok, &text, err) < 0)
			goto out;
	}
	if (!ok) {
		err_set(err, ERR_AUTH, "%s: authentication as %s failed (USER/PASS): %.200s",
			net_conn_peer(p->conn), p->user, text);
		goto out;
	}
	p->auth = "USER";
	ret = 0;
out:
	str_free(&cmd);
	return ret;
}

static int
run_pop3(struct probe *p, struct err *err)
{
	const char *text;
	bool ok;

	if (pop3_status(p, &ok, &text, err) < 0)
		return -1;
	if (!ok)
		return err_set(err, ERR_REJECTED, "%s: the server refused the connection: %.200s",
			       net_conn_peer(p->conn), text);
	if (pop3_capa(p, err) < 0)
		return -1;
	if (p->params.tls == NET_TLS_STARTTLS) {
		if (has_cap(p, "STLS")) {
			if (write_line(p, "STLS", err) < 0 || pop3_status(p, &ok, &text, err) < 0)
				return -1;
			if (!ok)
				return err_set(err, ERR_TLS, "%s: STLS refused: %.200s",
					       net_conn_peer(p->conn), text);
			if (net_conn_starttls(p->conn, err) < 0 || pop3_capa(p, err) < 0)
				return -1;
		} else if (no_starttls(p, err) < 0) {
			return -1;
		}
	}
	if (p->user != NULL && (p->login ? pop3_user_pass(p, err) : pop3_auth(p, err)) < 0)
		return -1;
	if (write_line(p, "QUIT", err) < 0 || pop3_status(p, &ok, &text, err) < 0)
		return -1;
	return 0;
}

/* ---- SMTP ---- */

/* Reads a reply; with caps, keeps the EHLO keywords. */
static int
smtp_reply(struct probe *p, int *code_r, struct str *text, bool caps, struct err *err)
{
	const char *line;
	size_t len;
	bool first = true;

	str_reset(text);
	if (caps) {
		str_reset(&p->caps);
		str_reset(&p->server_mechs);
	}
	for (;;) {
		if (net_conn_read_line(p->conn, &line, &len, err) < 0)
			return -1;
		if (len < 3 || !isdigit((unsigned char)line[0]) ||
		    !isdigit((unsigned char)line[1]) || !isdigit((unsigned char)line[2]) ||
		    (len > 3 && line[3] != ' ' && line[3] != '-'))
			return fail_proto(p, "malformed reply", line, err);
		*code_r = atoi(line);
		if (text->len > 0)
			str_append_char(text, ' ');
		str_append(text, len > 4 ? line + 4 : "");
		if (caps && !first) {
			if (p->caps.len > 0)
				str_append_char(&p->caps, ' ');
			str_append(&p->caps, len > 4 ? line + 4 : "");
			/* "AUTH PLAIN LOGIN", or the old "AUTH=PLAIN LOGIN". */
			if (len > 9 && strncasecmp(line + 4, "AUTH", 4) == 0 &&
			    (line[8] == ' ' || line[8] == '=')) {
				str_append(&p->server_mechs, line + 9);
				str_append_char(&p->server_mechs, ' ');
			}
		}
		first = false;
		if (len == 3 || line[3] == ' ')
			return 0;
	}
}

static int
smtp_ehlo(struct probe *p, struct str *text, struct err *err)
{
	int code;

	if (write_line(p, "EHLO net-probe.invalid", err) < 0 ||
	    smtp_reply(p, &code, text, true, err) < 0)
		return -1;
	if (code != 250)
		return err_set(err, ERR_REJECTED, "%s: EHLO refused: %d %.200s",
			       net_conn_peer(p->conn), code, text->s);
	return 0;
}

static int
smtp_auth(struct probe *p, struct err *err)
{
	struct str cmd = STR_INIT, text = STR_INIT;
	struct net_sasl *sasl = NULL;
	const char *mech, *line;
	char *resp = NULL;
	size_t len, public_len;
	int ret = -1, r, code;
	struct err serr;

	sasl = sasl_for(p, "smtp", str_cstr(&p->server_mechs), &mech, err);
	if (sasl == NULL)
		goto out;
	str_appendf(&cmd, "AUTH %s", mech);
	r = net_sasl_initial(sasl, &resp, err);
	if (r < 0)
		goto out;
	public_len = cmd.len + 2;
	if (r == 1) {
		public_len = cmd.len + 1;
		str_appendf(&cmd, " %s", resp[0] != '\0' ? resp : "=");
	}
	str_append(&cmd, "\r\n");
	if (send_auth_command(p, &cmd, public_len, err) < 0)
		goto out;
	for (;;) {
		if (net_conn_read_line(p->conn, &line, &len, err) < 0)
			goto out;
		if (strncmp(line, "334", 3) == 0 && (len == 3 || line[3] == ' ')) {
			free(resp);
			resp = NULL;
			if (net_sasl_step(sasl, len > 4 ? line + 4 : "", &resp, &serr) < 0) {
				if (write_line(p, "*", err) < 0)
					goto out;
				(void)smtp_reply(p, &code, &text, false, err);
				*err = serr;
				goto out;
			}
			if (write_line(p, resp, err) < 0)
				goto out;
			continue;
		}
		net_conn_set_trace_secret(p->conn, false);
		code = atoi(line);
		if (code == 235) {
			if (net_sasl_finish(sasl, NULL, err) < 0)
				goto out;
			break;
		}
		net_sasl_err_rejected(sasl, line, err);
		goto out;
	}
	p->auth = mech;
	ret = 0;
out:
	net_conn_set_trace_secret(p->conn, false);
	free(resp);
	net_sasl_free(&sasl);
	str_free(&cmd);
	str_free(&text);
	return ret;
}

static int
run_smtp(struct probe *p, struct err *err)
{
	struct str text = STR_INIT;
	int code, ret = -1;

	if (smtp_reply(p, &code, &text, false, err) < 0)
		goto out;
	if (code != 220) {
		err_set(err, ERR_REJECTED, "%s: the server refused the connection: %d %.200s",
			net_conn_peer(p->conn), code, text.s);
		goto out;
	}
	if (smtp_ehlo(p, &text, err) < 0)
		goto out;
	if (p->params.tls == NET_TLS_STARTTLS) {
		if (has_cap(p, "STARTTLS")) {
			if (write_line(p, "STARTTLS", err) < 0 ||
			    smtp_reply(p, &code, &text, false, err) < 0)
				goto out;
			if (code != 220) {
				err_set(err, ERR_TLS, "%s: STARTTLS refused: %d %.200s",
					net_conn_peer(p->conn), code, text.s);
				goto out;
			}
			if (net_conn_starttls(p->conn, err) < 0 || smtp_ehlo(p, &text, err) < 0)
				goto out;
		} else if (no_starttls(p, err) < 0) {
			goto out;
		}
	}
	if (p->user != NULL && smtp_auth(p, err) < 0)
		goto out;
	if (write_line(p, "QUIT", err) < 0 || smtp_reply(p, &code, &text, false, err) < 0)
		goto out;
	ret = 0;
out:
	str_free(&text);
	return ret;
}

/*
 * Connects to --connect-to's address and lets net verify the certificate
 * against --host: a way to offer a wrong host name to a real server.
 */
static int
open_connect_to(struct probe *p, struct err *err)
{
	struct addrinfo hints, *res;
	int fd, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	rc = getaddrinfo(p->connect_to, p->params.port, &hints, &res);
	if (rc != 0)
		return err_set(err, ERR_USAGE, "--connect-to %s: %s", p->connect_to,
			       gai_strerror(rc));
	fd = socket(res->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) < 0) {
		rc = errno;
		freeaddrinfo(res);
		if (fd >= 0)
			close(fd);
		return err_sys(err, ERR_CONN, rc, "--connect-to %s", p->connect_to);
	}
	freeaddrinfo(res);
	return net_conn_open_fd(&p->params, fd, &p->conn, err);
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: net-probe --proto imap|pop3|smtp --host HOST --port PORT\n"
		"         [--tls none|implicit|starttls] [--starttls-required]\n"
		"         [--ca FILE] [--no-verify] [--user USER] [--pass PASSWORD]\n"
		"         [--token TOKEN] [--mech LIST] [--login] [--allow-plaintext]\n"
		"         [--compress] [--trace FILE] [--timeout MS] [--connect-timeout MS]\n"
		"         [--line-max BYTES] [--connect-to ADDRESS]\n");
	exit(64);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"proto", required_argument, NULL, 'P'},
		{"host", required_argument, NULL, 'h'},
		{"port", required_argument, NULL, 'p'},
		{"tls", required_argument, NULL, 't'},
		{"starttls-required", no_argument, NULL, 'R'},
		{"ca", required_argument, NULL, 'c'},
		{"no-verify", no_argument, NULL, 'k'},
		{"user", required_argument, NULL, 'u'},
		{"pass", required_argument, NULL, 'w'},
		{"token", required_argument, NULL, 'T'},
		{"mech", required_argument, NULL, 'm'},
		{"login", no_argument, NULL, 'l'},
		{"allow-plaintext", no_argument, NULL, 'A'},
		{"compress", no_argument, NULL, 'z'},
		{"trace", required_argument, NULL, 'd'},
		{"timeout", required_argument, NULL, 'o'},
		{"connect-timeout", required_argument, NULL, 'C'},
		{"line-max", required_argument, NULL, 'L'},
		{"connect-to", required_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	struct probe p;
	struct err err;
	const char *proto = NULL, *trace = NULL;
	int c, rc;

	signal(SIGPIPE, SIG_IGN);
	memset(&p, 0, sizeof(p));
	net_params_init(&p.params);
	str_init(&p.caps);
	str_init(&p.server_mechs);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			proto = optarg;
			break;
		case 'h':
			p.params.host = optarg;
			break;
		case 'p':
			p.params.port = optarg;
			break;
		case 't':
			if (strcmp(optarg, "none") == 0)
				p.params.tls = NET_TLS_NONE;
			else if (strcmp(optarg, "implicit") == 0)
				p.params.tls = NET_TLS_IMPLICIT;
			else if (strcmp(optarg, "starttls") == 0)
				p.params.tls = NET_TLS_STARTTLS;
			else
				usage();
			break;
		case 'R':
			p.starttls_required = true;
			break;
		case 'c':
			p.params.tls_ca_file = optarg;
			break;
		case 'k':
			p.params.tls_no_verify = true;
			break;
		case 'u':
			p.user = optarg;
			break;
		case 'w':
			p.pass = optarg;
			break;
		case 'T':
			p.token = optarg;
			break;
		case 'm':
			p.mechs = optarg;
			break;
		case 'l':
			p.login = true;
			break;
		case 'A':
			p.allow_plaintext = true;
			break;
		case 'z':
			p.compress = true;
			break;
		case 'd':
			trace = optarg;
			break;
		case 'o':
			p.params.io_timeout_ms = atoi(optarg);
			break;
		case 'C':
			p.params.connect_timeout_ms = atoi(optarg);
			break;
		case 'L':
			p.params.line_max = strtoul(optarg, NULL, 10);
			break;
		case 'a':
			p.connect_to = optarg;
			break;
		default:
			usage();
		}
	}
	if (proto == NULL || p.params.host == NULL || p.params.port == NULL || optind != argc)
		usage();
	if (strcmp(proto, "imap") == 0)
		p.proto = PROTO_IMAP;
	else if (strcmp(proto, "pop3") == 0)
		p.proto = PROTO_POP3;
	else if (strcmp(proto, "smtp") == 0)
		p.proto = PROTO_SMTP;
	else
		usage();
	if (p.starttls_required && p.params.tls != NET_TLS_STARTTLS)
		usage();

	if (trace != NULL) {
		trace_fp = fopen(trace, "w");
		if (trace_fp == NULL) {
			perror(trace);
			return 64;
		}
		log_set_sink(trace_sink, NULL);
		log_set_level(LOG_DEBUG);
		log_enable_channels(LOG_CH_NET | LOG_CH_PROTO);
	} else {
		log_set_sink(log_sink_stdio, stderr);
	}

	if (p.connect_to != NULL)
		rc = open_connect_to(&p, &err);
	else
		rc = net_conn_open(&p.params, &p.conn, &err);
	if (rc == 0) {
		switch (p.proto) {
		case PROTO_IMAP:
			rc = run_imap(&p, &err);
			break;
		case PROTO_POP3:
			rc = run_pop3(&p, &err);
			break;
		case PROTO_SMTP:
			rc = run_smtp(&p, &err);
			break;
		}
	}
	if (rc == 0) {
		printf("ok %s %s tls=%s auth=%s compress=%s caps=%s\n", proto,
		       net_conn_peer(p.conn),
		       net_conn_is_tls(p.conn) ? net_conn_tls_version(p.conn) : "none",
		       p.auth != NULL ? p.auth : "none",
		       net_conn_is_compressed(p.conn) ? "yes" : "no", str_cstr(&p.caps));
	} else {
		fprintf(stderr, "petrel: %s\n", err.msg);
	}
	net_conn_free(&p.conn);
	str_free(&p.caps);
	str_free(&p.server_mechs);
	log_set_sink(NULL, NULL);
	if (trace_fp != NULL)
		fclose(trace_fp);
	return rc == 0 ? 0 : 10 + (int)err.kind;
}
