#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/base-log.h"
#include "net/net-trace.h"

/* Room for NET_TRACE_LINE_MAX bytes when most of them are printable; a
 * line of escapes is cut earlier, which is fine for a trace. */
#define TRACE_OUT_MAX 2048

static void
trace_line(const char *peer, char dir, const unsigned char *p, size_t len, const char *suffix)
{
	static const char hex[] = "0123456789abcdef";
	char out[TRACE_OUT_MAX + 64];
	size_t o = 0, i;

	for (i = 0; i < len && i < NET_TRACE_LINE_MAX && o < TRACE_OUT_MAX; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			out[o++] = (char)p[i];
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[p[i] >> 4];
			out[o++] = hex[p[i] & 0xf];
		}
	}
	out[o] = '\0';
	if (i < len)
		snprintf(out + o, sizeof(out) - o, "... (%zu bytes)", len);
	log_trace(LOG_CH_PROTO, "%s %c: %s%s", peer, dir, out, suffix);
}

/* Traces the lines of p[0, len); the last, unterminated one gets suffix. */
static void
trace_sent(const char *peer, const unsigned char *p, size_t len, const char *suffix)
{
	size_t start = 0, i, end;

	for (i = 0; i < len; i++) {
		if (p[i] != '\n')
			continue;
		end = i > start && p[i - 1] == '\r' ? i - 1 : i;
		trace_line(peer, 'C', p + start, end - start, "");
		start = i + 1;
	}
	if (start < len || *suffix != '\0')
		trace_line(peer, 'C', p + start, len - start, suffix);
}

void
net_trace_sent(const char *peer, const void *data, size_t len)
{
	if (log_channel_enabled(LOG_CH_PROTO))
		trace_sent(peer, data, len, "");
}

void
net_trace_sent_secret(const char *peer, const void *data, size_t public_len)
{
	if (log_channel_enabled(LOG_CH_PROTO))
		trace_sent(peer, data, public_len, "<secret>");
}

void
net_trace_received(const char *peer, const void *line, size_t len, bool secret)
{
	const unsigned char *p = line;
	const unsigned char *space;

	if (!log_channel_enabled(LOG_CH_PROTO))
		return;
	if (!secret) {
		trace_line(peer, 'S', p, len, "");
		return;
	}
	space = memchr(p, ' ', len);
	trace_line(peer, 'S', p, space != NULL ? (size_t)(space - p) + 1 : 0, "<secret>");
}

void
net_trace_payload(const char *peer, char dir, size_t len)
{
	log_trace(LOG_CH_PROTO, "%s %c: <%zu bytes>", peer, dir, len);
}
