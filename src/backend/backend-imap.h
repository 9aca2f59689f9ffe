/*
 * backend-imap: IMAP folders (imap://, imaps://) behind struct backend_ops.
 *
 * A folder is one selected mailbox on one connection (backend-imap-conn.h)
 * that the folder owns and re-establishes by itself when it drops.  The
 * operations that take no folder (append, list, create, remove, rename,
 * subscribe) open a connection of their own for the call.
 *
 *   imap://[user[:password]@]host[:port]/[MAILBOX][?search=KEYS]
 *
 * MAILBOX is UTF-8 with '/' between levels, whatever the server's
 * hierarchy delimiter; it defaults to INBOX.  With ?search=KEYS the folder
 * holds only the messages the server finds with SEARCH KEYS (IMAP search
 * keys, percent-encoded), as they stood when it was opened.
 *
 * What petrel does with the server, the header cache (header_cache) and
 * the body cache (message_cache) are described in backend-imap.c and
 * backend-cache.h.  Threads: as backend.h says, a folder and everything it
 * holds (connection, cache handles) belong to the worker that opened it.
 */
#ifndef BACKEND_IMAP_H
#define BACKEND_IMAP_H

#include "backend/backend.h"

extern const struct backend_ops backend_imap_ops;

#endif
