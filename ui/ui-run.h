/*
 * ui-run: running a shell command without the terminal (an HTML
 * converter, a mailcap viewer with copiousoutput, a mailcap test).
 *
 * The command runs under /bin/sh with its standard input fed from memory
 * (or /dev/null), its output collected up to a bound and its standard
 * error discarded; it is killed when it runs past the timeout.  The child
 * gets the default signal dispositions and an empty signal mask.
 *
 * UI thread; blocks until the command ends or the timeout passes (it is
 * only used for local programs).
 */
#ifndef UI_RUN_H
#define UI_RUN_H

#include <stddef.h>

#include "base/base-err.h"
#include "base/base-str.h"

/* Output kept from one command, at most. */
#define UI_RUN_OUTPUT_MAX (16 * 1024 * 1024)

/*
 * Runs cmd with in[0..inlen) on its standard input (in NULL: /dev/null)
 * and appends its standard output to out.  Returns the wait status
 * (>= 0) or -1 with *err set when it could not run or timed out.
 */
int ui_run_capture(const char *cmd, const char *in, size_t inlen, int timeout_ms, struct str *out,
                   struct err *err);

/* Whether a program is found in $PATH (name without a slash). */
int ui_run_in_path(const char *name);

#endif
