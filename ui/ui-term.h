/*
 * ui-term: what the loop (ui-loop.c, which owns curses) lends the rest
 * of the TUI: the terminal handed over to a program and back, the bell,
 * and the loop itself.
 *
 * UI thread only; ui_term_run and ui_loop_run block.
 */
#ifndef UI_TERM_H
#define UI_TERM_H

struct ui_app;

/*
 * Leaves curses, runs cmd with /bin/sh on the real terminal (standard
 * input from stdin_path when not NULL), optionally waits for a key, and
 * restores the screen.  Returns the command's wait status, or -1 when it
 * could not run.  Signals that stop petrel are left to the command while
 * it runs.
 */
int ui_term_run(const char *cmd, const char *stdin_path, int wait_key);
void ui_term_beep(void);

/*
 * Sets the terminal up, runs the poll loop over the terminal, the event
 * queue and the signal pipe until app->quit, and gives the terminal back
 * as it was.  Returns 0, or -1 with *why (static text) when there is no
 * usable terminal.
 */
int ui_loop_run(struct ui_app *app, const char **why);

#endif
