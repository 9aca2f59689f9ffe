/*
 * floor-pop3: the least a POP3 client can do to download every message
 * of a maildrop, for comparison with petrel.  STLS (or implicit TLS),
 * CAPA, USER/PASS, STAT, UIDL, then RETR of every message, QUIT.  With
 * PIPELINING offered (RFC 2449), RETR commands are sent ahead in
 * batches, so the server never waits for the next one.  Messages are
 * skipped by searching for the terminating "CRLF . CRLF" and discarded,
 * or with --maildir written into a maildir as a delivering client must:
 * dot-unstuffed, CRLF made LF, written to tmp/, fsync()ed and renamed
 * into new/ (the directory is fsync()ed once at the end).  Messages stay
 * on the server (keep mode).  Prints one line of key=value pairs.
 */
#define _GNU_SOURCE
#include "floor-common.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: floor-pop3 [options]\n"
    "Downloads every message of the maildrop (keep mode) and prints the time.\n"
    "%s"
    "  -d, --maildir DIR       deliver into this maildir (made if missing), fsync()ed\n"
    "  -N, --no-pipelining     one RETR per round trip even if PIPELINING is offered\n"
    "  -U, --no-uidl           do not send UIDL\n"
    "  -W, --window N          RETR commands in flight with pipelining (default 32)\n";

/* A growing buffer for the message being delivered. */
struct msgbuf {
	char *p;
	size_t len, cap;
};

static void
msgbuf_add(struct msgbuf *m, const char *p, size_t n)
{
	if (m->len + n > m->cap) {
		m->cap = (m->len + n) * 2 + 65536;
		m->p = realloc(m->p, m->cap);
		if (m->p == NULL)
			floor_die("out of memory");
	}
	memcpy(m->p + m->len, p, n);
	m->len += n;
}

/* Reads a status line; dies unless it is +OK.  Returns the line. */
static char *
pop_ok(struct floor_conn *c, const char *what)
{
	size_t len;
	char *l = floor_line(c, &len);

	if (len < 3 || memcmp(l, "+OK", 3) != 0)
		floor_die("%s: %.*s", what, (int)len, l);
	return l;
}

/* Skips a multi-line answer's data, up to and including the line ".". */
static void
pop_skip_multiline(struct floor_conn *c)
{
	/* The data starts at a line start: it may be the terminator alone. */
	while (c->end - c->start < 3)
		floor_fill(c);
	if (memcmp(c->buf + c->start, ".\r\n", 3) == 0) {
		c->start += 3;
		return;
	}
	for (;;) {
		char *p = c->buf + c->start;
		char *hit = memmem(p, c->end - c->start, "\r\n.\r\n", 5);

		if (hit != NULL) {
			c->start += (size_t)(hit - p) + 5;
			return;
		}
		/* Keep what could be the terminator's beginning. */
		if (c->end - c->start > 4)
			c->start = c->end - 4;
		floor_fill(c);
	}
}

/* Reads a multi-line answer's data into m: dot-unstuffed, LF line ends. */
static void
pop_read_multiline(struct floor_conn *c, struct msgbuf *m)
{
	int at_start = 1;

	m->len = 0;
	for (;;) {
		char *p, *nl;
		size_t n;

		/* At a line start at least ".\r\n" is still to come. */
		while (at_start && c->end - c->start < 3)
			floor_fill(c);
		p = c->buf + c->start;
		if (at_start && p[0] == '.') {
			if (memcmp(p, ".\r\n", 3) == 0) {
				c->start += 3;
				return;
			}
			c->start++;
			p++;
		}
		at_start = 0;
		nl = memchr(p, '\n', c->end - c->start);
		if (nl == NULL) {
			/* Part of a long line; hold back a CR that may end it. */
			n = c->end - c->start;
			if (n > 0 && p[n - 1] == '\r')
				n--;
			msgbuf_add(m, p, n);
			c->start += n;
			floor_fill(c);
			continue;
		}
		n = (size_t)(nl - p);
		msgbuf_add(m, p, n > 0 && p[n - 1] == '\r' ? n - 1 : n);
		msgbuf_add(m, "\n", 1);
		c->start += n + 1;
		at_start = 1;
	}
}

static void
deliver(const char *dir, unsigned long n, const struct msgbuf *m)
{
	char tmp[4096], dst[4096];
	int fd;
	size_t off = 0;

	snprintf(tmp, sizeof(tmp), "%s/tmp/%ld.P%dQ%lu.floor", dir, (long)time(NULL), (int)getpid(),
		 n);
	snprintf(dst, sizeof(dst), "%s/new/%ld.P%dQ%lu.floor", dir, (long)time(NULL), (int)getpid(),
		 n);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		floor_die("%s: %s", tmp, strerror(errno));
	while (off < m->len) {
		ssize_t w = write(fd, m->p + off, m->len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			floor_die("%s: %s", tmp, strerror(errno));
		}
		off += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0)
		floor_die("%s: %s", tmp, strerror(errno));
	if (rename(tmp, dst) < 0)
		floor_die("%s: %s", dst, strerror(errno));
}

static void
make_maildir(const char *dir)
{
	const char *sub[] = {"", "/cur", "/new", "/tmp"};
	char path[4096];
	size_t i;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s%s", dir, sub[i]);
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			floor_die("%s: %s", path, strerror(errno));
	}
}

static void
fsync_dir(const char *dir, const char *sub)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fsync(fd) < 0)
		floor_die("%s: %s", path, strerror(errno));
	close(fd);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    FLOOR_COMMON_LONGOPTS,
	    {"maildir", required_argument, NULL, 'd'},
	    {"no-pipelining", no_argument, NULL, 'N'},
	    {"no-uidl", no_argument, NULL, 'U'},
	    {"window", required_argument, NULL, 'W'},
	    {"help", no_argument, NULL, 'H'},
	    {NULL, 0, NULL, 0},
	};
	struct floor_opts o = {.host = "127.0.0.1"};
	struct floor_conn *c;
	struct msgbuf m = {0};
	const char *maildir = NULL;
	int opt, pipelining = 1, uidl = 1, capa_pipelining = 0;
	unsigned long count = 0, sent = 0, done = 0, window = 32;
	unsigned long long octets = 0;
	char *l, *line;
	size_t len;
	double t0, t_ready, t_end;

	while ((opt = getopt_long(argc, argv, FLOOR_COMMON_SHORTOPTS "d:NUW:", longopts, NULL)) !=
	       -1) {
		if (floor_common_opt(&o, opt, optarg))
			continue;
		switch (opt) {
		case 'd':
			maildir = optarg;
			break;
		case 'N':
			pipelining = 0;
			break;
		case 'U':
			uidl = 0;
			break;
		case 'W':
			window = strtoul(optarg, NULL, 10);
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
	if (window < 1)
		window = 1;
	if (maildir != NULL)
		make_maildir(maildir);
	c = malloc(sizeof(*c));
	if (c == NULL)
		floor_die("out of memory");

	t0 = floor_now();
	floor_connect(c, &o);
	pop_ok(c, "greeting");
	if (o.tls == FLOOR_TLS_STARTTLS) {
		floor_write(c, "STLS\r\n", 6);
		pop_ok(c, "STLS");
		floor_tls_start(c, &o);
	}
	floor_write(c, "CAPA\r\n", 6);
	pop_ok(c, "CAPA");
	for (;;) {
		l = floor_line(c, &len);
		if (len == 3 && memcmp(l, ".\r\n", 3) == 0)
			break;
		if (len >= 10 && strncasecmp(l, "PIPELINING", 10) == 0)
			capa_pipelining = 1;
	}
	pipelining = pipelining && capa_pipelining;
	if (asprintf(&line, "USER %s\r\n", o.user) < 0)
		floor_die("out of memory");
	floor_write(c, line, strlen(line));
	free(line);
	pop_ok(c, "USER");
	if (asprintf(&line, "PASS %s\r\n", o.pass) < 0)
		floor_die("out of memory");
	floor_write(c, line, strlen(line));
	free(line);
	pop_ok(c, "PASS");
	floor_write(c, "STAT\r\n", 6);
	l = pop_ok(c, "STAT");
	if (sscanf(l, "+OK %lu %llu", &count, &octets) != 2)
		floor_die("cannot read STAT's answer");
	if (uidl) {
		floor_write(c, "UIDL\r\n", 6);
		pop_ok(c, "UIDL");
		pop_skip_multiline(c);
	}
	t_ready = floor_now();

	if (!pipelining)
		window = 1;
	while (done < count) {
		/* Top the pipe up to the window in one write, then read. */
		if (sent < count && sent - done <= window / 2) {
			char cmds[64 * 24];
			size_t off = 0;

			while (sent < count && sent - done < window && off + 24 < sizeof(cmds))
				off += (size_t)snprintf(cmds + off, sizeof(cmds) - off, "RETR %lu\r\n",
							++sent);
			floor_write(c, cmds, off);
		}
		pop_ok(c, "RETR");
		if (maildir != NULL) {
			pop_read_multiline(c, &m);
			deliver(maildir, done + 1, &m);
		} else {
			pop_skip_multiline(c);
		}
		done++;
	}
	if (maildir != NULL)
		fsync_dir(maildir, "new");
	t_end = floor_now();
	floor_write(c, "QUIT\r\n", 6);
	pop_ok(c, "QUIT");
	floor_close(c);
	printf("step=total seconds=%.6f retr_seconds=%.6f messages=%lu octets=%llu "
	       "pipelining=%d bytes_in=%llu delivered=%d\n",
	       floor_now() - t0, t_end - t_ready, count, octets, pipelining,
	       (unsigned long long)c->bytes_in, maildir != NULL);
	free(m.p);
	free(c);
	return 0;
}
