/*
 * net-trace: the protocol trace, every line sent and received, with
 * secrets masked.
 *
 * Lines go to log_trace(LOG_CH_PROTO, ...) as "host:port C: text" (sent)
 * and "host:port S: text" (received).  Bytes outside printable ASCII are
 * shown as \xNN, so a trace file cannot carry terminal escapes, and a line
 * longer than NET_TRACE_LINE_MAX is cut with its length noted.  Payloads
 * (literals, message bodies) appear as their byte count only.
 * net-conn traces by itself; these are public for code that moves bytes
 * some other way.  Each call does nothing when the channel is off.  Any
 * thread; never blocks beyond the log sink.
 */
#ifndef NET_TRACE_H
#define NET_TRACE_H

#include <stdbool.h>
#include <stddef.h>

#define NET_TRACE_LINE_MAX 1000

/* Traces the lines of data sent to peer. */
void net_trace_sent(const char *peer, const void *data, size_t len);
/* Traces a write whose first public_len bytes may be shown and whose rest
 * is secret, shown as "<secret>" even when empty. */
void net_trace_sent_secret(const char *peer, const void *data, size_t public_len);
/* Traces one received line, without its CRLF; when secret, only its first
 * word is shown ("+ <secret>"). */
void net_trace_received(const char *peer, const void *line, size_t len, bool secret);
/* Traces a payload of len bytes; dir is 'C' (sent) or 'S' (received). */
void net_trace_payload(const char *peer, char dir, size_t len);

#endif
