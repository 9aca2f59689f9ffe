/*
 * base-log: logging with levels and trace channels.
 *
 * Code below the faces never prints: it logs here, and the face decides
 * where lines go (a sink set once at start-up: standard error, a debug
 * file, the TUI's message area).  Trace channels are off unless enabled
 * (`petrel -d FILE` turns the protocol channels on).  Thread-safe: any
 * thread may log; the sink is called with a lock held, one line at a time.
 */
#ifndef BASE_LOG_H
#define BASE_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_ERROR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

/* Trace channels, one bit each. */
enum log_channel {
	LOG_CH_NET = 1 << 0,      /* connects, TLS */
	LOG_CH_PROTO = 1 << 1,    /* every protocol line sent and received */
	LOG_CH_CORE = 1 << 2,     /* jobs, workers, queues */
	LOG_CH_CONFIG = 1 << 3,
	LOG_CH_BACKEND = 1 << 4,
	LOG_CH_UI = 1 << 5,
	LOG_CH_ALL = 0xffff,
};

typedef void log_sink_fn(enum log_level level, const char *line, void *ctx);

/* Where lines go; NULL drops them.  Call before starting threads. */
void log_set_sink(log_sink_fn *sink, void *ctx);
/* The most verbose level passed to the sink (default LOG_WARN). */
void log_set_level(enum log_level level);
void log_enable_channels(unsigned channels);
unsigned log_channels(void);
int log_channel_enabled(enum log_channel channel);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_msgv(enum log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Logged at LOG_DEBUG, only when the channel is enabled. */
void log_trace(enum log_channel channel, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* A sink that writes "petrel: " lines to a FILE * given as ctx. */
void log_sink_stdio(enum log_level level, const char *line, void *ctx);

#endif
