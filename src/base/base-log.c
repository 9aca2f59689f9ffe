#include "config.h"

#include <pthread.h>
#include <stdio.h>

#include "base/base-log.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static log_sink_fn *log_sink;
static void *log_sink_ctx;
static enum log_level log_level_max = LOG_WARN;
static unsigned log_channel_mask;

void
log_set_sink(log_sink_fn *sink, void *ctx)
{
	pthread_mutex_lock(&log_lock);
	log_sink = sink;
	log_sink_ctx = ctx;
	pthread_mutex_unlock(&log_lock);
}

void
log_set_level(enum log_level level)
{
	log_level_max = level;
}

void
log_enable_channels(unsigned channels)
{
	log_channel_mask |= channels;
}

unsigned
log_channels(void)
{
	return log_channel_mask;
}

int
log_channel_enabled(enum log_channel channel)
{
	return (log_channel_mask & (unsigned)channel) != 0;
}

static void
emit(enum log_level level, const char *fmt, va_list ap)
{
	char line[4096];

	vsnprintf(line, sizeof(line), fmt, ap);
	pthread_mutex_lock(&log_lock);
	if (log_sink != NULL)
		log_sink(level, line, log_sink_ctx);
	pthread_mutex_unlock(&log_lock);
}

void
log_msgv(enum log_level level, const char *fmt, va_list ap)
{
	if (level > log_level_max)
		return;
	emit(level, fmt, ap);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_msgv(level, fmt, ap);
	va_end(ap);
}

void
log_trace(enum log_channel channel, const char *fmt, ...)
{
	va_list ap;

	if (!log_channel_enabled(channel))
		return;
	va_start(ap, fmt);
	emit(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
log_sink_stdio(enum log_level level, const char *line, void *ctx)
{
	static const char *const prefix[] = {"error: ", "warning: ", "", ""};
	FILE *fp = ctx != NULL ? ctx : stderr;

	fprintf(fp, "petrel: %s%s\n", prefix[level], line);
	fflush(fp);
}
