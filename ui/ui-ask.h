/*
 * ui-ask: a worker thread asks the user for a password and waits for
 * what is typed at the full-screen interface's prompt.
 *
 * An account's worker calls the face's password prompt
 * (core_account_set_prompt) on its own thread when an IMAP or POP3 login
 * has no password from the URL, a *_pass or a *_pass_command variable.
 * ui_ask_password() is that prompt: it leaves the question here, makes
 * ui_ask_fd() readable for the UI loop, and blocks until the UI thread
 * answers with ui_ask_answer(), the job is cancelled (its cancel fd), or
 * the rendezvous shuts down.  The UI never waits for a worker; a worker
 * waits for the user only while its own job runs.
 *
 * One question at a time: a second worker asking meanwhile waits for the
 * first to be answered.  An answer carries the question's id, so an
 * answer to a question that was given up (its job cancelled) is dropped.
 */
#ifndef UI_ASK_H
#define UI_ASK_H

#include <stdint.h>

#include "base/base-err.h"

struct ui_ask;

/* A rendezvous; UI thread.  Free it with ui_ask_free only once no
 * worker can call ui_ask_password any more (the workers are freed). */
int ui_ask_new(struct ui_ask **ask_r, struct err *err);
void ui_ask_free(struct ui_ask **ask);

/* Readable while a question waits to be shown (the loop polls it).
 * UI thread. */
int ui_ask_fd(const struct ui_ask *ask);

/*
 * The question waiting to be shown: its text ("Password for
 * user@host: ", a copy the caller frees) and id, or NULL when there is
 * none or it was handed out already.  Drains ui_ask_fd.  UI thread;
 * never blocks.
 */
char *ui_ask_take(struct ui_ask *ask, uint64_t *id_r);

/* Answers question id: answer is the password (copied), NULL when the
 * user gave up (the login then fails with ERR_CANCELLED).  UI thread;
 * never blocks. */
void ui_ask_answer(struct ui_ask *ask, uint64_t id, const char *answer);

/*
 * A core_account_prompt_fn (ctx: the struct ui_ask): asks for the
 * password of server ("user@host") and blocks until it is answered, or
 * cancel_fd is readable (ERR_CANCELLED).  The password is put in
 * *password_r for the caller to free.  Worker threads only.
 */
int ui_ask_password(void *ctx, const char *server, int cancel_fd, char **password_r,
                    struct err *err);

#endif
