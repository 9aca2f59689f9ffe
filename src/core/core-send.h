/*
 * core-send: building an outgoing message and handing it to the mail
 * system.
 *
 * core_send_compose() turns headers, a UTF-8 body and attachment files
 * into a MIME message (RFC 2047/2231 encoding where needed, Bcc left out
 * of the header) and the envelope recipients.  core_send_deliver() hands
 * it to the program in the sendmail variable, as mail(1) always has
 * (`sendmail -oi [-f from] -- recipients...`), through a worker job like
 * every other request, and waits for it; or, when smtp_url is set and the
 * face made a submission handle for it, to the SMTP server through that
 * handle and the outbox (core-submit.h).  core_send_dead_letter() keeps a
 * message that could not be sent, in mbox format.
 *
 * Face thread; every function blocks until its work is done.
 */
#ifndef CORE_SEND_H
#define CORE_SEND_H

#include <stddef.h>

#include "base/base-err.h"
#include "base/base-str.h"
#include "core/core-submit.h"

/* What a face wants sent.  Address fields hold what the user typed: each
 * entry may list several addresses separated by commas. */
struct core_send_msg {
	const char *from;           /* From:; NULL: none (the mail system adds one) */
	const char *const *to;
	size_t nto;
	const char *const *cc;
	size_t ncc;
	const char *const *bcc;     /* envelope only, never a header... */
	size_t nbcc;
	int keep_bcc;               /* ...except in a draft, kept to be sent later */
	const char *subject;        /* UTF-8; NULL or "" for none */
	const char *reply_to;       /* NULL: none */
	const char *in_reply_to;    /* "<id>" or NULL */
	const char *references;     /* "<id> <id>" or NULL */
	const char *body;           /* UTF-8 text, LF line ends */
	size_t body_len;
	const char *const *attach;  /* files to attach */
	size_t nattach;
};

/*
 * Appends the message, LF line ends, to *out and returns the envelope
 * recipients (To, Cc and Bcc, bare addresses) in *rcpt_r (caller frees
 * each and the array).  Fails with ERR_USAGE on a bad address or an
 * unreadable attachment, naming it.
 */
int core_send_compose(const struct core_send_msg *msg, struct str *out, char ***rcpt_r,
		      size_t *nrcpt_r, struct err *err);

struct core_send_params {
	const char *sendmail;      /* the program; NULL: /usr/sbin/sendmail */
	const char *envelope_from; /* given as -f (MAIL FROM for SMTP); NULL: none */
	/* SMTP submission, for smtp_url: a handle from core_submit_new(),
	   kept by the face so that its messages share a connection.  NULL:
	   the sendmail program. */
	struct core_submit *submit;
	/* With submit: the folder for a copy of the sent message (expanded),
	   saved before the message leaves the outbox; NULL: none. */
	const char *record;
	/* With submit: what became of the message (see core-submit.h); the
	   caller clears it with core_submit_report_clear().  May be NULL. */
	struct core_submit_report *report;
};

/*
 * With params->submit, sends the message through the SMTP server as
 * core_submit_send() does: 0 when the server took it, else -1 with the
 * server's or the connection's sentence, params->report telling whether
 * the message waits in the outbox or went to the dead letter file.
 * Otherwise runs the sendmail program with the recipients and writes the
 * message to it.  Fails (ERR_IO) when the program cannot be run, exits
 * non-zero or is killed, with one sentence saying which; ERR_CANCELLED on
 * interrupt (core_folder_set_interrupt_fd), after stopping the program,
 * whether it had read the whole message or not (the sentence says which:
 * once it has, it may have sent it).
 */
int core_send_deliver(const struct core_send_params *params, const char *data, size_t len,
		      const char *const *rcpt, size_t nrcpt, struct err *err);

/* Appends the message to the mbox file path (created when missing). */
int core_send_dead_letter(const char *path, const char *data, size_t len, struct err *err);

/* Frees an array of n strings as core_send_compose returns it. */
void core_send_strv_free(char **v, size_t n);

#endif
