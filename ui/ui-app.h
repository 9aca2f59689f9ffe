/*
 * ui-app: the TUI's state and what keys and worker events do to it,
 * without curses.
 *
 * One struct ui_app holds every screen's model (index, pager, attachment
 * list, composer, browser, help), the prompt, the message line, the jobs
 * in flight and the workers they go to.  The loop (ui-loop.c) feeds it
 * keys with ui_app_key() and worker events with ui_app_event(), and
 * draws it (ui-draw*.c) when ui_app_dirty() says something changed.
 * Everything that can touch a store is a request posted to the account
 * worker and finished when its events come back; the only things done
 * while the user waits are local: running the editor, a viewer or a
 * shell command with the terminal handed over (ui-term.h), an HTML
 * converter, writing dead.letter.
 *
 * The functions are split over ui-app.c (input, prompts, jobs, folders),
 * ui-app-index.c, ui-app-pager.c (pager, attachments, help),
 * ui-app-compose.c and ui-app-browser.c (browser and sidebar).
 *
 * UI thread only.
 */
#ifndef UI_APP_H
#define UI_APP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base-str.h"
#include "core/core.h"
#include "ui/ui-color.h"
#include "ui/ui-keymap.h"
#include "ui/ui-mailcap.h"
#include "ui/ui-model-compose.h"
#include "ui/ui-model-index.h"
#include "ui/ui-model-line.h"
#include "ui/ui-model-pager.h"

enum ui_screen {
	UI_SCR_INDEX,
	UI_SCR_PAGER,
	UI_SCR_ATTACH,
	UI_SCR_COMPOSE,
	UI_SCR_BROWSER,
	UI_SCR_HELP, /* a text screen: help, or an attachment shown as text */
};

/* What a job is for, to know what its events mean. */
enum ui_job_kind {
	UI_JOB_OPEN,
	UI_JOB_HEADERS,
	UI_JOB_FETCH,
	UI_JOB_FLAGS,
	UI_JOB_SYNC,
	UI_JOB_CLOSE,
	UI_JOB_LIST,
	UI_JOB_SEND,
	UI_JOB_FLUSH, /* sending what waits in the outbox */
	UI_JOB_APPEND,
	UI_JOB_COPY,
	UI_JOB_COUNT, /* counting a folder for the browser (purpose: the step) */
	UI_JOB_RECALL, /* reading the postponed folder (ui-app-compose.c) */
	UI_JOB_SEARCH, /* a ~b term searched by the store (purpose: the term) */
	UI_JOB_POP3,   /* fetch-mail: one POP3 mailbox (msg_index: which) */
};

/* What a fetched message is for. */
enum ui_fetch_purpose {
	UI_FETCH_VIEW,
	UI_FETCH_REPLY,
	UI_FETCH_GROUP_REPLY,
	UI_FETCH_LIST_REPLY,
	UI_FETCH_FORWARD,
	UI_FETCH_PIPE,
	UI_FETCH_ATTACH,
	/* The steps of ui-app-pager.c over stores that list a message's parts
	 * without reading it (IMAP); their ends go to ui_pager_part_job_done. */
	UI_FETCH_VIEW_PARTS,   /* the part list, to fetch the text parts alone */
	UI_FETCH_ATTACH_PARTS, /* the part list, for the attachment screen */
	UI_FETCH_SECTION,      /* a section of the text parts being gathered */
	UI_FETCH_PART,         /* one attachment's header, or a byte range of it */
};

/* What a HEADERS job is for. */
enum ui_headers_purpose {
	UI_HEADERS_LOAD,    /* a window of the folder's first load */
	UI_HEADERS_NEW,     /* messages that just arrived (msg_index: how many) */
	UI_HEADERS_REFRESH, /* every summary again: flags changed elsewhere */
};

/* What an APPEND is for. */
enum ui_append_purpose {
	UI_APPEND_FCC,
	UI_APPEND_POSTPONE,
};

struct ui_job {
	uint64_t id;
	enum ui_job_kind kind;
	unsigned gen;    /* the folder generation it belongs to */
	int purpose;     /* enum ui_fetch_purpose / ui_append_purpose; CLOSE: writes */
	uint64_t msg_id; /* FETCH: the message */
	uint32_t msg_index;
	struct str data; /* FETCH: the message as it arrives */
	char *arg;       /* a command (pipe), a folder (copy, list) */
	char *prefix;    /* LIST: put before the names (an account's), or NULL */
	int cancellable;
	int browser; /* LIST: for the browser rather than the sidebar */
	uint64_t done, total;
	char label[48];
	struct ui_job *next;
};

/* What a finished prompt does with its answer (text NULL: cancelled;
 * yes for yes/no prompts). */
struct ui_app;
struct ui_query;
typedef void ui_prompt_fn(struct ui_app *app, const char *text, int yes);

enum ui_complete {
	UI_COMPLETE_NONE,
	UI_COMPLETE_FILE,
	UI_COMPLETE_FOLDER,
	UI_COMPLETE_ADDRESS, /* aliases and query_command (ui-app-compose.c) */
};

struct ui_prompt {
	int active;
	int yesno; /* a one-key yes/no question */
	int yes_default;
	char *label;
	struct ui_line line;
	enum ui_complete complete;
	ui_prompt_fn *done;
	int secret; /* a password: not shown, not kept in a history */
	char note[512]; /* shown above the prompt while it is open (completion lists) */
};

/* Histories of the kinds of prompts. */
enum ui_hist {
	UI_HIST_PATTERN,
	UI_HIST_FOLDER,
	UI_HIST_COMMAND,
	UI_HIST_FILE,
	UI_HIST_ADDRESS,
	UI_HIST_TEXT,
	UI_HIST_COUNT
};

struct ui_folder_entry {
	char *name; /* as shown */
	char *path; /* what opening it opens */
	uint32_t messages, unseen;
	int counted;
	int noselect;
	int count_tried; /* counted by the counting worker, or failed to be */
};

struct ui_app {
	const struct config *cfg;
	struct ui_keymap *km;
	struct ui_colors colors;
	struct ui_weed weed;
	struct ui_mailcap mailcap;
	struct core_queue *events;
	struct core_worker *account; /* the store */
	struct core_worker *sender;  /* sendmail; started when first needed */
	int flushing;                /* a UI_JOB_FLUSH is under way */

	int rows, cols;
	int quit; /* leave the loop */
	int exit_status;
	int dirty; /* something to redraw */
	int clear; /* repaint everything (Ctrl-L, after a program) */

	enum ui_screen screen;
	enum ui_screen pager_back; /* where q in the pager goes */

	/* Input. */
	struct ui_input *queue; /* pending keys and macro items */
	size_t nqueue, capqueue;
	uint32_t pending[UI_KEYSEQ_MAX]; /* keys of a binding being typed */
	size_t npending;
	uint32_t last_key;
	int tag_prefix;
	int in_keys; /* ui_app_key is draining the queue */
	struct ui_prompt prompt;
	struct ui_history hist[UI_HIST_COUNT];

	/* The message line. */
	char *message;
	int message_error;

	/* Jobs in flight. */
	struct ui_job *jobs;

	/* A worker's password question (ui-ask.h) and the one being typed. */
	struct ui_ask *ask;
	uint64_t ask_id;
	char *ask_question; /* taken while another prompt was open: shown after it */

	/* The account's connection, as its worker last told (0: never said). */
	enum core_conn_state conn_state;
	unsigned conn_attempt;

	/* The folder. */
	char *folder;       /* as opened (path or URL) */
	char *folder_shown; /* the same without a password, for the screen */
	char *folder_root;  /* the account's folder directory, expanded */
	unsigned gen;       /* bumped by each open */
	int opened;
	int read_only;
	struct ui_index *idx;
	size_t load_next; /* the end (exclusive) of the next window to load */
	int loading;
	int load_stopped;
	long last_rebuild_ms;
	long rebuild_cost_ms; /* how long the last rebuild of the index took */
	int keys_waiting;     /* set by the loop: draw the keys' moves before a rebuild */
	char *keep_msgid; /* the Message-ID to put the cursor on after a reload */
	struct ui_strv retag; /* Message-IDs to tag again after a reload */
	enum ui_sort sort;
	int sort_reverse;
	char *index_format;
	char *search_text; /* the index's last search pattern */
	int search_dir;
	struct ui_pattern *search_pat; /* search_text compiled with its ~b answers */
	/* A limit or search whose ~b terms the store is searching for. */
	struct ui_pattern *body_pat;
	char *body_text;
	int body_limit;      /* a limit (else a search) */
	size_t body_pending; /* search jobs still running */
	int body_failed;
	const char *after_close; /* what to do when CLOSE_FOLDER ends: "quit", "open" */
	char *open_next;         /* the folder to open after closing */

	/* The message shown. */
	struct core_folder_msg *msg;
	uint32_t msg_index; /* in the index */
	struct str msg_raw;
	struct ui_pager *pager;
	int pager_weed; /* weed headers (toggled by h) */
	int pager_hide_quoted;
	char *pager_search;
	int pager_search_dir;

	/* The text screen (help, an attachment shown as text). */
	struct ui_pager *sub;
	char *sub_title;
	enum ui_screen sub_back;

	/* The attachment list. */
	struct ui_attach_list attach;
	enum ui_screen attach_back;
	char *attach_dir; /* where the last attachment was saved */

	/* The composer. */
	struct ui_draft draft;
	int composing;
	char *draft_path;     /* the editor's file */
	uint32_t reply_index; /* the message replied to, UI_NONE */
	unsigned reply_gen;
	size_t compose_cursor; /* the selected attachment */
	enum ui_screen compose_back;
	struct str sent_data; /* the message while SEND runs */
	struct ui_recall recall; /* the postponed messages listed (recall-message) */
	int recalling;           /* the compose screen shows that list */

	/* Browser and sidebar. */
	struct ui_folder_entry *folders;
	size_t nfolders;
	size_t browser_cursor, browser_top;
	int sidebar;
	size_t sidebar_cursor;
	struct ui_folder_entry *mailboxes; /* the sidebar's list */
	size_t nmailboxes;
	/* Folders the listing did not count are opened read-only, one at a
	 * time, by a worker of their own, so the account's open folder and
	 * the screen never wait for them. */
	struct core_worker *counter;
	int counting;     /* a count job is in flight */
	int counter_open; /* the counting worker has a folder open */

	/* fetch-mail: the POP3 mailboxes of the accounts (pop3_url), each
	 * with a worker of its own made when first fetched from (it keeps a
	 * password asked for), fetched one after the other. */
	struct ui_strv pop3_what;  /* account names or URLs */
	struct ui_strv pop3_shown; /* their URLs without a password */
	struct core_fetch **pop3;  /* NULL until first used */
	int pop3_listed;           /* pop3_what has been filled */
	int pop3_busy;             /* a UI_JOB_POP3 is under way */
	size_t pop3_done, pop3_new, pop3_deleted; /* this round so far */
	char *pop3_server;         /* the last server fetched from */
	char *pop3_error;          /* the round's first failure, said at its end */
	long pop3_said_ms;         /* when a fetch said how it ended (monotonic) */
	int pop3_quiet;            /* a round of pop3_check_interval: no progress */
	long pop3_due_ms;          /* the next such round (monotonic); 0: none */

	/* The query_command of an address completion, while it runs. */
	struct ui_query *query;

	char *html_converter; /* NULL: none found */
	struct ui_strv me;    /* the user's addresses (from, alternates), lower case */
};

/* Sets up the app from the configuration (keymaps already in km, which
 * it takes); opens nothing yet.  ui_app_free releases everything. */
void ui_app_init(struct ui_app *app, const struct config *cfg, struct ui_keymap *km,
                 struct core_queue *events, struct core_worker *account);
void ui_app_free(struct ui_app *app);

/* The terminal's size changed (and at start). */
void ui_app_resize(struct ui_app *app, int rows, int cols);
/* Handles one key from the terminal (and the macros it runs). */
void ui_app_key(struct ui_app *app, uint32_t key);
/* A worker asks for a password (ui_ask_fd is readable): shows the
 * prompt, now or when the prompt open is done. */
void ui_app_ask_ready(struct ui_app *app);
/* Handles one event from a worker; the app owns ev and frees it. */
void ui_app_event(struct ui_app *app, struct core_event *ev);
/* Ms until the app wants to be called back with ui_app_tick (-1: never). */
int ui_app_timeout(const struct ui_app *app);
void ui_app_tick(struct ui_app *app);
/* A signal asked petrel to stop: leave without writing the folder. */
void ui_app_interrupt(struct ui_app *app, const char *why);
/* Makes the models ready for drawing (rebuilds the index when due). */
void ui_app_prepare_draw(struct ui_app *app);

/* Opens a folder (path or URL); the current one must be closed. */
void ui_app_open_folder(struct ui_app *app, const char *folder);
/* Leaves the current folder (writing its changes, asking about deleted
 * messages) and opens path. */
void ui_app_change_folder_to(struct ui_app *app, const char *path);
/* Asks whether to leave without saving, and does. */
void ui_app_exit_fn(struct ui_app *app);

/* Shared between the ui-app*.c files. */
void ui_app_message(struct ui_app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ui_app_error(struct ui_app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ui_app_prompt(struct ui_app *app, const char *label, const char *initial, enum ui_hist hist,
                   enum ui_complete complete, ui_prompt_fn *done);
void ui_app_ask(struct ui_app *app, const char *question, int yes_default, ui_prompt_fn *done);
/* Asks a quad-option question: calls done right away for yes/no. */
void ui_app_ask_quad(struct ui_app *app, enum var_id var, const char *question, ui_prompt_fn *done);
struct ui_job *ui_app_post(struct ui_app *app, struct core_worker *w, struct core_request *req,
                           enum ui_job_kind kind, const char *label);
void ui_app_set_flags(struct ui_app *app, struct ui_msg *m, unsigned add, unsigned remove);
int ui_app_writable(struct ui_app *app);
void ui_app_fetch(struct ui_app *app, struct ui_msg *m, enum ui_fetch_purpose purpose,
                  const char *arg);
/* Expands a folder name as typed (+name, ~/x); caller frees; NULL with
 * an error shown. */
char *ui_app_expand(struct ui_app *app, const char *name);
/* Runs a shell command with the terminal; returns its wait status. */
int ui_app_run(struct ui_app *app, const char *cmd, const char *stdin_path, int wait_key);
/* Appends the user's own addresses (from, alternates), lower case. */
void ui_app_me(struct ui_app *app, struct ui_strv *me);
/* Whether addr is one of app->me (for ui_format_ctx.is_me). */
int ui_app_is_me(const char *addr, void *app);
enum ui_map ui_app_map(const struct ui_app *app);
int ui_app_body_rows(const struct ui_app *app);
int ui_app_sidebar_width(const struct ui_app *app);

/* Per-screen functions: 1 when fn was handled. */
int ui_index_fn(struct ui_app *app, enum ui_fn fn);
/* The message functions the index and the pager share (flags, replies,
 * save, pipe...), acting on the index's current message. */
int ui_index_msg_fn(struct ui_app *app, enum ui_fn fn);
int ui_pager_fn(struct ui_app *app, enum ui_fn fn);
int ui_attach_fn(struct ui_app *app, enum ui_fn fn);
int ui_compose_fn(struct ui_app *app, enum ui_fn fn);
int ui_browser_fn(struct ui_app *app, enum ui_fn fn);
int ui_help_fn(struct ui_app *app, enum ui_fn fn);
int ui_sidebar_fn(struct ui_app *app, enum ui_fn fn);

/* Completion handlers of jobs, by module. */
void ui_index_loaded(struct ui_app *app);
void ui_pager_fetched(struct ui_app *app, struct ui_job *job);
/* The end (err NULL: success) of a job of a purpose from
 * UI_FETCH_VIEW_PARTS on, and the part list such a job got. */
void ui_pager_part_job_done(struct ui_app *app, struct ui_job *job, const struct err *err);
void ui_pager_part_list(struct ui_app *app, struct ui_job *job, const struct core_ev_part_list *l);
void ui_compose_sent(struct ui_app *app, struct ui_job *job, const struct err *err);
void ui_compose_appended(struct ui_app *app, struct ui_job *job, const struct err *err);
/* With smtp_url, sends what waits in the outbox (not held) through the
 * sending worker, when nothing is sending it already: at start, when a
 * connection is back, after a message went out. */
void ui_compose_flush_outbox(struct ui_app *app);
void ui_compose_flushed(struct ui_app *app, const struct err *err);
/* Ctrl-G on a SEND job: stops it unless the mail system has answered
 * already; 1 when a cancel was sent. */
int ui_compose_cancel_send(struct ui_app *app, struct ui_job *job);
/* Tab in an address prompt: completes the entry before the cursor. */
void ui_compose_complete(struct ui_app *app);
/* The query command's output is readable (ui_query_fd), or its time
 * is up: its matches go in if the prompt is as it was. */
void ui_compose_query_ready(struct ui_app *app);
/* Stops the query command under way, if any; why (NULL: nothing) is
 * said above the prompt. */
void ui_compose_query_stop(struct ui_app *app, const char *why);
/* The fd the loop polls for the query command (-1: none). */
int ui_app_query_fd(const struct ui_app *app);
/* recall-message: lists the postponed messages to go on with one. */
void ui_compose_recall(struct ui_app *app);
/* An event of a UI_JOB_RECALL job (the app frees ev and the job). */
void ui_compose_recall_event(struct ui_app *app, struct ui_job *job,
                             const struct core_event *ev);
/* fetch-mail: fetches from every POP3 mailbox of the accounts. */
void ui_index_fetch_mail(struct ui_app *app);
/* An event of a UI_JOB_POP3 job (the app frees ev and the job). */
void ui_index_pop3_event(struct ui_app *app, struct ui_job *job, const struct core_event *ev);
/* Stops the fetch workers; before the event queue goes. */
void ui_index_pop3_free(struct ui_app *app);
/* pop3_check_interval: ms until the next round is due (-1: never), and
 * the tick that starts it. */
int ui_index_pop3_timeout(const struct ui_app *app);
void ui_index_pop3_tick(struct ui_app *app);
/* Stops the composer's own worker; before the event queue goes. */
void ui_compose_free(struct ui_app *app);
void ui_browser_listed(struct ui_app *app, struct ui_job *job, const struct core_ev_folders *f);
/* A ~b search's answer and its end. */
void ui_index_search_result(struct ui_app *app, struct ui_job *job,
                            const struct core_ev_search_result *r);
void ui_index_search_done(struct ui_app *app, struct ui_job *job, const struct err *err);
/* Drops a body search in flight and what it was for (folder closed). */
void ui_index_search_reset(struct ui_app *app);
/* An event of a UI_JOB_COUNT job; the caller frees ev. */
void ui_browser_count_event(struct ui_app *app, struct ui_job *job, const struct core_event *ev);
/* A folder's counts may have changed (new mail, a change elsewhere): the
 * browser and sidebar count again when shown. */
void ui_browser_counts_changed(struct ui_app *app);
/* Puts the index's counts on the open folder's entry (before drawing). */
void ui_browser_sync_counts(struct ui_app *app);

/* Entry points of other modules. */
/* Shows text (UTF-8, terminal-safe, header lines first) on the text
 * screen; q goes back to `back`. */
void ui_pager_show(struct ui_app *app, const char *title, const char *text, size_t len,
                   enum ui_screen back);
void ui_pager_open_current(struct ui_app *app);
void ui_pager_relayout(struct ui_app *app);
void ui_help_show(struct ui_app *app);
void ui_compose_start(struct ui_app *app, enum ui_draft_kind kind);
void ui_compose_reply(struct ui_app *app, enum ui_fetch_purpose purpose);
/* Starts a reply or forward of msg (lent; raw, rawlen: the message as
 * stored, for forwarding it as an attachment), message index in the
 * index. */
void ui_compose_from_msg(struct ui_app *app, enum ui_fetch_purpose purpose,
                         struct core_folder_msg *msg, const char *raw, size_t rawlen,
                         uint32_t index);
void ui_browser_open(struct ui_app *app);
void ui_sidebar_refresh(struct ui_app *app);
void ui_attach_open(struct ui_app *app);
void ui_folder_entries_free(struct ui_folder_entry **v, size_t *n);

#endif
