/*
 * floor-smtp: the least an SMTP client can do to submit N small messages
 * over one connection, for comparison with petrel.  EHLO, STARTTLS (or
 * implicit TLS), EHLO again, AUTH PLAIN, then for each message MAIL,
 * RCPT and DATA; with PIPELINING (RFC 2920) offered, the end of one
 * message's data and the next message's MAIL, RCPT and DATA go in one
 * write, so each message costs one round trip.  QUIT.  Prints one line
 * of key=value pairs.
 */
#define _GNU_SOURCE
#include "floor-common.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: floor-smtp [options]\n"
    "Sends COUNT messages over one connection and prints the rate.\n"
    "%s"
    "  -n, --count N           messages (default 1000)\n"
    "  -s, --size BYTES        body size of each message (default 1000)\n"
    "  -f, --from ADDR         envelope sender and From (default: USER@petrel.test)\n"
    "  -r, --to ADDR           recipient (default bench@example.org)\n"
    "  -N, --no-pipelining     one command per round trip even if PIPELINING is offered\n"
    "  -A, --no-auth           do not authenticate (port 25 to a local user)\n";

struct smtp_caps {
	int pipelining, starttls, auth_plain;
};

/* Reads one reply (all of its lines); returns its code.  With caps,
 * notes the EHLO keywords that matter. */
static int
smtp_reply(struct floor_conn *c, struct smtp_caps *caps)
{
	for (;;) {
		size_t len;
		char *l = floor_line(c, &len);

		if (len < 5 || l[0] < '2' || l[0] > '5')
			floor_die("bad reply line: %.*s", (int)len, l);
		if (caps != NULL && len > 4) {
			const char *k = l + 4;
			size_t n = len - 4;

			if (n >= 10 && strncasecmp(k, "PIPELINING", 10) == 0)
				caps->pipelining = 1;
			else if (n >= 8 && strncasecmp(k, "STARTTLS", 8) == 0)
				caps->starttls = 1;
			else if (n >= 5 && strncasecmp(k, "AUTH ", 5) == 0 &&
				 memmem(k, n, "PLAIN", 5) != NULL)
				caps->auth_plain = 1;
		}
		if (l[3] == ' ' || l[3] == '\r' || l[3] == '\n')
			return (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
	}
}

static void
expect(struct floor_conn *c, int want, const char *what, struct smtp_caps *caps)
{
	int code = smtp_reply(c, caps);

	if (code != want)
		floor_die("%s: the server answered %d, not %d", what, code, want);
}

static void
send_str(struct floor_conn *c, const char *s)
{
	floor_write(c, s, strlen(s));
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    FLOOR_COMMON_LONGOPTS,
	    {"count", required_argument, NULL, 'n'},
	    {"size", required_argument, NULL, 's'},
	    {"from", required_argument, NULL, 'f'},
	    {"to", required_argument, NULL, 'r'},
	    {"no-pipelining", no_argument, NULL, 'N'},
	    {"no-auth", no_argument, NULL, 'A'},
	    {"help", no_argument, NULL, 'H'},
	    {NULL, 0, NULL, 0},
	};
	struct floor_opts o = {.host = "127.0.0.1"};
	struct smtp_caps caps = {0};
	struct floor_conn *c;
	long count = 1000, size = 1000, i;
	const char *to = "bench@example.org";
	char *from = NULL, *from_made = NULL, *body, *group = NULL, *msg = NULL;
	int opt, pipelining = 1, auth = 1;
	size_t glen = 0, mlen = 0;
	double t0, t_ready, t_end;
	time_t now = time(NULL);
	char date[64];

	while ((opt = getopt_long(argc, argv, FLOOR_COMMON_SHORTOPTS "n:s:f:r:NA", longopts,
				  NULL)) != -1) {
		if (floor_common_opt(&o, opt, optarg))
			continue;
		switch (opt) {
		case 'n':
			count = strtol(optarg, NULL, 10);
			break;
		case 's':
			size = strtol(optarg, NULL, 10);
			break;
		case 'f':
			from = optarg;
			break;
		case 'r':
			to = optarg;
			break;
		case 'N':
			pipelining = 0;
			break;
		case 'A':
			auth = 0;
			break;
		case 'H':
			printf(usage, floor_common_usage);
			return 0;
		default:
			fprintf(stderr, usage, floor_common_usage);
			return 2;
		}
	}
	floor_common_check(&o, auth);
	if (count < 1 || size < 0)
		floor_die("bad --count or --size");
	if (from == NULL) {
		if (asprintf(&from_made, "%s@petrel.test", o.user ? o.user : "bench") < 0)
			floor_die("out of memory");
		from = from_made;
	}
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", gmtime(&now));

	/* The body: lines of 72 letters, CRLF, none starting with a dot. */
	body = malloc((size_t)size + 80);
	if (body == NULL)
		floor_die("out of memory");
	for (i = 0; i < size; i++)
		body[i] = (i % 74 == 72) ? '\r' : (i % 74 == 73) ? '\n' : (char)('a' + i % 26);
	if (size > 0 && body[size - 1] == '\r')
		body[size - 1] = 'x';
	body[size] = '\0';

	c = malloc(sizeof(*c));
	if (c == NULL)
		floor_die("out of memory");
	t0 = floor_now();
	floor_connect(c, &o);
	expect(c, 220, "greeting", NULL);
	send_str(c, "EHLO floor.petrel.test\r\n");
	expect(c, 250, "EHLO", &caps);
	if (o.tls == FLOOR_TLS_STARTTLS) {
		if (!caps.starttls)
			floor_die("the server does not offer STARTTLS");
		send_str(c, "STARTTLS\r\n");
		expect(c, 220, "STARTTLS", NULL);
		floor_tls_start(c, &o);
		memset(&caps, 0, sizeof(caps));
		send_str(c, "EHLO floor.petrel.test\r\n");
		expect(c, 250, "EHLO", &caps);
	}
	if (auth) {
		size_t ul = strlen(o.user), pl = strlen(o.pass);
		unsigned char *raw = malloc(ul + pl + 2);
		char *b64 = malloc(4 * ((ul + pl + 4) / 3) + 1), *line;

		if (raw == NULL || b64 == NULL)
			floor_die("out of memory");
		if (!caps.auth_plain)
			floor_die("the server does not offer AUTH PLAIN");
		raw[0] = '\0';
		memcpy(raw + 1, o.user, ul);
		raw[ul + 1] = '\0';
		memcpy(raw + ul + 2, o.pass, pl);
		floor_base64(raw, ul + pl + 2, b64);
		if (asprintf(&line, "AUTH PLAIN %s\r\n", b64) < 0)
			floor_die("out of memory");
		send_str(c, line);
		expect(c, 235, "AUTH PLAIN", NULL);
		free(line);
		free(raw);
		free(b64);
	}
	pipelining = pipelining && caps.pipelining;
	if (asprintf(&group, "MAIL FROM:<%s>\r\nRCPT TO:<%s>\r\nDATA\r\n", from, to) < 0)
		floor_die("out of memory");
	glen = strlen(group);
	t_ready = floor_now();

	if (pipelining)
		floor_write(c, group, glen);
	for (i = 0; i < count; i++) {
		int n;

		if (pipelining) {
			expect(c, 250, "MAIL FROM", NULL);
			expect(c, 250, "RCPT TO", NULL);
			expect(c, 354, "DATA", NULL);
		} else {
			char *cmd = group, *next;

			/* The same three commands, one round trip each. */
			while ((next = strstr(cmd, "\r\n")) != NULL) {
				floor_write(c, cmd, (size_t)(next - cmd) + 2);
				expect(c, cmd[0] == 'D' ? 354 : 250, "command", NULL);
				cmd = next + 2;
			}
		}
		free(msg);
		n = asprintf(&msg,
			     "From: %s\r\nTo: <%s>\r\nSubject: floor message %ld\r\n"
			     "Date: %s\r\nMessage-ID: <floor.%ld.%ld@petrel.test>\r\n"
			     "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n"
			     "\r\n%s\r\n.\r\n%s",
			     from, to, i + 1, date, (long)now, i + 1, body,
			     pipelining && i + 1 < count ? group : "");
		if (n < 0)
			floor_die("out of memory");
		mlen = (size_t)n;
		floor_write(c, msg, mlen);
		expect(c, 250, "end of data", NULL);
	}
	t_end = floor_now();
	send_str(c, "QUIT\r\n");
	expect(c, 221, "QUIT", NULL);
	floor_close(c);
	printf("step=total seconds=%.6f send_seconds=%.6f messages=%ld msgs_per_s=%.1f "
	       "pipelining=%d bytes_out=%llu bytes_in=%llu\n",
	       floor_now() - t0, t_end - t_ready, count, (double)count / (t_end - t_ready),
	       pipelining, (unsigned long long)c->bytes_out, (unsigned long long)c->bytes_in);
	free(msg);
	free(group);
	free(body);
	free(from_made);
	free(c);
	return 0;
}
