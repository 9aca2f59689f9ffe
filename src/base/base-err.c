#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/base-err.h"

int
err_setv(struct err *err, enum err_kind kind, const char *fmt, va_list ap)
{
	if (err == NULL)
		return -1;
	err->kind = kind;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return -1;
}

int
err_set(struct err *err, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_setv(err, kind, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_sys(struct err *err, enum err_kind kind, int errno_value, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	err_setv(err, kind, fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(errno_value));
	return -1;
}

int
err_prefix(struct err *err, const char *fmt, ...)
{
	char prefix[ERR_MSG_MAX], old[ERR_MSG_MAX];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	return -1;
}

void
err_clear(struct err *err)
{
	if (err == NULL)
		return;
	err->kind = ERR_NONE;
	err->msg[0] = '\0';
}

const char *
err_kind_name(enum err_kind kind)
{
	static const char *const names[ERR_KIND_COUNT] = {
		[ERR_NONE] = "none",
		[ERR_INTERNAL] = "internal",
		[ERR_CONN] = "connection",
		[ERR_PROTO] = "protocol",
		[ERR_UNSUPPORTED] = "unsupported",
		[ERR_REJECTED] = "rejected",
		[ERR_AUTH] = "authentication",
		[ERR_CANCELLED] = "cancelled",
		[ERR_TLS] = "tls",
		[ERR_TIMEOUT] = "timeout",
		[ERR_USAGE] = "usage",
		[ERR_IO] = "io",
		[ERR_PARSE] = "parse",
	};

	if ((unsigned)kind >= ERR_KIND_COUNT)
		return "unknown";
	return names[kind];
}
