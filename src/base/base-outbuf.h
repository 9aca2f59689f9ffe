/*
 * base-outbuf: bytes a protocol core has queued for the peer, kept as
 * runs of one kind each so the layer that sends them can trace every run
 * as it should: commands as text, message content as a byte count, and
 * secrets (passwords, SASL data) never.
 *
 * The core appends; the sending side peeks at the first run, writes some
 * of it, and says how much went out.  Runs of one kind that follow each
 * other are merged, except secret runs, which stay apart and make the
 * buffer be wiped (explicit_bzero) as soon as everything has been
 * consumed, and when it is freed.  Kinds are the caller's small integers
 * (its enum of output kinds).
 *
 * Embedded in its owner (outbuf_init / outbuf_free); not thread-safe: the
 * thread that owns the protocol core uses it.  Never blocks.
 */
#ifndef BASE_OUTBUF_H
#define BASE_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base-str.h"

struct outbuf_run {
	int kind;
	bool secret;
	size_t len;
};

struct outbuf {
	struct str buf; /* the bytes; those before pos are sent */
	size_t pos;
	struct outbuf_run *runs; /* runs[run_head .. n_runs) are waiting */
	size_t run_head, n_runs, cap_runs;
	size_t run_off;    /* bytes of runs[run_head] already sent */
	bool had_secret;   /* buf held secret bytes since it was last wiped */
	uint64_t appended; /* bytes ever appended */
	uint64_t consumed; /* bytes ever consumed */
};

void outbuf_init(struct outbuf *ob);
/* Wipes and frees what ob holds; it can be initialised again. */
void outbuf_free(struct outbuf *ob);

/* Appends a run of `kind` (merged into the last waiting run of the same
 * kind).  Empty data adds nothing. */
void outbuf_append(struct outbuf *ob, int kind, const void *data, size_t len);
/* Appends a secret run: never merged, wiped from memory once sent. */
void outbuf_append_secret(struct outbuf *ob, int kind, const void *data, size_t len);
/*
 * Appends a command line ending in CRLF whose bytes from public_len up to
 * the CRLF are secret: the public part as `kind`, the secret part as a
 * secret run of `secret_kind`, and the line end as `kind` again, so a
 * trace still shows where the line ended.  public_len == len - 2 or more
 * (no secret) appends the line as one `kind` run.
 */
void outbuf_append_masked(struct outbuf *ob, int kind, int secret_kind, const char *line,
                          size_t len, size_t public_len);
/*
 * For encoders that append to ob->buf themselves: makes the bytes from
 * offset `from` (ob->buf.len before they were appended) to the end one
 * run of `kind`.
 */
void outbuf_commit(struct outbuf *ob, int kind, size_t from);

/* The first waiting run (or what is left of it): returns 1 with *data_r,
 * *len_r and *kind_r set, 0 when nothing waits.  Valid until the next call
 * that changes ob. */
int outbuf_peek(const struct outbuf *ob, const char **data_r, size_t *len_r, int *kind_r);
/* n bytes were sent; n may span runs and is capped at what waits. */
void outbuf_consume(struct outbuf *ob, size_t n);
/* Bytes waiting, all runs together. */
size_t outbuf_pending(const struct outbuf *ob);

#endif
