#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "net-test-util.h"
#include "net/net-conn.h"
#include "net/net-internal.h"
#include "test-common.h"

/* The peer's side, with zlib directly: raw DEFLATE as RFC 4978 says. */
static size_t
deflate_sync(z_stream *z, const void *in, size_t len, unsigned char *out, size_t cap)
{
	z->next_in = (Bytef *)(uintptr_t)in;
	z->avail_in = (uInt)len;
	z->next_out = out;
	z->avail_out = (uInt)cap;
	if (deflate(z, Z_SYNC_FLUSH) != Z_OK || z->avail_in != 0 || z->avail_out == 0)
		abort();
	return cap - z->avail_out;
}

static void
test_against_zlib(void)
{
	static const char later[] = "* 1 EXISTS\r\n* 2 EXISTS\r\n";
	struct net_params params;
	struct net_conn *conn;
	z_stream zd, zi;
	unsigned char wire[4096], plain[4096];
	const char *line;
	struct err err;
	size_t n, len;
	ssize_t r;
	int peer;

	test_begin("COMPRESS against zlib: raw deflate, sync flush per write");
	memset(&zd, 0, sizeof(zd));
	memset(&zi, 0, sizeof(zi));
	test_assert_int(deflateInit2(&zd, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	test_assert_int(inflateInit2(&zi, -MAX_WBITS), Z_OK);
	test_params(&params);
	conn = test_conn_pair(&params, &peer);

	/* The go-ahead and the first compressed bytes in one packet. */
	n = strlen("a1 OK DEFLATE active\r\n");
	memcpy(wire, "a1 OK DEFLATE active\r\n", n);
	n += deflate_sync(&zd, later, sizeof(later) - 1, wire + n, sizeof(wire) - n);
	test_assert(write(peer, wire, n) == (ssize_t)n);
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	test_assert_str(line, "a1 OK DEFLATE active");
	test_assert(!net_conn_is_compressed(conn));
	test_assert_int(net_conn_compress(conn, &err), 0);
	test_assert(net_conn_is_compressed(conn));
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	test_assert_str(line, "* 1 EXISTS");
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	test_assert_str(line, "* 2 EXISTS");

	/* Each write must be decodable whole, with nothing more to come. */
	test_assert_int(net_conn_write(conn, "a2 NOOP\r\n", 9, &err), 0);
	r = read(peer, wire, sizeof(wire));
	test_assert(r >= 4 && memcmp(wire + r - 4, "\0\0\377\377", 4) == 0);
	zi.next_in = wire;
	zi.avail_in = (uInt)r;
	zi.next_out = plain;
	zi.avail_out = sizeof(plain);
	test_assert_int(inflate(&zi, Z_SYNC_FLUSH), Z_OK);
	test_assert_int(sizeof(plain) - zi.avail_out, 9);
	test_assert(memcmp(plain, "a2 NOOP\r\n", 9) == 0);

	n = deflate_sync(&zd, "a2 OK\r\n", 7, wire, sizeof(wire));
	test_assert(write(peer, wire, n) == (ssize_t)n);
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	test_assert_str(line, "a2 OK");
	test_assert_int(net_conn_compress(conn, &err), -1);
	test_assert_int(err.kind, ERR_INTERNAL);
	net_conn_free(&conn);
	close(peer);
	deflateEnd(&zd);
	inflateEnd(&zi);
	test_end();
}

static void
test_split_everywhere(void)
{
	static const char script[] = "* OK one\r\n"
				     "* 2 FETCH (BODY[] {5}\r\nabcde)\r\n"
				     "a3 OK done\r\n";
	struct net_params params;
	struct test_writer w;
	struct net_conn *conn;
	unsigned char wire[1024];
	z_stream zd;
	const char *line;
	char lit[5];
	struct err err;
	size_t n, len;
	int peer, bad = 0;

	test_begin("compressed input split at every byte");
	memset(&zd, 0, sizeof(zd));
	deflateInit2(&zd, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	n = deflate_sync(&zd, script, sizeof(script) - 1, wire, sizeof(wire));
	deflateEnd(&zd);
	test_params(&params);
	for (size_t split = 0; split < n; split++) {
		conn = test_conn_pair(&params, &peer);
		net_conn_compress(conn, &err);
		test_writer_start(&w, peer, wire, n, split, split == 0 ? 200 : 2000, true);
		if (net_conn_read_line(conn, &line, &len, &err) < 0 ||
		    strcmp(line, "* OK one") != 0)
			bad++;
		if (net_conn_read_line(conn, &line, &len, &err) < 0 ||
		    strcmp(line, "* 2 FETCH (BODY[] {5}") != 0)
			bad++;
		if (net_conn_read_exact(conn, lit, 5, &err) < 0 || memcmp(lit, "abcde", 5) != 0)
			bad++;
		if (net_conn_read_line(conn, &line, &len, &err) < 0 || strcmp(line, ")") != 0)
			bad++;
		if (net_conn_read_line(conn, &line, &len, &err) < 0 ||
		    strcmp(line, "a3 OK done") != 0)
			bad++;
		if (net_conn_read_line(conn, &line, &len, &err) == 0 || err.kind != ERR_CONN)
			bad++;
		test_writer_join(&w);
		net_conn_free(&conn);
		close(peer);
	}
	test_assert_int(bad, 0);
	test_end();
}

struct bulk_writer {
	pthread_t thread;
	struct net_conn *conn;
	const char *data;
	size_t len;
	int rc;
};

static void *
bulk_main(void *arg)
{
	struct bulk_writer *b = arg;
	struct err err;

	b->rc = net_conn_write_data(b->conn, b->data, b->len, &err);
	if (b->rc == 0)
		b->rc = net_conn_write(b->conn, "a9 OK\r\n", 7, &err);
	return NULL;
}

static void
test_round_trip(void)
{
	struct net_params params;
	struct net_conn *a, *b;
	struct bulk_writer bw;
	size_t big = 3 * 1000 * 1000;
	char *data = malloc(big), *got = malloc(big);
	const char *line;
	struct err err;
	size_t len;
	int sv[2];

	test_begin("COMPRESS round trip of megabytes between two connections");
	for (size_t i = 0; i < big; i++)
		data[i] = (char)((i * 2654435761u) >> 13 & (i % 3 ? 0xff : 0x0f));
	test_params(&params);
	test_assert_int(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	test_assert_int(net_conn_open_fd(&params, sv[0], &a, &err), 0);
	test_assert_int(net_conn_open_fd(&params, sv[1], &b, &err), 0);
	test_assert_int(net_conn_compress(a, &err), 0);
	test_assert_int(net_conn_compress(b, &err), 0);
	bw.conn = a;
	bw.data = data;
	bw.len = big;
	pthread_create(&bw.thread, NULL, bulk_main, &bw);
	test_assert_int(net_conn_read_exact(b, got, big, &err), 0);
	test_assert(memcmp(got, data, big) == 0);
	test_assert_int(net_conn_read_line(b, &line, &len, &err), 0);
	test_assert_str(line, "a9 OK");
	pthread_join(bw.thread, NULL);
	test_assert_int(bw.rc, 0);
	test_assert_int(net_conn_write(b, "* BYE\r\n", 7, &err), 0);
	test_assert_int(net_conn_read_line(a, &line, &len, &err), 0);
	test_assert_str(line, "* BYE");
	net_conn_free(&a);
	net_conn_free(&b);
	free(data);
	free(got);
	test_end();
}

struct bomb {
	pthread_t thread;
	int fd;
	size_t plain_sent;
};

/* Streams DEFLATE of endless 'A's (about 1000:1) until the reader leaves. */
static void *
bomb_main(void *arg)
{
	struct bomb *bm = arg;
	static unsigned char in[1 << 20], out[1 << 16];
	z_stream z;

	memset(in, 'A', sizeof(in));
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	while (bm->plain_sent < (size_t)2 << 30) {
		z.next_in = in;
		z.avail_in = sizeof(in);
		do {
			z.next_out = out;
			z.avail_out = sizeof(out);
			deflate(&z, Z_NO_FLUSH);
			size_t have = sizeof(out) - z.avail_out;
			if (have > 0 && send(bm->fd, out, have, MSG_NOSIGNAL) != (ssize_t)have)
				goto out;
		} while (z.avail_out == 0);
		bm->plain_sent += sizeof(in);
	}
out:
	deflateEnd(&z);
	return NULL;
}

static void
test_bad_input(void)
{
	struct net_params params;
	struct net_conn *conn;
	struct bomb bm = {0};
	const char *line;
	struct err err;
	size_t len;
	int peer;

	test_begin("corrupt compressed data is a protocol error");
	test_params(&params);
	conn = test_conn_pair(&params, &peer);
	net_conn_compress(conn, &err);
	test_assert(write(peer, "\377\377\377\377garbage", 11) == 11);
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	test_assert(strncmp(err.msg, "test.example:143: the server sent corrupt compressed data",
			    56) == 0);
	net_conn_free(&conn);
	close(peer);
	test_end();

	test_begin("a compression bomb costs bounded memory");
	params.line_max = 100000;
	conn = test_conn_pair(&params, &peer);
	net_conn_compress(conn, &err);
	bm.fd = peer;
	pthread_create(&bm.thread, NULL, bomb_main, &bm);
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	test_assert_str(err.msg,
			"test.example:143: the server sent a line longer than 100000 bytes");
	test_assert(conn->rcap <= params.line_max + 2);
	net_conn_free(&conn);
	shutdown(peer, SHUT_RDWR);
	pthread_join(bm.thread, NULL);
	test_assert(bm.plain_sent < (size_t)1 << 30);
	close(peer);
	test_end();
}

int
main(void)
{
	test_against_zlib();
	test_split_everywhere();
	test_round_trip();
	test_bad_input();
	return test_done();
}
