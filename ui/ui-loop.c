/*
 * The TUI's loop: one poll() over the terminal, the event queue and a
 * signal pipe.  Keys are read with get_wch (UTF-8 in a UTF-8 locale),
 * events handed to the app, and the screen redrawn only when something
 * changed.  Signals only write a byte to the pipe; the loop does the work:
 * SIGWINCH resizes, SIGTSTP gives the terminal back and stops, SIGINT,
 * SIGTERM and SIGHUP end petrel with the terminal restored.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "ui/ui-app.h"
#include "ui/ui-ask.h"
#include "ui/ui-curses.h"
/* After curses.h, which it needs: cursor_address. */
#include <term.h>
#include "ui/ui-draw.h"
#include "ui/ui-keys.h"
#include "ui/ui-term.h"

/* Events handled before the terminal gets another look, so a flood of
 * summaries never starves the keyboard. */
#define EVENTS_PER_TURN 32

static int sig_pipe[2] = {-1, -1};
static SCREEN *screen;

static void
on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int saved = errno;

	if (sig_pipe[1] >= 0 && write(sig_pipe[1], &b, 1) < 0) {
		/* The pipe is full: the loop has plenty to read already. */
	}
	errno = saved;
}

static const int handled_signals[] = {SIGWINCH, SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGTSTP};

static void
set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | (sig == SIGCHLD ? SA_NOCLDSTOP : 0);
	sigaction(sig, &sa, NULL);
}

static void
install_handlers(void)
{
	for (size_t i = 0; i < sizeof(handled_signals) / sizeof(handled_signals[0]); i++)
		set_handler(handled_signals[i], on_signal);
	signal(SIGPIPE, SIG_IGN);
}

static void
restore_handlers(void)
{
	for (size_t i = 0; i < sizeof(handled_signals) / sizeof(handled_signals[0]); i++)
		signal(handled_signals[i], SIG_DFL);
}

static uint32_t
translate(int rc, wint_t wc)
{
	if (rc == KEY_CODE_YES) {
		switch (wc) {
		case KEY_UP:
			return UI_KEY_UP;
		case KEY_DOWN:
			return UI_KEY_DOWN;
		case KEY_LEFT:
			return UI_KEY_LEFT;
		case KEY_RIGHT:
			return UI_KEY_RIGHT;
		case KEY_HOME:
			return UI_KEY_HOME;
		case KEY_END:
			return UI_KEY_END;
		case KEY_PPAGE:
			return UI_KEY_PGUP;
		case KEY_NPAGE:
			return UI_KEY_PGDN;
		case KEY_IC:
			return UI_KEY_INSERT;
		case KEY_DC:
			return UI_KEY_DELETE;
		case KEY_BACKSPACE:
			return UI_KEY_BACKSPACE;
		case KEY_BTAB:
			return UI_KEY_BTAB;
		case KEY_ENTER:
			return '\n';
		default:
			if (wc >= KEY_F(1) && wc <= KEY_F(63))
				return UI_KEY_F0 + (uint32_t)(wc - KEY_F0);
			return 0;
		}
	}
	if (wc == '\r')
		return '\n';
	if (wc == 0x7f)
		return UI_KEY_BACKSPACE;
	return (uint32_t)wc;
}

static void
size_of_terminal(int *rows, int *cols)
{
	struct winsize ws;

	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	} else {
		*rows = LINES;
		*cols = COLS;
	}
}

static void
resize(struct ui_app *app)
{
	int rows, cols;

	size_of_terminal(&rows, &cols);
	resizeterm(rows, cols);
	ui_app_resize(app, LINES, COLS);
}

static void
suspend(struct ui_app *app)
{
	sigset_t set;

	def_prog_mode();
	endwin();
	signal(SIGTSTP, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), SIGTSTP);
	/* Here again after SIGCONT. */
	set_handler(SIGTSTP, on_signal);
	reset_prog_mode();
	resize(app);
}

/* Reads what the signal pipe holds; returns nonzero when the loop must
 * stop. */
static void
handle_signals(struct ui_app *app)
{
	unsigned char buf[64];
	ssize_t n;
	int winch = 0, tstp = 0;

	while ((n = read(sig_pipe[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			switch (buf[i]) {
			case SIGWINCH:
				winch = 1;
				break;
			case SIGTSTP:
				tstp = 1;
				break;
			case SIGINT:
				ui_app_interrupt(app, "interrupted");
				break;
			case SIGTERM:
				ui_app_interrupt(app, "terminated");
				break;
			case SIGHUP:
				ui_app_interrupt(app, "the terminal went away");
				break;
			default:
				break; /* SIGCHLD: children are waited for where they run */
			}
		}
	}
	if (tstp)
		suspend(app);
	if (winch)
		resize(app);
}

/* Whether the terminal has something to read (or has hung up) right now. */
static int
keys_pending(void)
{
	struct pollfd p;

	p.fd = 0;
	p.events = POLLIN;
	p.revents = 0;
	return poll(&p, 1, 0) > 0;
}

static void
read_keys(struct ui_app *app)
{
	wint_t wc;
	int rc;

	while (!app->quit && (rc = get_wch(&wc)) != ERR) {
		uint32_t key;

		if (rc == KEY_CODE_YES && wc == KEY_RESIZE) {
			/* resizeterm() queues this after our own resize: curses
			 * already has the size. */
			ui_app_resize(app, LINES, COLS);
			continue;
		}
		key = translate(rc, wc);
		if (key != 0)
			ui_app_key(app, key);
	}
}

int
ui_loop_run(struct ui_app *app, const char **why)
{
	struct core_queue *q = app->events;
	int keyed = 0;

	*why = NULL;
	if (!isatty(0) || !isatty(1)) {
		*why = "the full-screen interface needs a terminal";
		return -1;
	}
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		*why = "cannot create a pipe for signals";
		return -1;
	}
	/* Before curses starts, so it keeps its hands off SIGTSTP and
	 * SIGWINCH. */
	install_handlers();
	screen = newterm(NULL, stdout, stdin);
	if (screen == NULL) {
		restore_handlers();
		*why = "the terminal type ($TERM) is unknown or unusable";
		return -1;
	}
	set_term(screen);
	if (cursor_address == NULL) {
		/* A terminal that cannot place its cursor (TERM=dumb) would
		 * show a scrambled screen. */
		endwin();
		delscreen(screen);
		screen = NULL;
		restore_handlers();
		*why = "the terminal ($TERM) cannot move its cursor: the full-screen interface "
		       "needs one that can";
		return -1;
	}
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(100);
	curs_set(0);
	ui_draw_colors_init();
	resize(app);
	while (!app->quit) {
		struct pollfd pfd[5];
		int timeout, rc;

		/*
		 * Keys come first: a key waiting is read (by the poll below,
		 * which returns at once) before anything is drawn, and the
		 * redraw after keys leaves a due rebuild of a loading index to
		 * the next turn, so a move is shown without waiting for it.
		 */
		if (app->dirty && !keys_pending()) {
			app->keys_waiting = keyed;
			ui_draw(app);
			app->keys_waiting = 0;
		}
		keyed = 0;
		timeout = ui_app_timeout(app);
		pfd[0].fd = 0;
		pfd[0].events = POLLIN;
		pfd[1].fd = core_queue_fd(q);
		pfd[1].events = POLLIN;
		pfd[2].fd = sig_pipe[0];
		pfd[2].events = POLLIN;
		/* A worker waiting for a password (ui-ask.h). */
		pfd[3].fd = app->ask != NULL ? ui_ask_fd(app->ask) : -1;
		pfd[3].events = POLLIN;
		/* An address lookup's output (ui-complete.h). */
		pfd[4].fd = ui_app_query_fd(app);
		pfd[4].events = POLLIN;
		rc = poll(pfd, 5, timeout);
		if (rc < 0 && errno != EINTR)
			break;
		if (rc <= 0) {
			ui_app_tick(app);
			continue;
		}
		if (pfd[3].revents & POLLIN)
			ui_app_ask_ready(app);
		if (pfd[4].revents & (POLLIN | POLLHUP | POLLERR))
			ui_compose_query_ready(app);
		if (pfd[2].revents & POLLIN)
			handle_signals(app);
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			read_keys(app);
			keyed = 1;
			/* A hung-up terminal stays readable (reads fail with
			 * EIO): keys typed before it went are taken, then the
			 * loop ends instead of spinning on it. */
			if (pfd[0].revents & (POLLHUP | POLLERR)) {
				ui_app_interrupt(app, "the terminal went away");
				break;
			}
		}
		if (pfd[1].revents & POLLIN) {
			for (int i = 0; i < EVENTS_PER_TURN && !app->quit; i++) {
				struct core_event *ev = core_event_pop(q);
				int none_yet = app->idx != NULL && app->idx->counts.loaded == 0;

				if (ev == NULL)
					break;
				ui_app_event(app, ev);
				/* The first summaries of a folder are drawn at
				 * once, before the batches queued behind them. */
				if (none_yet && app->idx != NULL && app->idx->counts.loaded > 0)
					break;
				/* A batch of summaries takes a while: a key that
				 * came meanwhile goes before the next. */
				if (keys_pending())
					break;
			}
		}
	}
	erase();
	refresh();
	endwin();
	delscreen(screen);
	screen = NULL;
	restore_handlers();
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	return 0;
}

void
ui_term_beep(void)
{
	if (screen != NULL)
		beep();
}

static void
wait_for_key(void)
{
	struct termios old, raw;
	char c;

	fputs("\nPress any key to continue...", stdout);
	fflush(stdout);
	if (tcgetattr(0, &old) < 0)
		return;
	raw = old;
	raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(0, TCSANOW, &raw);
	while (read(0, &c, 1) < 0 && errno == EINTR)
		;
	tcsetattr(0, TCSANOW, &old);
}

int
ui_term_run(const char *cmd, const char *stdin_path, int wait_key)
{
	struct sigaction ign, old_int, old_quit;
	int status = -1;
	pid_t pid;

	if (screen != NULL) {
		def_prog_mode();
		endwin();
	}
	/* As system() does: the command gets the keyboard's signals. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	signal(SIGTSTP, SIG_DFL);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		sigset_t none;

		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGWINCH, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (stdin_path != NULL) {
			int fd = open(stdin_path, O_RDONLY);

			if (fd < 0)
				_exit(126);
			dup2(fd, 0);
			close(fd);
		}
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				status = -1;
				break;
			}
		}
		if (wait_key)
			wait_for_key();
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (screen != NULL) {
		set_handler(SIGTSTP, on_signal);
		reset_prog_mode();
		clearok(curscr, TRUE);
		refresh();
	}
	return status;
}
