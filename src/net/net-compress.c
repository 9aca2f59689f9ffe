#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "net/net-internal.h"

/*
 * COMPRESS=DEFLATE (RFC 4978): raw DEFLATE (no zlib header, RFC 1951) in
 * both directions, each write ended with a sync flush so the server can
 * act on it.  Decompressed bytes go straight into the receive buffer, so
 * a compression bomb costs time, not memory.
 */
struct net_compress {
	z_stream in;
	z_stream out;
	unsigned char *zin; /* compressed bytes from the transport */
	size_t zin_cap;
	unsigned char zout[NET_CHUNK];
};

int
net_compress_start(struct net_conn *conn, const void *pending, size_t len, struct err *err)
{
	struct net_compress *z;

	z = xcalloc(1, sizeof(*z));
	if (inflateInit2(&z->in, -MAX_WBITS) != Z_OK) {
		free(z);
		return err_set(err, ERR_INTERNAL, "%s: cannot start decompression", conn->peer);
	}
	if (deflateInit2(&z->out, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		inflateEnd(&z->in);
		free(z);
		return err_set(err, ERR_INTERNAL, "%s: cannot start compression", conn->peer);
	}
	z->zin_cap = len > NET_CHUNK ? len : NET_CHUNK;
	z->zin = xmalloc(z->zin_cap);
	if (len > 0)
		memcpy(z->zin, pending, len);
	z->in.next_in = z->zin;
	z->in.avail_in = (uInt)len;
	conn->z = z;
	log_trace(LOG_CH_NET, "%s: COMPRESS=DEFLATE on (%zu bytes already received)", conn->peer,
		  len);
	return 0;
}

int
net_compress_read(struct net_conn *conn, void *buf, size_t cap, size_t *n_r, int64_t deadline,
		  struct err *err)
{
	struct net_compress *z = conn->z;
	size_t n, produced;
	int r;

	if (cap > UINT_MAX)
		cap = UINT_MAX;
	for (;;) {
		if (z->in.avail_in == 0) {
			if (net_transport_read(conn, z->zin, z->zin_cap, &n, deadline, err) < 0)
				return -1;
			if (n == 0) {
				*n_r = 0;
				return 0;
			}
			z->in.next_in = z->zin;
			z->in.avail_in = (uInt)n;
		}
		z->in.next_out = buf;
		z->in.avail_out = (uInt)cap;
		r = inflate(&z->in, Z_SYNC_FLUSH);
		produced = cap - z->in.avail_out;
		if (r == Z_STREAM_END)
			return err_set(err, ERR_PROTO, "%s: the server ended the compressed stream",
				       conn->peer);
		if ((r != Z_OK && r != Z_BUF_ERROR) || (r == Z_BUF_ERROR && z->in.avail_in > 0))
			return err_set(err, ERR_PROTO,
				       "%s: the server sent corrupt compressed data (%s)",
				       conn->peer, z->in.msg != NULL ? z->in.msg : zError(r));
		if (produced > 0) {
			*n_r = produced;
			return 0;
		}
	}
}

int
net_compress_write(struct net_conn *conn, const void *data, size_t len, bool flush,
		   int64_t deadline, struct err *err)
{
	struct net_compress *z = conn->z;
	size_t have;
	int r;

	/* len is at most NET_CHUNK: it fits a uInt. */
	z->out.next_in = (Bytef *)(uintptr_t)data;
	z->out.avail_in = (uInt)len;
	do {
		z->out.next_out = z->zout;
		z->out.avail_out = sizeof(z->zout);
		r = deflate(&z->out, flush ? Z_SYNC_FLUSH : Z_NO_FLUSH);
		if (r != Z_OK && r != Z_BUF_ERROR)
			return err_set(err, ERR_INTERNAL, "%s: compression failed (%s)",
				       conn->peer, zError(r));
		have = sizeof(z->zout) - z->out.avail_out;
		if (have > 0 && net_transport_write(conn, z->zout, have, deadline, err) < 0)
			return -1;
	} while (z->out.avail_out == 0);
	return 0;
}

void
net_compress_free(struct net_conn *conn)
{
	struct net_compress *z = conn->z;

	if (z == NULL)
		return;
	inflateEnd(&z->in);
	deflateEnd(&z->out);
	free(z->zin);
	free(z);
	conn->z = NULL;
}
