/*
 * floor-imap: the least an IMAP client can do to run a command against a
 * mailbox, for comparison with petrel.  Connects (TLS, STARTTLS or
 * plain), LOGIN, optionally ENABLE, SELECT, sends each COMMAND given and
 * reads its answer as fast as it can, counting bytes and untagged
 * responses and skipping literals without looking at them, until the
 * tagged reply; then LOGOUT.  Prints one line of key=value pairs per
 * command and one for the whole session.
 *
 *   floor-imap [options] COMMAND...
 *   floor-imap -p 993 -T -C ca.pem -u alice -w secret \
 *       'UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)'
 */
#define _GNU_SOURCE
#include "floor-common.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: floor-imap [options] COMMAND...\n"
    "Logs in, selects a mailbox, runs each COMMAND (an IMAP command without\n"
    "its tag), discarding the answers, and logs out.  Prints, per command,\n"
    "its time, the bytes received and the untagged responses.\n"
    "%s"
    "  -m, --select ARGS       what follows SELECT (default: INBOX), e.g.\n"
    "                          'INBOX (QRESYNC (1234 5678))'\n"
    "  -e, --enable CAPS       send ENABLE CAPS after logging in (e.g. QRESYNC)\n"
    "  -x, --examine           EXAMINE instead of SELECT\n";

struct imap_stats {
	uint64_t untagged;
	uint64_t bytes;
	double seconds;
	char status[16];
};

/* Whether the line p[0..len) (ending in LF) ends with a literal's
 * announcement "{N}\r\n"; its size goes to *n_r. */
static int
literal_at_end(const char *p, size_t len, uint64_t *n_r)
{
	size_t i;
	uint64_t n = 0, mul = 1;

	if (len < 5 || p[len - 2] != '\r' || p[len - 3] != '}')
		return 0;
	i = len - 4;
	if (p[i] == '+')
		i--;
	while (i > 0 && p[i] >= '0' && p[i] <= '9') {
		n += (uint64_t)(p[i] - '0') * mul;
		mul *= 10;
		i--;
	}
	if (p[i] != '{' || mul == 1)
		return 0;
	*n_r = n;
	return 1;
}

/*
 * Reads responses until the tagged one for tag.  Only three things are
 * looked at: how a response starts (untagged "*" or our tag), whether a
 * line ends with a literal's size (then those bytes are skipped, and the
 * response goes on after them), and the status word of the tagged reply.
 */
static void
imap_wait(struct floor_conn *c, const char *tag, struct imap_stats *st)
{
	size_t taglen = strlen(tag);
	uint64_t before = c->bytes_in - (c->end - c->start);
	int at_start = 1, tagged = 0;

	st->untagged = 0;
	for (;;) {
		char *p, *nl;
		size_t len;
		uint64_t lit;

		if (at_start) {
			while (c->end - c->start < taglen + 1 &&
			       memchr(c->buf + c->start, '\n', c->end - c->start) == NULL)
				floor_fill(c);
			p = c->buf + c->start;
			if (p[0] == '*')
				st->untagged++;
			else if (memcmp(p, tag, taglen) == 0 && p[taglen] == ' ')
				tagged = 1;
			at_start = 0;
		}
		p = c->buf + c->start;
		nl = memchr(p, '\n', c->end - c->start);
		if (nl == NULL) {
			/* A long line: keep only its end, where a literal's
			 * announcement may begin.  A tagged reply is short
			 * and kept whole for its status. */
			if (!tagged && c->end - c->start > 32)
				c->start = c->end - 32;
			floor_fill(c);
			continue;
		}
		len = (size_t)(nl - p) + 1;
		if (literal_at_end(p, len, &lit)) {
			c->start += len;
			floor_skip(c, lit);
			continue;
		}
		if (tagged) {
			size_t k = 0;
			const char *s = p + taglen + 1;

			while (k + 1 < sizeof(st->status) && s < nl && *s != ' ' && *s != '\r')
				st->status[k++] = *s++;
			st->status[k] = '\0';
			if (strcmp(st->status, "OK") != 0) {
				fprintf(stderr, "floor-imap: %.*s\n", (int)(nl - p), p);
				floor_die("%s failed", tag);
			}
			c->start += len;
			st->bytes = c->bytes_in - (c->end - c->start) - before;
			return;
		}
		c->start += len;
		at_start = 1;
	}
}

/* Sends "TAG TEXT\r\n", reads the answer, times both. */
static void
imap_cmd(struct floor_conn *c, unsigned *seq, const char *text, struct imap_stats *st)
{
	char tag[16];
	char *line;
	int n;
	double t0 = floor_now();

	snprintf(tag, sizeof(tag), "F%u", ++*seq);
	n = asprintf(&line, "%s %s\r\n", tag, text);
	if (n < 0)
		floor_die("out of memory");
	floor_write(c, line, (size_t)n);
	free(line);
	imap_wait(c, tag, st);
	st->seconds = floor_now() - t0;
}

/* text as an IMAP quoted string. */
static char *
quoted(const char *text)
{
	char *out = malloc(strlen(text) * 2 + 3), *q = out;

	if (out == NULL)
		floor_die("out of memory");
	*q++ = '"';
	for (; *text; text++) {
		if (*text == '"' || *text == '\\')
			*q++ = '\\';
		*q++ = *text;
	}
	*q++ = '"';
	*q = '\0';
	return out;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    FLOOR_COMMON_LONGOPTS,
	    {"select", required_argument, NULL, 'm'},
	    {"enable", required_argument, NULL, 'e'},
	    {"examine", no_argument, NULL, 'x'},
	    {"help", no_argument, NULL, 'H'},
	    {NULL, 0, NULL, 0},
	};
	struct floor_opts o = {.host = "127.0.0.1"};
	struct floor_conn *c;
	struct imap_stats st;
	const char *select_args = "INBOX", *enable = NULL;
	int opt, examine = 0, i;
	unsigned seq = 0;
	char *line, *u, *w;
	size_t len;
	double t0, t_login, t_select;

	while ((opt = getopt_long(argc, argv, FLOOR_COMMON_SHORTOPTS "m:e:x", longopts, NULL)) !=
	       -1) {
		if (floor_common_opt(&o, opt, optarg))
			continue;
		switch (opt) {
		case 'm':
			select_args = optarg;
			break;
		case 'e':
			enable = optarg;
			break;
		case 'x':
			examine = 1;
			break;
		case 'H':
			printf(usage, floor_common_usage);
			return 0;
		default:
			fprintf(stderr, usage, floor_common_usage);
			return 2;
		}
	}
	floor_common_check(&o, 1);
	c = malloc(sizeof(*c));
	if (c == NULL)
		floor_die("out of memory");

	t0 = floor_now();
	floor_connect(c, &o);
	line = floor_line(c, &len);
	if (len < 4 || memcmp(line, "* OK", 4) != 0)
		floor_die("unexpected greeting: %.*s", (int)len, line);
	if (o.tls == FLOOR_TLS_STARTTLS) {
		imap_cmd(c, &seq, "STARTTLS", &st);
		floor_tls_start(c, &o);
	}
	u = quoted(o.user);
	w = quoted(o.pass);
	if (asprintf(&line, "LOGIN %s %s", u, w) < 0)
		floor_die("out of memory");
	imap_cmd(c, &seq, line, &st);
	free(line);
	free(u);
	free(w);
	if (enable != NULL) {
		if (asprintf(&line, "ENABLE %s", enable) < 0)
			floor_die("out of memory");
		imap_cmd(c, &seq, line, &st);
		free(line);
	}
	t_login = floor_now();
	if (asprintf(&line, "%s %s", examine ? "EXAMINE" : "SELECT", select_args) < 0)
		floor_die("out of memory");
	imap_cmd(c, &seq, line, &st);
	free(line);
	t_select = floor_now();
	printf("step=select seconds=%.6f bytes=%llu responses=%llu\n", t_select - t_login,
	       (unsigned long long)st.bytes, (unsigned long long)st.untagged);

	for (i = optind; i < argc; i++) {
		imap_cmd(c, &seq, argv[i], &st);
		printf("step=command seconds=%.6f bytes=%llu responses=%llu command=%s\n",
		       st.seconds, (unsigned long long)st.bytes, (unsigned long long)st.untagged,
		       argv[i]);
	}
	imap_cmd(c, &seq, "LOGOUT", &st);
	floor_close(c);
	printf("step=total seconds=%.6f login_seconds=%.6f bytes_in=%llu bytes_out=%llu\n",
	       floor_now() - t0, t_login - t0, (unsigned long long)c->bytes_in,
	       (unsigned long long)c->bytes_out);
	free(c);
	return 0;
}
