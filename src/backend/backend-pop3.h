/*
 * backend-pop3: a POP3 maildrop as a folder (pop3://user@host/,
 * pop3s://user@host/), for reading it in place: summaries from TOP,
 * messages with RETR, deletion at the mailx `quit` (DELE, then QUIT).
 * Fetching into the local store is core/core-fetch.h's job, on the same
 * connection code (backend-pop3-conn.h).
 *
 * What it takes from backend_params: tls.starttls (pop3://: 1 STLS
 * required, 0 when offered, -1 never), tls.verify and tls.ca_file,
 * auth.mechanisms (SASL names, "APOP", "USER"), auth.allow_plaintext,
 * auth.get_password (when the URL has no password), the timeouts,
 * max_message and cancel_fd.  The user is the URL's, else the login
 * name.
 */
#ifndef BACKEND_POP3_H
#define BACKEND_POP3_H

#include "backend/backend-pop3-conn.h"
#include "backend/backend.h"
#include "base/base-url.h"

extern const struct backend_ops backend_pop3_ops;

/*
 * The connection parameters for a pop3:// or pop3s:// URL and backend
 * params: *cp points into url, params, *user_r and *password_r (the
 * caller's to free; the password may be NULL when none is known).  Calls
 * params->auth.get_password when the URL has no password.  Worker
 * thread; blocks only in get_password.
 */
int backend_pop3_params(const struct url *url, const struct backend_params *params,
                        struct backend_pop3_conn_params *cp, char **user_r, char **password_r,
                        struct err *err);

#endif
