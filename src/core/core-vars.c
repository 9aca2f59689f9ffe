/*
 * The table of configuration variables.  Documentation sentences end up in
 * doc/petrelrc.5 as written (the generator escapes roff), so they speak to
 * the user: what the variable does and what to set it to.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "core/core-vars.h"

static const char *const starttls_words[] = {"required", "optional", "no", NULL};
static const char *const keymap_words[] = {"default", "vim", NULL};
static const char *const dsn_return_words[] = {"hdrs", "full", NULL};
/* clang-format off */
static const char *const sort_words[] = {
	"date", "date-received", "from", "to", "subject", "size", "threads", "mailbox-order",
	"reverse-date", "reverse-date-received", "reverse-from", "reverse-to", "reverse-subject",
	"reverse-size", "reverse-threads", "reverse-mailbox-order", NULL};
/* clang-format on */
static const char *const smtp_schemes[] = {"smtp", "smtps", NULL};
static const char *const pop3_schemes[] = {"pop3", "pop3s", NULL};
/* Where messages can be read from or saved to. */
static const char *const folder_schemes[] = {"imap",    "imaps", "notmuch", "file",
                                             "maildir", "mbox",  NULL};

static int
check_one_char(const char *value, const char **why_r)
{
	if (strlen(value) == 1 && !iscntrl((unsigned char)value[0]) && value[0] != ' ')
		return 0;
	*why_r = "a single character";
	return -1;
}

static int
check_dsn_notify(const char *value, const char **why_r)
{
	const char *p = value;

	if (strcmp(value, "never") == 0)
		return 0;
	for (;;) {
		size_t n = strcspn(p, ",");

		if (!((n == 7 && strncmp(p, "failure", n) == 0) ||
		      (n == 5 && strncmp(p, "delay", n) == 0) ||
		      (n == 7 && strncmp(p, "success", n) == 0))) {
			*why_r = "never, or a comma-separated list of failure, delay and success";
			return -1;
		}
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

#define DEF(id, ...) [VAR_##id] = {.id_name = #id, __VA_ARGS__}
#define BOOL(def_) .type = VAR_T_BOOL, .def = def_
#define QUAD(def_) .type = VAR_T_QUAD, .def = def_
#define NUMBER(def_, min_, max_) .type = VAR_T_NUMBER, .def = def_, .min = min_, .max = max_
#define STRING(def_) .type = VAR_T_STRING, .def = def_
#define PATH(def_) .type = VAR_T_PATH, .def = def_
#define FOLDER(def_) .type = VAR_T_FOLDER, .def = def_, .words = folder_schemes
#define ENUM(def_, words_) .type = VAR_T_ENUM, .def = def_, .words = words_
#define URL(schemes_) .type = VAR_T_URL, .words = schemes_

/* clang-format off: one entry per variable, in the layout of DEF(). */
static const struct var_def vars[VAR_COUNT] = {
    DEF(ABORT_NOSUBJECT, .name = "abort_nosubject", QUAD("ask-yes"),
        .doc = "What to do when you finish a message with an empty subject: yes cancels "
               "sending, no sends it anyway, ask-yes and ask-no ask with that answer "
               "preselected."),
    DEF(ABORT_UNMODIFIED, .name = "abort_unmodified", QUAD("yes"),
        .doc = "What to do when you leave the editor without changing a new message: yes "
               "cancels it, no goes on to send it, ask-yes and ask-no ask."),
    DEF(ALLNET, .name = "allnet", BOOL("no"),
        .doc = "Treat addresses with the same local part (before the @) as the same "
               "person, when deciding whether a message is from you and whom a reply "
               "goes to (POSIX mailx)."),
    DEF(ALTERNATES, .name = "alternates", STRING(NULL),
        .doc = "Your other addresses, separated by spaces; each may be a regular "
               "expression.  Mail from them counts as yours and replies leave them out.  "
               "The alternates command adds more."),
    DEF(APPEND, .name = "append", BOOL("no"),
        .doc = "Add read messages to the end of MBOX instead of the beginning when "
               "leaving the system mailbox (POSIX mailx)."),
    DEF(ASKBCC, .name = "askbcc", BOOL("no"),
        .doc = "Ask for Bcc recipients after the subject when composing on the command "
               "line."),
    DEF(ASKCC, .name = "askcc", BOOL("no"),
        .doc = "Ask for Cc recipients after the message body when composing on the "
               "command line."),
    DEF(ASKSUB, .name = "asksub", BOOL("yes"),
        .doc = "Ask for a subject when composing on the command line without -s."),
    DEF(ATTRIBUTION, .name = "attribution", STRING("On %d, %n wrote:"),
        .doc = "The line put above quoted text in a reply: %d is the date of the quoted "
               "message, %n its author's name, %a the author's address."),
    DEF(AUTOPRINT, .name = "autoprint", BOOL("no"),
        .doc = "Show the next message after delete and undelete commands (POSIX mailx)."),
    DEF(BANG, .name = "bang", BOOL("no"),
        .doc = "In shell escapes (!command), replace an unescaped ! with the previous "
               "command, as in csh (POSIX mailx)."),
    DEF(BEEP, .name = "beep", BOOL("yes"),
        .doc = "Ring the terminal bell on errors in the full-screen interface."),
    DEF(BEEP_NEW, .name = "beep_new", BOOL("no"),
        .doc = "Ring the terminal bell when new mail arrives, in the full-screen "
               "interface."),
    DEF(CMD, .name = "cmd", STRING(NULL),
        .doc = "The command the pipe (|) command runs when you give it none (POSIX "
               "mailx)."),
    DEF(CONFIRMAPPEND, .name = "confirmappend", BOOL("yes"),
        .doc = "Ask before saving messages to a folder that already exists."),
    DEF(CONNECT_TIMEOUT, .name = "connect_timeout", NUMBER("30", 1, 3600),
        .doc = "Seconds to wait for a server to accept a connection and finish the TLS "
               "handshake before giving up.  Raise it on slow or lossy links."),
    DEF(COPY, .name = "copy", QUAD("yes"),
        .doc = "Whether to save a copy of each message you send to record: yes, no, or "
               "ask-yes and ask-no to ask each time."),
    DEF(CRT, .name = "crt", NUMBER(NULL, 0, 1000000), .flags = VAR_F_BARE_ZERO,
        .doc = "Show messages longer than this many lines through PAGER.  Set without a "
               "value, or to 0, to use the height of the terminal; unset, messages are "
               "never paged (POSIX mailx)."),
    DEF(ENV_DEAD, .name = "DEAD", PATH("~/dead.letter"), .env = "DEAD",
        .doc = "Where an interrupted or undeliverable message composed on the command "
               "line is saved, so it is not lost."),
    DEF(DEBUG_FILE, .name = "debug_file", PATH(NULL),
        .doc = "Write a debugging log to this file (protocol traces included, passwords "
               "left out).  The -d option does the same for one run."),
    DEF(DEFAULT_ACCOUNT, .name = "default_account", STRING(NULL),
        .doc = "The name of the account petrel opens when started without -f; unset: "
               "the first account in the configuration."),
    DEF(DELETE, .name = "delete", QUAD("ask-yes"),
        .doc = "Whether leaving a folder expunges the messages marked for deletion: "
               "yes, no, or ask-yes and ask-no to ask."),
    DEF(DOT, .name = "dot", BOOL("no"),
        .doc = "End a message typed on the command line at a line holding only a dot, "
               "as well as at end of file (POSIX mailx)."),
    DEF(DSN_NOTIFY, .name = "dsn_notify", STRING(NULL), .check = check_dsn_notify,
        .doc = "When to ask the mail system for delivery status notifications: never, or "
               "a comma-separated list of failure, delay and success.  Unset: the "
               "server's default (usually failure and delay)."),
    DEF(DSN_RETURN, .name = "dsn_return", ENUM(NULL, dsn_return_words),
        .doc = "How much of a message a delivery status notification returns: hdrs for "
               "the header only, full for the whole message.  Unset: the server's "
               "default."),
    DEF(EDIT_HEADERS, .name = "edit_headers", BOOL("no"),
        .doc = "Put the header of a new message in the editor with its body, so you can "
               "edit To, Cc, Subject and the others there."),
    DEF(EDITOR, .name = "editor", STRING("vi"), .env = "VISUAL:EDITOR",
        .doc = "The editor the full-screen interface runs to write messages; it is given "
               "the file name as its last argument."),
    DEF(ENV_EDITOR, .name = "EDITOR", STRING("ed"), .env = "EDITOR",
        .doc = "The editor the ~e escape runs when composing on the command line (POSIX "
               "mailx)."),
    DEF(ESCAPE, .name = "escape", STRING("~"), .check = check_one_char,
        .doc = "The character that starts a command (tilde escape) in a message typed on "
               "the command line (POSIX mailx)."),
    DEF(FLIPR, .name = "flipr", BOOL("no"),
        .doc = "Swap the meaning of the r and R commands: r replies to the sender only, R "
               "to all recipients (POSIX mailx)."),
    DEF(FOLDER, .name = "folder", FOLDER("~/Mail"),
        .doc = "The directory or server (imaps://host/) where your folders live.  A "
               "folder name starting with + or = is taken relative to it."),
    DEF(FROM, .name = "from", STRING(NULL),
        .doc = "Your address, put in the From header of messages you send (for example "
               "\"Ann Smith <ann@example.org>\").  Unset: your login name at hostname."),
    DEF(HEADER, .name = "header", BOOL("yes"),
        .doc = "Show the summary of message headers when a folder is opened on the "
               "command line (POSIX mailx)."),
    DEF(HEADER_CACHE, .name = "header_cache", PATH("${XDG_CACHE_HOME:-~/.cache}/petrel"),
        .doc = "The directory where message summaries from servers are cached, so a "
               "folder opens without fetching every header again.  Unset it to keep no "
               "cache."),
    DEF(HOLD, .name = "hold", BOOL("no"),
        .doc = "Keep read messages in the system mailbox instead of moving them to MBOX "
               "(POSIX mailx)."),
    DEF(HOSTNAME, .name = "hostname", STRING(NULL),
        .doc = "The domain used in Message-ID headers and to complete a From address "
               "without one.  Unset: the fully qualified name of this host."),
    DEF(IGNORE, .name = "ignore", BOOL("no"),
        .doc = "Ignore interrupts (Ctrl-C) while typing a message on the command line, "
               "instead of cancelling it (POSIX mailx)."),
    DEF(IGNOREEOF, .name = "ignoreeof", BOOL("no"),
        .doc = "Do not end a message or leave command mode on end of file (Ctrl-D) from "
               "a terminal; use a dot or quit instead (POSIX mailx)."),
    DEF(IMAP_ALLOW_PLAINTEXT, .name = "imap_allow_plaintext", BOOL("no"),
        .doc = "Allow sending an IMAP password over a connection without TLS.  Leave it "
               "off unless the server is on this machine or a trusted network."),
    DEF(IMAP_IDLE, .name = "imap_idle", BOOL("yes"),
        .doc = "Use IMAP IDLE, when the server offers it, to learn about new mail as it "
               "arrives; turn it off for servers whose IDLE is broken."),
    DEF(IMAP_KEEPALIVE, .name = "imap_keepalive", NUMBER("300", 0, 3600),
        .doc = "Seconds between commands sent to an idle IMAP connection so routers and "
               "servers do not drop it; 0 sends none.  Lower it if connections drop "
               "while idle."),
    DEF(IMAP_OAUTH_REFRESH_COMMAND, .name = "imap_oauth_refresh_command", STRING(NULL),
        .doc = "A shell command that prints an OAuth 2 access token for the IMAP server; "
               "when set, petrel logs in with OAUTHBEARER or XOAUTH2."),
    DEF(IMAP_PASS, .name = "imap_pass", STRING(NULL), .flags = VAR_F_SECRET,
        .doc = "The IMAP password.  Prefer imap_pass_command or ~/.netrc: a password in "
               "the configuration file is readable by anyone who can read the file."),
    DEF(IMAP_PASS_COMMAND, .name = "imap_pass_command", STRING(NULL),
        .doc = "A shell command that prints the IMAP password on its first line of "
               "output (for example a password manager's)."),
    DEF(IMAP_STARTTLS, .name = "imap_starttls", ENUM("required", starttls_words),
        .doc = "For imap:// folders: required refuses to go on when the server does not "
               "offer STARTTLS, optional falls back to plain text, no never starts TLS.  "
               "imaps:// always uses TLS."),
    DEF(IMAP_USER, .name = "imap_user", STRING(NULL),
        .doc = "The IMAP login name, when the folder URL does not give one.  Unset: your "
               "login name on this machine."),
    DEF(INCLUDE, .name = "include", QUAD("ask-yes"),
        .doc = "Whether a reply starts with the quoted message: yes, no, or ask-yes and "
               "ask-no to ask."),
    DEF(INDENTPREFIX, .name = "indentprefix", STRING("\t"),
        .doc = "The text put in front of each quoted line by the ~m and ~M escapes "
               "(POSIX mailx)."),
    DEF(INDEX_FORMAT, .name = "index_format", STRING("%4C %Z %{%b %d} %-15.15L (%?l?%4l&%4c?) %s"),
        .doc = "The layout of a line in the message list, with mutt's % sequences: %C "
               "number, %Z flags, %{...} date in strftime format, %L author or recipient, "
               "%l lines, %c size, %s subject."),
    DEF(KEEP, .name = "keep", BOOL("no"),
        .doc = "Leave an emptied mailbox in place, with a length of zero, instead of "
               "removing it (POSIX mailx)."),
    DEF(KEEPSAVE, .name = "keepsave", BOOL("no"),
        .doc = "Keep saved messages in the system mailbox instead of deleting them "
               "(POSIX mailx)."),
    DEF(KEYMAP, .name = "keymap", ENUM("default", keymap_words),
        .doc = "The key bindings the full-screen interface starts with: default (like "
               "mutt) or vim.  bind commands change single keys on top of them."),
    DEF(ENV_LISTER, .name = "LISTER", STRING("ls"), .env = "LISTER",
        .doc = "The command the folders command runs to list your folders (POSIX mailx)."),
    DEF(MAILCAP_PATH, .name = "mailcap_path",
        STRING("~/.mailcap:/etc/mailcap:/usr/etc/mailcap:/usr/local/etc/mailcap"),
        .env = "MAILCAPS",
        .doc = "The mailcap files (RFC 1524), separated by colons, that say which "
               "program opens an attachment; the first match wins."),
    DEF(ENV_MBOX, .name = "MBOX", PATH("~/mbox"), .env = "MBOX",
        .doc = "Where read messages go when you leave the system mailbox, unless hold is "
               "set (POSIX mailx)."),
    DEF(MESSAGE_CACHE, .name = "message_cache", PATH(NULL),
        .doc = "The directory where message bodies fetched from servers are kept, so "
               "opening a message again needs no download.  Unset: bodies are not kept "
               "on disk."),
    DEF(METOO, .name = "metoo", BOOL("no"),
        .doc = "Keep yourself among the recipients when you reply to all or send to an "
               "alias that includes you (POSIX mailx)."),
    DEF(MIME_FORWARD, .name = "mime_forward", QUAD("no"),
        .doc = "How the TUI forwards a message: yes attaches the original whole (a "
               "message/rfc822 part, as received), no quotes its text inline, ask-yes and "
               "ask-no ask at each forward (as mutt's mime_forward)."),
    DEF(NEW_MAIL_COMMAND, .name = "new_mail_command", STRING(NULL),
        .doc = "A shell command run in the background when new mail arrives in the open "
               "folder, for example to show a desktop notification: %n is the number of "
               "new messages, %u the unread ones, %m all of them, %f the folder (quoted); "
               "its output is discarded."),
    DEF(NOTMUCH_DB, .name = "notmuch_db", PATH(NULL),
        .doc = "The notmuch database (the directory holding .notmuch).  Unset: the "
               "database.path of your notmuch configuration."),
    DEF(ONEHOP, .name = "onehop", BOOL("no"),
        .doc = "Accepted for POSIX mailx compatibility: it shortened recipient addresses "
               "on old networks and changes nothing in petrel."),
    DEF(OUTBOX, .name = "outbox", PATH("${XDG_STATE_HOME:-~/.local/state}/petrel/outbox"),
        .doc = "The maildir where a message for smtp_url waits until the server has "
               "taken it: every message goes there first, and stays when the server "
               "cannot be reached or answers \"try later\".  petrel --flush-outbox sends "
               "what waits there."),
    DEF(OUTFOLDER, .name = "outfolder", BOOL("no"),
        .doc = "Take a relative record file name as relative to folder instead of the "
               "current directory (POSIX mailx)."),
    DEF(PAGE, .name = "page", BOOL("no"),
        .doc = "With the pipe (|) command, put a form feed between messages (POSIX "
               "mailx)."),
    DEF(PAGER, .name = "pager", STRING("builtin"),
        .doc = "The program the full-screen interface shows messages with; builtin is "
               "petrel's own pager."),
    DEF(ENV_PAGER, .name = "PAGER", STRING("more"), .env = "PAGER",
        .doc = "The program that shows long messages on the command line (see crt) "
               "(POSIX mailx)."),
    DEF(POP3_ALLOW_PLAINTEXT, .name = "pop3_allow_plaintext", BOOL("no"),
        .doc = "Allow sending a POP3 password over a connection without TLS.  Leave it "
               "off unless the server is on this machine or a trusted network."),
    DEF(POP3_AUTH_MECHANISMS, .name = "pop3_auth_mechanisms", STRING(NULL),
        .doc = "The ways to log in to the POP3 server, separated by spaces or colons, in "
               "order: SASL mechanisms (SCRAM-SHA-256, CRAM-MD5, PLAIN...), APOP, and USER "
               "for USER and PASS.  Unset: the strongest the server offers."),
    DEF(POP3_CHECK_INTERVAL, .name = "pop3_check_interval", NUMBER("0", 0, 86400),
        .doc = "Every this many seconds the full-screen interface fetches new mail from "
               "the POP3 servers of the accounts (pop3_url) by itself, as G (fetch-mail) "
               "does, saying only what came or what failed; 0 fetches only on G."),
    DEF(POP3_DELETE, .name = "pop3_delete", BOOL("no"),
        .doc = "Delete messages from the POP3 server once they are stored locally; off, "
               "they stay on the server (see pop3_keep_days)."),
    DEF(POP3_KEEP_DAYS, .name = "pop3_keep_days", NUMBER("0", 0, 36500),
        .doc = "With pop3_delete off, delete messages from the POP3 server once they "
               "have been stored locally this many days ago; 0 keeps them forever."),
    DEF(POP3_PASS, .name = "pop3_pass", STRING(NULL), .flags = VAR_F_SECRET,
        .doc = "The POP3 password.  Prefer pop3_pass_command or ~/.netrc: a password in "
               "the configuration file is readable by anyone who can read the file."),
    DEF(POP3_PASS_COMMAND, .name = "pop3_pass_command", STRING(NULL),
        .doc = "A shell command that prints the POP3 password on its first line of "
               "output."),
    DEF(POP3_STARTTLS, .name = "pop3_starttls", ENUM("required", starttls_words),
        .doc = "For pop3:// servers: required refuses to go on when the server does not "
               "offer STLS, optional falls back to plain text, no never starts TLS.  "
               "pop3s:// always uses TLS."),
    DEF(POP3_URL, .name = "pop3_url", URL(pop3_schemes),
        .doc = "The POP3 server to fetch mail from, as pop3s://user@host or "
               "pop3://user@host; petrel --fetch delivers its mail into the notmuch "
               "store."),
    DEF(POP3_USER, .name = "pop3_user", STRING(NULL),
        .doc = "The POP3 login name, when pop3_url does not give one.  Unset: your login "
               "name on this machine."),
    DEF(POSTPONE, .name = "postpone", QUAD("ask-yes"),
        .doc = "Whether a message you stop composing is kept in postponed to finish "
               "later: yes, no (it is discarded), or ask-yes and ask-no to ask."),
    DEF(POSTPONED, .name = "postponed", FOLDER("~/postponed"),
        .doc = "The folder holding postponed messages (drafts)."),
    DEF(PROMPT, .name = "prompt", STRING("? "),
        .doc = "The prompt of the command mode of the mailx interface (POSIX mailx)."),
    DEF(QUERY_COMMAND, .name = "query_command", STRING(NULL),
        .doc = "A shell command that looks up addresses for completion in the TUI's "
               "address prompts (Tab), as mutt's: %s is replaced by the text to look up, "
               "already quoted for the shell (write %s, not '%s'); its output is one line "
               "of message, then one line per match: "
               "address, tab, name, tab, anything.  It is stopped after 5 seconds.  "
               "Example: abook --mutt-query %s."),
    DEF(QUIET, .name = "quiet", BOOL("no"),
        .doc = "Do not print the version line when the mailx interface starts (POSIX "
               "mailx)."),
    DEF(QUIT, .name = "quit", QUAD("yes"),
        .doc = "Whether q leaves the full-screen interface: yes, no (q does nothing), or "
               "ask-yes and ask-no to ask."),
    DEF(REALNAME, .name = "realname", STRING(NULL),
        .doc = "Your name, put with your address in the From header when from gives no "
               "name.  Unset: the name in the password database."),
    DEF(RECALL, .name = "recall", QUAD("ask-yes"),
        .doc = "Whether the TUI's new message (m) starts from a postponed one when the "
               "postponed folder has any: yes recalls, no never asks, ask-yes and ask-no "
               "ask (as mutt's recall)."),
    DEF(RECORD, .name = "record", FOLDER(NULL),
        .doc = "The folder where a copy of each message you send is saved (Fcc), for "
               "example +Sent or imaps://host/Sent.  Unset: when the folders are on IMAP "
               "(folder or spoolfile is an imap:// or imaps:// URL) and smtp_url is set, "
               "the copy goes to the folder the server marks for sent mail (RFC 6154 "
               "special use); otherwise no copy is kept."),
    DEF(REPLY_TO, .name = "reply_to", QUAD("ask-yes"),
        .doc = "Whether a reply goes to the Reply-To address when a message has one: "
               "yes, no (it goes to From), or ask-yes and ask-no to ask."),
    DEF(SAVE, .name = "save", BOOL("yes"),
        .doc = "Save an interrupted message composed on the command line in DEAD (POSIX "
               "mailx)."),
    DEF(SCREEN, .name = "screen", NUMBER(NULL, 1, 1000000),
        .doc = "The number of header lines the headers and z commands show.  Unset: "
               "what fits on the terminal (POSIX mailx)."),
    DEF(SEND_CHARSET, .name = "send_charset", STRING("us-ascii:utf-8"),
        .doc = "Character sets to try, in order and separated by colons, for the text of "
               "a message you send; the first that can represent the text is used."),
    DEF(SENDMAIL, .name = "sendmail", STRING("/usr/sbin/sendmail"),
        .doc = "The program that delivers messages when smtp_url is unset; it gets the "
               "recipients as arguments and the message on standard input."),
    DEF(SENDWAIT, .name = "sendwait", BOOL("no"),
        .doc = "Wait until a message has been sent before returning to the command "
               "prompt, and report failures there (POSIX mailx)."),
    DEF(ENV_SHELL, .name = "SHELL", STRING("/bin/sh"), .env = "SHELL",
        .doc = "The shell that runs ! commands and the commands of other variables."),
    DEF(SHOWTO, .name = "showto", BOOL("no"),
        .doc = "In header summaries, show the recipient instead of the sender for "
               "messages you sent (POSIX mailx)."),
    DEF(SIDEBAR_VISIBLE, .name = "sidebar_visible", BOOL("no"),
        .doc = "Show the folder list (the mailboxes command) in a column at the left of "
               "the full-screen interface."),
    DEF(SIDEBAR_WIDTH, .name = "sidebar_width", NUMBER("30", 1, 1000),
        .doc = "The width of the sidebar in columns."),
    DEF(SIGN, .name = "sign", STRING(NULL),
        .doc = "The text the ~a escape inserts into a message typed on the command line "
               "(POSIX mailx)."),
    DEF(SIGN_CAPITAL, .name = "Sign", STRING(NULL),
        .doc = "The text the ~A escape inserts into a message typed on the command line "
               "(POSIX mailx)."),
    DEF(SIGNATURE, .name = "signature", PATH("~/.signature"),
        .doc = "A file whose contents are appended to each new message, after a line "
               "holding \"-- \".  Nothing is appended when it does not exist."),
    DEF(SMTP_ALLOW_PLAINTEXT, .name = "smtp_allow_plaintext", BOOL("no"),
        .doc = "Allow an smtp:// server without TLS: STARTTLS is then used only when the "
               "server offers it, and a password may be sent in plain text.  Leave it off "
               "unless the server is on this machine or a trusted network."),
    DEF(SMTP_AUTH_MECHANISMS, .name = "smtp_auth_mechanisms", STRING(NULL),
        .doc = "The SASL mechanisms to try with the SMTP server, separated by spaces or "
               "colons, in order (for example \"SCRAM-SHA-256 PLAIN\").  Unset: the "
               "strongest the server offers."),
    DEF(SMTP_OAUTH_REFRESH_COMMAND, .name = "smtp_oauth_refresh_command", STRING(NULL),
        .doc = "A shell command that prints an OAuth 2 access token for the SMTP server; "
               "when set, petrel logs in with OAUTHBEARER or XOAUTH2."),
    DEF(SMTP_PARTIAL_SEND, .name = "smtp_partial_send", BOOL("no"),
        .doc = "Send a message when the server accepts some recipients but refuses "
               "others (the refused ones are reported); off, nothing is sent unless every "
               "recipient is accepted."),
    DEF(SMTP_PASS, .name = "smtp_pass", STRING(NULL), .flags = VAR_F_SECRET,
        .doc = "The SMTP password.  Prefer smtp_pass_command or ~/.netrc: a password in "
               "the configuration file is readable by anyone who can read the file."),
    DEF(SMTP_PASS_COMMAND, .name = "smtp_pass_command", STRING(NULL),
        .doc = "A shell command that prints the SMTP password on its first line of "
               "output."),
    DEF(SMTP_STARTTLS, .name = "smtp_starttls", ENUM("required", starttls_words),
        .doc = "For smtp:// servers: required refuses to go on when the server does not "
               "offer STARTTLS, optional falls back to plain text, no never starts TLS.  "
               "smtps:// always uses TLS."),
    DEF(SMTP_URL, .name = "smtp_url", URL(smtp_schemes),
        .doc = "The submission server to send mail through, as smtps://user@host (port "
               "465) or smtp://user@host:587 (STARTTLS).  Unset: mail is handed to "
               "sendmail."),
    DEF(SMTP_USER, .name = "smtp_user", STRING(NULL),
        .doc = "The SMTP login name, when smtp_url does not give one."),
    DEF(SORT, .name = "sort", ENUM("date", sort_words),
        .doc = "The order of the message list: by date, date-received, from, to, "
               "subject, size, threads or mailbox-order (as stored); put reverse- in "
               "front for the opposite order."),
    DEF(SPOOLFILE, .name = "spoolfile", FOLDER(NULL), .env = "MAIL",
        .doc = "Your incoming mailbox, opened when petrel starts without -f.  Unset: "
               "petrel opens the notmuch store."),
    DEF(TIMEOUT, .name = "timeout", NUMBER("60", 1, 3600),
        .doc = "Seconds to wait for a server to answer or accept data before the "
               "connection counts as lost.  Raise it on very slow links."),
    DEF(TLS_CA_FILE, .name = "tls_ca_file", PATH(NULL),
        .doc = "A file of PEM certificates trusted to sign server certificates, for a "
               "private certificate authority.  Unset: the system's trusted "
               "certificates."),
    DEF(TLS_VERIFY, .name = "tls_verify", BOOL("yes"),
        .doc = "Check that a server's certificate is valid and names the server.  "
               "Turning it off lets anyone on the network read your mail and password; "
               "use tls_ca_file for a private authority instead."),
    DEF(TOPLINES, .name = "toplines", NUMBER("5", 0, 1000000),
        .doc = "How many lines of each message the top command shows (POSIX mailx)."),
    DEF(USE_FROM, .name = "use_from", BOOL("yes"),
        .doc = "Put a From header in messages you send; off, the delivery program or "
               "server supplies it."),
    DEF(VISUAL, .name = "visual", STRING("vi"), .env = "VISUAL:EDITOR",
        .doc = "The editor the ~v escape runs when composing on the command line."),
    DEF(ENV_VISUAL, .name = "VISUAL", STRING("vi"), .env = "VISUAL",
        .doc = "The screen editor POSIX mailx runs for ~v; petrel reads visual, whose "
               "default comes from this."),
    DEF(WAIT_KEY, .name = "wait_key", BOOL("yes"),
        .doc = "After a shell command run from the full-screen interface, wait for a key "
               "before redrawing the screen."),
};

/* clang-format on */

static const struct var_synonym synonyms[] = {
    {"ask", VAR_ASKSUB},
};

const struct var_def *
vars_def(enum var_id id)
{
	return &vars[id];
}

int
vars_lookup(const char *name)
{
	for (size_t i = 0; i < VAR_COUNT; i++)
		if (vars[i].name != NULL && strcmp(vars[i].name, name) == 0)
			return (int)i;
	for (size_t i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++)
		if (strcmp(synonyms[i].name, name) == 0)
			return (int)synonyms[i].id;
	return -1;
}

const struct var_synonym *
vars_synonyms(size_t *count_r)
{
	*count_r = sizeof(synonyms) / sizeof(synonyms[0]);
	return synonyms;
}

const char *
vars_type_name(enum var_type type)
{
	static const char *const names[VAR_T_COUNT] = {
	    [VAR_T_BOOL] = "boolean", [VAR_T_NUMBER] = "number",    [VAR_T_STRING] = "string",
	    [VAR_T_PATH] = "path",    [VAR_T_FOLDER] = "folder",    [VAR_T_URL] = "URL",
	    [VAR_T_ENUM] = "word",    [VAR_T_QUAD] = "quad-option",
	};

	return (unsigned)type < VAR_T_COUNT ? names[type] : "?";
}

/* Optimal string alignment distance, ignoring case, capped at cap + 1. */
static size_t
edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t rows[3][64], *pp, *p, *c;

	if (la >= 63 || lb >= 63)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	pp = rows[0];
	p = rows[1];
	c = rows[2];
	for (size_t j = 0; j <= lb; j++)
		p[j] = j;
	for (size_t i = 1; i <= la; i++) {
		c[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]),
			    cb = tolower((unsigned char)b[j - 1]);
			size_t cost = ca != cb;
			size_t best = p[j - 1] + cost;

			if (p[j] + 1 < best)
				best = p[j] + 1;
			if (c[j - 1] + 1 < best)
				best = c[j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			c[j] = best;
		}
		{
			size_t *t = pp;

			pp = p;
			p = c;
			c = t;
		}
	}
	return p[lb];
}

static void
consider(const char *name, const char *candidate, const char **best_r, size_t *best_d)
{
	size_t len = strlen(name);
	/* Short names are easily close to anything: allow fewer edits. */
	size_t cap = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	size_t d = edit_distance(name, candidate, cap);

	if (d <= cap && d < *best_d) {
		*best_d = d;
		*best_r = candidate;
	}
}

const char *
vars_suggest_from(const char *name, const char *const *candidates)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;

	for (size_t i = 0; candidates[i] != NULL; i++)
		consider(name, candidates[i], &best, &best_d);
	return best;
}

const char *
vars_suggest(const char *name)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;

	for (size_t i = 0; i < VAR_COUNT; i++)
		consider(name, vars[i].name, &best, &best_d);
	for (size_t i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++)
		consider(name, synonyms[i].name, &best, &best_d);
	return best;
}
