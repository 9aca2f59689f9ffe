/*
 * backend-imap-int: what the files of the IMAP backend share (not for use
 * outside src/backend/backend-imap*.c).
 *
 * struct backend_imap_acct is one account's way to the server, taken from
 * a URL and the backend parameters: where to connect, as whom, with which
 * TLS and timeouts, and where its caches are.  It owns copies of every
 * string (the password is wiped when it is cleared), so a folder can
 * reconnect long after the parameters of its opening are gone.
 */
#ifndef BACKEND_IMAP_INT_H
#define BACKEND_IMAP_INT_H

#include <stdint.h>

#include "backend/backend-imap-conn.h"
#include "backend/backend.h"
#include "base/base-str.h"
#include "base/base-url.h"

struct backend_imap_acct {
	struct backend_imap_conn_params cp; /* strings below */
	char *host, *port, *user, *password, *ca_file, *mechanisms;
	char *id; /* "user@host:port", for messages and the caches */
	char *cache_dir;
	char *body_cache_dir;
	int keepalive_ms;
	int no_push;
	struct backend_notify notify;
};

/*
 * Fills acct from url (imap or imaps) and params: the password from the
 * URL, else params->auth.get_password (asked now, once).  Clear with
 * backend_imap_acct_clear().  Blocks only in get_password.
 */
int backend_imap_acct_init(struct backend_imap_acct *acct, const struct url *url,
                           const struct backend_params *params, struct err *err);
void backend_imap_acct_clear(struct backend_imap_acct *acct);
/* Opens a connection for the account (see backend_imap_conn_open). */
int backend_imap_acct_connect(struct backend_imap_acct *acct, struct backend_imap_conn **conn_r,
                              struct err *err);
/* 1 when url names a folder of the same account (server and user). */
int backend_imap_acct_same(const struct backend_imap_acct *acct, const struct url *url,
                           const struct backend_params *params);

/*
 * The server's name of the folder a URL path names: "" is INBOX, '/'
 * separates levels (turned into the server's delimiter), and the result
 * is in the server's encoding (modified UTF-7 or UTF-8).  Appends to out.
 */
int backend_imap_mailbox(struct backend_imap_conn *conn, const char *path, struct str *out,
                         struct err *err);

/* IMAP flag names for enum mime_flag bits (\Recent never: the server sets
 * it); *n_r names at most 6. */
void backend_imap_flag_names(unsigned flags, const char **names, size_t *n_r);

/* The operations without a folder (backend-imap-store.c), as backend.h
 * describes them. */
int backend_imap_append_op(const struct url *url, const struct backend_params *params,
                           const char *data, size_t len, unsigned flags, time_t date,
                           struct err *err);
int backend_imap_list_op(const struct url *root, const struct backend_params *params,
                         struct arena *arena, struct backend_folder_info **folders_r,
                         size_t *count_r, struct err *err);
int backend_imap_create_op(const struct url *url, const struct backend_params *params,
                           struct err *err);
int backend_imap_remove_op(const struct url *url, const struct backend_params *params,
                           struct err *err);
int backend_imap_rename_op(const struct url *from, const struct url *to,
                           const struct backend_params *params, struct err *err);
int backend_imap_subscribe_op(const struct url *url, const struct backend_params *params, int on,
                              struct err *err);

/* Connection failures worth a new connection and another try. */
int backend_imap_err_transient(const struct err *err);

#endif
