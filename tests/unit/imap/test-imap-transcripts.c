/*
 * Replays the tests/transcripts/imap transcripts against an imap_session: server bytes
 * in, client bytes and events out, compared line by line.  The file format
 * is described in tests/transcripts/README.md.  Each transcript runs twice:
 * once with every server line fed whole and output taken whole, once with
 * input fed and output consumed one byte at a time.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-err.h"
#include "base/base-file.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "imap-test-util.h"
#include "imap/imap-seqset.h"
#include "imap/imap-session.h"
#include "test-common.h"

#define TRANSCRIPT_MAX (1u << 20)

struct run {
	const char *file;
	int bytewise;
	struct imap_session *s;
	struct imap_session_params params;
	struct imap_test_fmt fmt;
	int failed;          /* the session returned -1 */
	struct str sent;     /* client output not matched by C: lines yet */
	int in_secret;
	char **events;       /* events not matched by E: lines yet */
	size_t n_events, first_event;
	int lineno;
};

/* ---- small text helpers ---- */

static void
unescape_quote(struct str *out, const char *s, int quote)
{
	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			str_append_char(out, *s);
			continue;
		}
		s++;
		switch (*s) {
		case 'r': str_append_char(out, '\r'); break;
		case 'n': str_append_char(out, '\n'); break;
		case 't': str_append_char(out, '\t'); break;
		case '0': str_append_char(out, '\0'); break;
		case 'x': {
			unsigned v = 0;

			for (int i = 0; i < 2 && s[1] != '\0'; i++) {
				char c = *++s;

				v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
			}
			str_append_char(out, (char)v);
			break;
		}
		case '\\': str_append_char(out, '\\'); break;
		case '"':
			if (quote) {
				str_append_char(out, '"');
				break;
			}
			/* FALLTHROUGH */
		default:
			/* Unknown escapes stay: IMAP flags read "\Seen". */
			str_append_char(out, '\\');
			str_append_char(out, *s);
			break;
		}
	}
}

static void
unescape(struct str *out, const char *s)
{
	unescape_quote(out, s, 0);
}

/* Glob with "*" only: every other character stands for itself. */
static int
glob_match(const char *pat, const char *s)
{
	while (*pat != '\0') {
		if (*pat == '*') {
			while (*pat == '*')
				pat++;
			if (*pat == '\0')
				return 1;
			for (; *s != '\0'; s++)
				if (glob_match(pat, s))
					return 1;
			return 0;
		}
		if (*s != *pat)
			return 0;
		pat++;
		s++;
	}
	return *s == '\0';
}

/* Splits a call line into words; "..." quotes a word (escapes decoded). */
static size_t
split_words(char *line, char **words, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p != '\0' && n < max) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (*p == '"') {
			struct str w = STR_INIT;
			char *end = ++p;

			while (*end != '\0' && *end != '"')
				end += end[0] == '\\' && end[1] != '\0' ? 2 : 1;
			if (*end == '"')
				*end++ = '\0';
			unescape_quote(&w, p, 1);
			words[n++] = str_detach(&w);
			p = end;
		} else {
			char *end = p;

			while (*end != '\0' && *end != ' ')
				end++;
			words[n++] = xstrndup(p, (size_t)(end - p));
			p = end;
		}
	}
	return n;
}

/* ---- events and output ---- */

static void
add_event(struct run *r, const char *text)
{
	r->events = xreallocarray(r->events, r->n_events + 1, sizeof(*r->events));
	r->events[r->n_events++] = xstrdup(text);
}

static void
drain_events(struct run *r)
{
	struct imap_event ev;
	struct err err;
	int rc;

	if (r->failed)
		return;
	while ((rc = imap_session_next_event(r->s, &ev, &err)) == 1) {
		struct str line = STR_INIT;

		if (imap_test_format_event(&r->fmt, &line, &ev))
			add_event(r, str_cstr(&line));
		str_free(&line);
	}
	if (rc < 0) {
		char buf[ERR_MSG_MAX + 64];

		snprintf(buf, sizeof(buf), "error %s: %s", err_kind_name(err.kind), err.msg);
		add_event(r, buf);
		r->failed = 1;
	}
}

static void
take_output(struct run *r)
{
	const char *data;
	size_t len;
	int secret;

	while (imap_session_output(r->s, &data, &len, &secret) == 1) {
		size_t n = r->bytewise ? 1 : len;

		if (secret && !r->in_secret)
			str_append(&r->sent, "<<");
		else if (!secret && r->in_secret)
			str_append(&r->sent, ">>");
		r->in_secret = secret;
		str_append_len(&r->sent, data, n);
		imap_session_consumed(r->s, n);
	}
	if (r->in_secret) {
		str_append(&r->sent, ">>");
		r->in_secret = 0;
	}
}

static void
feed(struct run *r, const char *data, size_t len)
{
	if (r->bytewise) {
		for (size_t i = 0; i < len; i++) {
			imap_session_feed(r->s, data + i, 1);
			drain_events(r);
		}
	} else {
		imap_session_feed(r->s, data, len);
		drain_events(r);
	}
}

static void
expect_no_output(struct run *r)
{
	take_output(r);
	if (r->sent.len > 0) {
		printf("# %s:%d: unexpected client output: ", r->file, r->lineno);
		fwrite(r->sent.s, 1, r->sent.len, stdout);
		printf("\n");
	}
	test_assert(r->sent.len == 0);
	str_reset(&r->sent);
}

static void
expect_no_events(struct run *r)
{
	for (size_t i = r->first_event; i < r->n_events; i++)
		printf("# %s:%d: unexpected event: %s\n", r->file, r->lineno, r->events[i]);
	test_assert(r->first_event == r->n_events);
	r->first_event = r->n_events;
}

static void
check_client_line(struct run *r, const char *want)
{
	const char *crlf;
	size_t n;

	take_output(r);
	crlf = strstr(str_cstr(&r->sent), "\r\n");
	n = crlf != NULL ? (size_t)(crlf - r->sent.s) : r->sent.len;
	{
		char *got = xstrndup(str_cstr(&r->sent), n);

		if (strcmp(got, want) != 0 || crlf == NULL)
			printf("# %s:%d: client sent \"%s\"%s\n", r->file, r->lineno, got,
			       crlf == NULL ? " without CRLF" : "");
		test_assert(crlf != NULL && strcmp(got, want) == 0);
		free(got);
	}
	str_consume(&r->sent, crlf != NULL ? n + 2 : n);
}

static void
check_event(struct run *r, const char *pat)
{
	if (r->first_event >= r->n_events) {
		printf("# %s:%d: no event, wanted: %s\n", r->file, r->lineno, pat);
		test_assert(0);
		return;
	}
	if (!glob_match(pat, r->events[r->first_event]))
		printf("# %s:%d: event: %s\n#   wanted: %s\n", r->file, r->lineno,
		       r->events[r->first_event], pat);
	test_assert(glob_match(pat, r->events[r->first_event]));
	r->first_event++;
}

/* ---- calls ---- */

static unsigned
status_bits(const char *list)
{
	static const struct {
		const char *name;
		unsigned bit;
	} items[] = {{"MESSAGES", IMAP_STATUS_MESSAGES},   {"RECENT", IMAP_STATUS_RECENT},
		     {"UIDNEXT", IMAP_STATUS_UIDNEXT},	   {"UIDVALIDITY", IMAP_STATUS_UIDVALIDITY},
		     {"UNSEEN", IMAP_STATUS_UNSEEN},	   {"DELETED", IMAP_STATUS_DELETED},
		     {"SIZE", IMAP_STATUS_SIZE},	   {"HIGHESTMODSEQ", IMAP_STATUS_HIGHESTMODSEQ}};
	unsigned bits = 0;

	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		if (strstr(list, items[i].name) != NULL)
			bits |= items[i].bit;
	return bits;
}

static void
show_state(struct run *r)
{
	const struct imap_mailbox_state *mb = imap_session_mailbox(r->s);
	struct str line = STR_INIT;

	str_appendf(&line, "state %s tls=%d caps-known=%d in-flight=%zu",
		    imap_state_name(imap_session_state(r->s)), imap_session_tls(r->s),
		    imap_session_caps_known(r->s), imap_session_in_flight(r->s));
	if (mb != NULL)
		str_appendf(&line,
			    " exists=%u recent=%u uidvalidity=%u uidnext=%u unseen=%u "
			    "highestmodseq=%llu permanentflags=%#x read-only=%d",
			    mb->exists, mb->recent, mb->uidvalidity, mb->uidnext, mb->unseen,
			    (unsigned long long)mb->highestmodseq, mb->permanentflags, mb->read_only);
	add_event(r, str_cstr(&line));
	str_free(&line);
}

static const char *
opt(char **w, size_t n, const char *name)
{
	size_t l = strlen(name);

	for (size_t i = 0; i < n; i++)
		if (strncmp(w[i], name, l) == 0 && (w[i][l] == '=' || w[i][l] == '\0'))
			return w[i][l] == '=' ? w[i] + l + 1 : "";
	return NULL;
}

static int
call(struct run *r, char **w, size_t n, struct err *err)
{
	struct imap_session *s = r->s;
	const char *c = w[0];
	uint32_t tag;

#define ARG(i) ((i) < n ? w[i] : "")
	/* "u8:NAME" stands for a UTF-8 name a user typed. */
	for (size_t i = 1; i < n; i++) {
		struct str enc = STR_INIT;

		if (strncmp(w[i], "u8:", 3) != 0)
			continue;
		if (imap_session_encode_mailbox(s, w[i] + 3, &enc, err) < 0) {
			str_free(&enc);
			return -1;
		}
		free(w[i]);
		w[i] = str_detach(&enc);
	}
	if (strcmp(c, "eof") == 0) {
		imap_session_eof(s);
		drain_events(r);
		return 0;
	}
	if (strcmp(c, "show-state") == 0) {
		show_state(r);
		return 0;
	}
	if (strcmp(c, "can-send") == 0) {
		static const char *const names[] = {
			"capability", "id",	 "starttls", "login",	"authenticate", "enable",
			"compress",   "namespace", "list",   "lsub",	"create",	"delete",
			"rename",     "subscribe", "unsubscribe", "status", "append",	"select",
			"examine",    "close",	 "unselect", "expunge", "uid-expunge",	"fetch",
			"uid-fetch",  "store",	 "uid-store", "copy",	"uid-copy",	"move",
			"uid-move",   "search",	 "uid-search", "idle",	"noop",		"logout"};
		const char *why = NULL;

		for (int k = 0; k < IMAP_CMD_COUNT; k++)
			if (strcmp(ARG(1), names[k]) == 0) {
				int ok = imap_session_can_send(s, (enum imap_cmd_kind)k, &why);
				char buf[256];

				snprintf(buf, sizeof(buf), "can-send %s: %s", names[k],
					 ok ? "yes" : why);
				add_event(r, buf);
				return 0;
			}
		return err_set(err, ERR_USAGE, "unknown command %s", ARG(1));
	}
	if (strcmp(c, "capability") == 0)
		return imap_cmd_capability(s, &tag, err);
	if (strcmp(c, "noop") == 0)
		return imap_cmd_noop(s, &tag, err);
	if (strcmp(c, "logout") == 0)
		return imap_cmd_logout(s, &tag, err);
	if (strcmp(c, "namespace") == 0)
		return imap_cmd_namespace(s, &tag, err);
	if (strcmp(c, "starttls") == 0)
		return imap_cmd_starttls(s, &tag, err);
	if (strcmp(c, "tls-started") == 0) {
		imap_session_tls_started(s);
		return 0;
	}
	if (strcmp(c, "compress") == 0)
		return imap_cmd_compress(s, &tag, err);
	if (strcmp(c, "compress-started") == 0) {
		const char *data;
		size_t len;
		struct str line = STR_INIT, copy = STR_INIT;

		imap_session_compress_started(s, &data, &len);
		str_append_len(&copy, data, len);
		str_append(&line, "leftover \"");
		imap_test_escape(&line, copy.s ? copy.s : "", copy.len);
		str_append(&line, "\"");
		add_event(r, str_cstr(&line));
		/* The identity stands in for the inflater. */
		feed(r, copy.s ? copy.s : "", copy.len);
		str_free(&line);
		str_free(&copy);
		return 0;
	}
	if (strcmp(c, "idle") == 0)
		return imap_cmd_idle(s, &tag, err);
	if (strcmp(c, "done") == 0)
		return imap_session_idle_done(s, err);
	if (strcmp(c, "login") == 0)
		return imap_cmd_login(s, ARG(1), ARG(2), &tag, err);
	if (strcmp(c, "authenticate") == 0)
		return imap_cmd_authenticate(s, ARG(1), n > 2 ? w[2] : NULL, &tag, err);
	if (strcmp(c, "auth-response") == 0)
		return imap_session_auth_response(s, ARG(1), err);
	if (strcmp(c, "enable") == 0) {
		unsigned what = 0;

		for (size_t i = 1; i < n; i++) {
			if (strcmp(w[i], "CONDSTORE") == 0)
				what |= IMAP_ENABLED_CONDSTORE;
			else if (strcmp(w[i], "QRESYNC") == 0)
				what |= IMAP_ENABLED_QRESYNC;
			else if (strcmp(w[i], "UTF8=ACCEPT") == 0)
				what |= IMAP_ENABLED_UTF8_ACCEPT;
			else if (strcmp(w[i], "IMAP4rev2") == 0)
				what |= IMAP_ENABLED_IMAP4REV2;
		}
		return imap_cmd_enable(s, what, &tag, err);
	}
	if (strcmp(c, "id") == 0) {
		const char *fields[16] = {NULL};

		for (size_t i = 1; i < n && i < 15; i++)
			fields[i - 1] = w[i];
		return imap_cmd_id(s, n > 1 ? fields : NULL, &tag, err);
	}
	if (strcmp(c, "list") == 0) {
		struct imap_list_opts o = {0};
		const char *st = opt(w, n, "status");

		o.subscribed = opt(w, n, "subscribed") != NULL;
		o.children = opt(w, n, "children") != NULL;
		o.special_use = opt(w, n, "special-use") != NULL;
		o.status = st ? status_bits(st) : 0;
		return imap_cmd_list(s, ARG(1), ARG(2), &o, &tag, err);
	}
	if (strcmp(c, "create") == 0)
		return imap_cmd_create(s, ARG(1), &tag, err);
	if (strcmp(c, "delete") == 0)
		return imap_cmd_delete(s, ARG(1), &tag, err);
	if (strcmp(c, "rename") == 0)
		return imap_cmd_rename(s, ARG(1), ARG(2), &tag, err);
	if (strcmp(c, "subscribe") == 0 || strcmp(c, "unsubscribe") == 0)
		return imap_cmd_subscribe(s, ARG(1), c[0] == 's', &tag, err);
	if (strcmp(c, "status") == 0)
		return imap_cmd_status(s, ARG(1), status_bits(ARG(2)), &tag, err);
	if (strcmp(c, "append") == 0) {
		const char *fl = opt(w, n, "flags"), *date = opt(w, n, "date");
		char *flags[8], *copy = fl ? xstrdup(fl) : NULL, *save = NULL;
		size_t nf = 0;
		int rc;

		for (char *f = copy ? strtok_r(copy, ",", &save) : NULL; f && nf < 8;
		     f = strtok_r(NULL, ",", &save))
			flags[nf++] = f;
		rc = imap_cmd_append(s, ARG(1), (const char *const *)flags, nf,
				     date ? (time_t)strtoll(date, NULL, 10) : 0, w[n - 1],
				     strlen(w[n - 1]), &tag, err);
		free(copy);
		return rc;
	}
	if (strcmp(c, "select") == 0) {
		struct imap_select_opts o = {0};
		const char *q = opt(w, n, "qresync");

		o.examine = opt(w, n, "examine") != NULL;
		o.condstore = opt(w, n, "condstore") != NULL;
		if (q != NULL) {
			char *end;

			o.qresync_uidvalidity = (uint32_t)strtoul(q, &end, 10);
			o.qresync_modseq = strtoull(end + 1, &end, 10);
			o.qresync_uids = *end == ',' ? end + 1 : NULL;
		}
		return imap_cmd_select(s, ARG(1), &o, &tag, err);
	}
	if (strcmp(c, "close") == 0 || strcmp(c, "unselect") == 0)
		return imap_cmd_close(s, c[0] == 'c', &tag, err);
	if (strcmp(c, "expunge") == 0)
		return imap_cmd_expunge(s, n > 1 ? w[1] : NULL, &tag, err);
	if (strcmp(c, "fetch") == 0 || strcmp(c, "uid-fetch") == 0) {
		const char *cs = opt(w, n, "changedsince");

		return imap_cmd_fetch(s, c[0] == 'u', ARG(1), ARG(2),
				      cs ? strtoull(cs, NULL, 10) : 0, opt(w, n, "vanished") != NULL,
				      &tag, err);
	}
	if (strcmp(c, "store") == 0 || strcmp(c, "uid-store") == 0) {
		const char *us = opt(w, n, "unchangedsince");
		enum imap_store_op op = ARG(2)[0] == '+'   ? IMAP_STORE_ADD
					: ARG(2)[0] == '-' ? IMAP_STORE_REMOVE
							   : IMAP_STORE_REPLACE;
		const char *flags[8];
		size_t nf = 0;

		for (size_t i = 3; i < n && nf < 8; i++)
			if (strchr(w[i], '=') == NULL && strcmp(w[i], "silent") != 0)
				flags[nf++] = w[i];
		return imap_cmd_store(s, c[0] == 'u', ARG(1), op, opt(w, n, "silent") != NULL,
				      flags, nf, us ? strtoull(us, NULL, 10) : 0, &tag, err);
	}
	if (strcmp(c, "copy") == 0 || strcmp(c, "uid-copy") == 0 || strcmp(c, "move") == 0 ||
	    strcmp(c, "uid-move") == 0)
		return imap_cmd_copy(s, c[0] == 'u', strstr(c, "move") != NULL, ARG(1), ARG(2), &tag,
				     err);
	if (strcmp(c, "search") == 0 || strcmp(c, "uid-search") == 0) {
		struct imap_search_key keys[16];
		const char *ret = opt(w, n, "return");
		unsigned rbits = 0;
		size_t nk = 0;

		if (ret != NULL) {
			rbits |= strstr(ret, "MIN") ? IMAP_ESEARCH_MIN : 0;
			rbits |= strstr(ret, "MAX") ? IMAP_ESEARCH_MAX : 0;
			rbits |= strstr(ret, "COUNT") ? IMAP_ESEARCH_COUNT : 0;
			rbits |= strstr(ret, "ALL") ? IMAP_ESEARCH_ALL : 0;
		}
		for (size_t i = 1; i < n && nk < 16; i++) {
			if (strncmp(w[i], "return=", 7) == 0)
				continue;
			if (w[i][0] == '=' && nk > 0) {
				keys[nk - 1].value = w[i] + 1;
				continue;
			}
			keys[nk].key = w[i];
			keys[nk].value = NULL;
			nk++;
		}
		return imap_cmd_search(s, c[0] == 'u', rbits, keys, nk, &tag, err);
	}
	if (strcmp(c, "seqset") == 0) {
		/* seqset MAX ID...: formats the ids into sets of at most MAX bytes. */
		uint32_t ids[256];
		size_t nid = 0, max = strtoul(ARG(1), NULL, 10), pos = 0;
		struct str line = STR_INIT;

		for (size_t i = 2; i < n && nid < 256; i++)
			ids[nid++] = (uint32_t)strtoul(w[i], NULL, 10);
		str_append(&line, "seqset");
		while (pos < nid) {
			str_append_char(&line, ' ');
			pos += imap_seqset_format(&line, ids + pos, nid - pos, max);
		}
		add_event(r, str_cstr(&line));
		str_free(&line);
		return 0;
	}
#undef ARG
	return err_set(err, ERR_USAGE, "unknown call %s", c);
}

/* ---- the runner ---- */

static int
parse_param(struct run *r, const char *p)
{
	struct imap_session_params *sp = &r->params;
	const char *eq = strchr(p, '=');
	unsigned long long v = eq ? strtoull(eq + 1, NULL, 10) : 0;

	if (strcmp(p, "tls") == 0)
		sp->tls = 1;
	else if (strcmp(p, "allow-plaintext") == 0)
		sp->allow_plaintext = 1;
	else if (strcmp(p, "require-tls") == 0)
		sp->require_tls = 1;
	else if (strncmp(p, "stream-min=", 11) == 0)
		sp->parser.stream_min = v;
	else if (strncmp(p, "line-max=", 9) == 0)
		sp->parser.line_max = v;
	else if (strncmp(p, "literal-max=", 12) == 0)
		sp->parser.literal_max = v;
	else if (strncmp(p, "response-max=", 13) == 0)
		sp->parser.response_max = v;
	else if (strncmp(p, "depth-max=", 10) == 0)
		sp->parser.depth_max = (unsigned)v;
	else if (strncmp(p, "items-max=", 10) == 0)
		sp->parser.list_items_max = (unsigned)v;
	else if (strncmp(p, "command-max=", 12) == 0)
		sp->command_max = v;
	else
		return -1;
	return 0;
}

static void
run_transcript(const char *path, const char *name, int bytewise)
{
	struct run r;
	char *data = NULL, *line, *save = NULL;
	size_t len;
	struct err err;
	char title[512];

	memset(&r, 0, sizeof(r));
	r.file = name;
	r.bytewise = bytewise;
	snprintf(title, sizeof(title), "%s (%s)", name, bytewise ? "byte by byte" : "whole lines");
	test_begin(title);
	if (file_read_all(path, TRANSCRIPT_MAX, &data, &len, &err) < 0) {
		printf("# %s\n", err.msg);
		test_assert(0);
		test_end();
		return;
	}
	imap_test_fmt_init(&r.fmt);
	str_init(&r.sent);
	for (line = strtok_r(data, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		struct str bytes = STR_INIT;
		const char *arg = line[0] != '\0' && line[1] != '\0' ? line + 2 : "";

		r.lineno++;
		if (*arg == ' ')
			arg++;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (line[0] == 'P' && line[1] == ':') {
			if (r.s != NULL) {
				printf("# %s:%d: P: after the session started\n", name, r.lineno);
				test_assert(0);
			}
			char *words[16];
			size_t nw = split_words((char *)arg, words, 16);

			for (size_t i = 0; i < nw; i++) {
				if (parse_param(&r, words[i]) < 0)
					printf("# %s:%d: unknown parameter %s\n", name, r.lineno,
					       words[i]);
				free(words[i]);
			}
			continue;
		}
		if (r.s == NULL)
			r.s = imap_session_new(&r.params);
		switch (line[0]) {
		case 'S':
		case 'R':
			expect_no_output(&r);
			if (line[1] == '*') {
				char *end;
				unsigned long count = strtoul(arg, &end, 10);

				unescape(&bytes, *end == ' ' ? end + 1 : end);
				for (unsigned long i = 0; i < count && !r.failed; i++)
					feed(&r, bytes.s, bytes.len);
			} else {
				unescape(&bytes, arg);
				if (line[0] == 'S')
					str_append(&bytes, "\r\n");
				feed(&r, bytes.s ? bytes.s : "", bytes.len);
			}
			break;
		case 'C':
			check_client_line(&r, arg);
			break;
		case 'E':
			check_event(&r, arg);
			break;
		case 'X': {
			char *words[64];
			size_t nw;

			expect_no_events(&r);
			nw = split_words((char *)arg, words, 64);
			if (nw > 0 && call(&r, words, nw, &err) < 0) {
				char buf[ERR_MSG_MAX + 64];

				snprintf(buf, sizeof(buf), "refused %s: %s", err_kind_name(err.kind),
					 err.msg);
				add_event(&r, buf);
			}
			for (size_t i = 0; i < nw; i++)
				free(words[i]);
			break;
		}
		default:
			printf("# %s:%d: bad line\n", name, r.lineno);
			test_assert(0);
		}
		str_free(&bytes);
	}
	r.lineno++;
	if (r.s != NULL) {
		expect_no_output(&r);
		expect_no_events(&r);
	}
	for (size_t i = 0; i < r.n_events; i++)
		free(r.events[i]);
	free(r.events);
	str_free(&r.sent);
	imap_test_fmt_free(&r.fmt);
	imap_session_free(&r.s);
	free(data);
	test_end();
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	char *dir = argc > 1 ? xstrdup(argv[1])
			     : xasprintf("%s/tests/transcripts/imap", top ? top : ".");
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL) {
		printf("# cannot open %s\n", dir);
		test_assert(0);
		free(dir);
		return test_done();
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l > 2 && strcmp(de->d_name + l - 2, ".t") == 0) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), compare_names);
	test_assert(n > 0);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);

		run_transcript(path, names[i], 0);
		run_transcript(path, names[i], 1);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	return test_done();
}
