/*
 * base-err: errors that carry a kind and one human sentence.
 *
 * Every fallible function takes a `struct err *err` (last parameter) and
 * returns 0 on success or -1 with *err filled in.  The struct is plain data
 * (no pointers), so it can be copied across threads as it is.  The kinds are
 * the ones that cross the worker boundary: faces map them to behaviour and
 * exit statuses.  `err` may be NULL where the caller does not care.
 */
#ifndef BASE_ERR_H
#define BASE_ERR_H

#include <stdarg.h>

enum err_kind {
	ERR_NONE = 0,
	ERR_INTERNAL,    /* a bug, or the local system failed (disk, memory) */
	ERR_CONN,        /* connection failed or dropped: a retry may help */
	ERR_PROTO,       /* the peer broke the protocol */
	ERR_UNSUPPORTED, /* the peer or this build cannot do it */
	ERR_REJECTED,    /* the server said no (NO, -ERR, 5xx), with its text */
	ERR_AUTH,        /* authentication failed */
	ERR_CANCELLED,   /* the user cancelled */
	ERR_TLS,         /* TLS handshake or certificate verification failed */
	ERR_TIMEOUT,     /* the peer did not answer in time */
	ERR_USAGE,       /* bad input from the user: config, command line */
	ERR_IO,          /* a local file could not be read or written */
	ERR_PARSE,       /* malformed data (a message, a file) */
	ERR_KIND_COUNT
};

#define ERR_MSG_MAX 512

struct err {
	enum err_kind kind;
	char msg[ERR_MSG_MAX];
};

/* Sets kind and message; always returns -1 so callers can `return err_set(...)`. */
int err_set(struct err *err, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int err_setv(struct err *err, enum err_kind kind, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Like err_set, with ": strerror(errno_value)" appended. */
int err_sys(struct err *err, enum err_kind kind, int errno_value, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Puts "context: " in front of the message already there; keeps the kind. */
int err_prefix(struct err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(struct err *err);
/* A short lowercase name of a kind ("connection", "authentication"...). */
const char *err_kind_name(enum err_kind kind);

#endif
