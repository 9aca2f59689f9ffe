/*
 * ui: petrel's full-screen face (curses).
 *
 * An index of the folder's messages, a pager, a composer, a folder
 * browser and an attachment list, driven by key bindings (the keymap files
 * and the configuration's bind and macro lines).  The UI thread owns the
 * terminal and all view state; the folder's store is served by an account
 * worker (core/core-account.h) whose events arrive on a queue the loop
 * polls with the terminal, so nothing on screen waits for a store.
 *
 * main() picks this face for an interactive start; see petrel(1).
 */
#ifndef UI_H
#define UI_H

#include <stddef.h>

/* What the command line asks of the TUI (strings are the caller's). */
struct ui_opts {
	const char *folder;      /* the folder to open; NULL: spoolfile */
	const char *config_file; /* --config; NULL: the default path */
	const char *const *vars; /* -S assignments, in order */
	size_t nvars;
	int no_sysrc;           /* -n: skip the system start-up file */
	const char *debug_file; /* -d */
	const char *argv0;      /* how petrel was started, to find keymaps next to it */
};

/*
 * Runs the TUI until the user quits.  Returns the exit status: 0, or 1
 * after a one-line "petrel: ..." error on standard error (no terminal,
 * an unusable configuration).  Main thread, before any other thread
 * exists; blocks until the user is done.
 */
int ui_main(const struct ui_opts *opts);

#endif
