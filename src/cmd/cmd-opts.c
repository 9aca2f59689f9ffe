#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base-xalloc.h"
#include "cmd/cmd-opts.h"

static void
push(const char ***arr, size_t *n, const char *s)
{
	*arr = xreallocarray(*arr, *n + 1, sizeof(**arr));
	(*arr)[(*n)++] = s;
}

/* Long options: only the GNU-style ones petrel adds to mailx's set. */
static int
parse_long(const char *arg, int argc, char **argv, int *i, struct cmd_opts *o, struct err *err)
{
	if (strcmp(arg, "--version") == 0) {
		o->version = 1;
		return 0;
	}
	if (strcmp(arg, "--help") == 0) {
		o->help = 1;
		return 0;
	}
	if (strcmp(arg, "--init-store") == 0) {
		o->init_store = 1;
		return 0;
	}
	if (strcmp(arg, "--flush-outbox") == 0) {
		o->flush_outbox = 1;
		return 0;
	}
	/* POP3: --fetch ACCOUNT|URL [--delete] */
	if (strncmp(arg, "--fetch=", 8) == 0 || strcmp(arg, "--fetch") == 0) {
		if (arg[7] == '=') {
			o->fetch = arg + 8;
		} else if (*i + 1 < argc) {
			o->fetch = argv[++*i];
		}
		if (o->fetch == NULL || *o->fetch == '\0')
			return err_set(err, ERR_USAGE,
				       "option --fetch needs an account name or a pop3:// URL");
		return 0;
	}
	if (strcmp(arg, "--delete") == 0) {
		o->fetch_delete = 1;
		return 0;
	}
	if (strncmp(arg, "--to=", 5) == 0 || strcmp(arg, "--to") == 0) {
		if (arg[4] == '=')
			o->fetch_to = arg + 5;
		else if (*i + 1 < argc)
			o->fetch_to = argv[++*i];
		if (o->fetch_to == NULL || *o->fetch_to == '\0')
			return err_set(err, ERR_USAGE, "option --to needs a maildir");
		return 0;
	}
	if (strncmp(arg, "--config=", 9) == 0) {
		o->config_file = arg + 9;
		return 0;
	}
	if (strcmp(arg, "--config") == 0) {
		if (*i + 1 >= argc)
			return err_set(err, ERR_USAGE, "option --config needs a file name");
		o->config_file = argv[++*i];
		return 0;
	}
	return err_set(err, ERR_USAGE, "unknown option %s (petrel --help lists them)", arg);
}

int
cmd_opts_parse(int argc, char **argv, struct cmd_opts *o, struct err *err)
{
	int i, only_operands = 0;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		size_t j;

		if (only_operands || arg[0] != '-' || arg[1] == '\0') {
			push(&o->operands, &o->noperands, arg);
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_operands = 1;
			continue;
		}
		if (arg[1] == '-') {
			if (parse_long(arg, argc, argv, &i, o, err) < 0)
				return -1;
			continue;
		}
		for (j = 1; arg[j] != '\0'; j++) {
			char c = arg[j];
			const char *val = NULL;

			if (strchr("sacbrSud", c) != NULL) {
				if (arg[j + 1] != '\0')
					val = arg + j + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return err_set(err, ERR_USAGE, "option -%c needs an argument", c);
			}
			switch (c) {
			case 's': o->subject = val; break;
			case 'a': push(&o->attach, &o->nattach, val); break;
			case 'c': push(&o->cc, &o->ncc, val); break;
			case 'b': push(&o->bcc, &o->nbcc, val); break;
			case 'r': o->from = val; break;
			case 'S': push(&o->vars, &o->nvars, val); break;
			case 'u': o->user = val; break;
			case 'd': o->debug_file = val; break;
			case 'e': o->check = 1; break;
			case 'H': o->headers_only = 1; break;
			case 'f': o->folder_flag = 1; break;
			case 'N': o->no_header = 1; break;
			case 'n': o->no_sysrc = 1; break;
			case 'i': o->ignore_int = 1; break;
			case 'F': o->record = 1; break;
			case 'h':
				o->help = 1;
				break;
			default:
				return err_set(err, ERR_USAGE,
					       "unknown option -%c (petrel --help lists them)", c);
			}
			if (val != NULL)
				break;
		}
	}
	if (o->version || o->help)
		return 0;
	if (o->init_store && (o->noperands > 0 || o->folder_flag || o->check || o->headers_only ||
			      o->user != NULL || o->subject != NULL))
		return err_set(err, ERR_USAGE, "--init-store takes no folder, address or mode option");
	if (o->flush_outbox &&
	    (o->init_store || o->noperands > 0 || o->folder_flag || o->check || o->headers_only ||
	     o->user != NULL || o->subject != NULL || o->nattach || o->ncc || o->nbcc))
		return err_set(err, ERR_USAGE,
			       "--flush-outbox takes no folder, address or mode option");
	if (o->fetch_delete && o->fetch == NULL)
		return err_set(err, ERR_USAGE, "--delete goes with --fetch");
	if (o->fetch_to != NULL && o->fetch == NULL)
		return err_set(err, ERR_USAGE, "--to goes with --fetch");
	if (o->fetch != NULL &&
	    (o->init_store || o->noperands > 0 || o->folder_flag || o->check || o->headers_only ||
	     o->user != NULL || o->subject != NULL || o->nattach || o->ncc || o->nbcc))
		return err_set(err, ERR_USAGE, "--fetch takes no folder, address or mode option");
	if (o->folder_flag && o->user != NULL)
		return err_set(err, ERR_USAGE, "-f and -u cannot be used together");
	if (o->folder_flag && o->noperands > 1)
		return err_set(err, ERR_USAGE, "-f takes one folder, not %zu", o->noperands);
	if (!o->folder_flag && o->noperands > 0 &&
	    (o->check || o->headers_only || o->no_header || o->user != NULL))
		return err_set(err, ERR_USAGE,
			       "receive-mode options (-e, -H, -N, -u) cannot be used with addresses");
	if (o->noperands == 0 && !o->folder_flag &&
	    (o->subject != NULL || o->nattach || o->ncc || o->nbcc))
		return err_set(err, ERR_USAGE, "no recipient given (-s, -a, -c and -b are for sending)");
	return 0;
}

void
cmd_opts_clear(struct cmd_opts *o)
{
	free(o->attach);
	free(o->cc);
	free(o->bcc);
	free(o->vars);
	free(o->operands);
	memset(o, 0, sizeof(*o));
}

enum cmd_face
cmd_opts_face(const struct cmd_opts *o, int stdin_tty, int stdout_tty)
{
	if (o->help)
		return CMD_FACE_HELP;
	if (o->version)
		return CMD_FACE_VERSION;
	if (o->init_store)
		return CMD_FACE_INIT_STORE;
	if (o->fetch != NULL)
		return CMD_FACE_FETCH;
	if (o->flush_outbox)
		return CMD_FACE_FLUSH_OUTBOX;
	if (o->noperands > 0 && !o->folder_flag)
		return CMD_FACE_SEND;
	if (o->check || o->headers_only || o->folder_flag || o->no_header || o->user != NULL)
		return CMD_FACE_MAILX;
	if (!stdin_tty || !stdout_tty)
		return CMD_FACE_MAILX;
	return CMD_FACE_TUI;
}

const char *
cmd_opts_usage(void)
{
	return "usage: petrel [-iNn] [-s subject] [-a file]... [-c addresses] [-b addresses]\n"
	       "              [-r from] [-S var[=value]]... [-d tracefile] address...\n"
	       "       petrel -e [-n] [-f [folder] | -u user]\n"
	       "       petrel [-HiNnF] [-S var[=value]]... [-d tracefile] [-u user]\n"
	       "       petrel -f [-HiNnF] [-S var[=value]]... [-d tracefile] [folder]\n"
	       "       petrel --init-store [-S notmuch_db=dir]\n"
	       "       petrel --flush-outbox [-S var[=value]]... [-d tracefile]\n"
	       "       petrel --fetch account|pop3[s]://user@host [--delete] [--to maildir]\n"
	       "              [-S var[=value]]...\n"
	       "       petrel --version | --help\n"
	       "\n"
	       "Send mode (addresses given) reads the message body from standard input.\n"
	       "  -s subject   subject of the message\n"
	       "  -a file      attach a file (repeatable)\n"
	       "  -c addrs     carbon copies to a comma-separated list\n"
	       "  -b addrs     blind carbon copies (never shown in the headers)\n"
	       "  -r from      sender address (also the envelope sender)\n"
	       "Receive mode reads a folder: $MAIL or the system mailbox by default.\n"
	       "  -e           exit 0 if there is mail, 1 if not, printing nothing\n"
	       "  -H           print the header summary and exit\n"
	       "  -f [folder]  read folder (default: the mbox variable, ~/mbox);\n"
	       "               a path, +name under $folder, or an imap://, pop3://,\n"
	       "               notmuch:// URL\n"
	       "  -u user      read user's system mailbox\n"
	       "  -N           no header summary at start\n"
	       "  -F           record outgoing messages in a file named after the recipient\n"
	       "Everywhere:\n"
	       "  -n           do not read the system-wide start-up file\n"
	       "  -i           ignore interrupts\n"
	       "  -S var=value set a variable after the start-up files are read\n"
	       "  -d file      write a protocol trace to file\n"
	       "  --config file  read this petrel config file instead of the default\n"
	       "  --init-store   create the notmuch database and its maildir, and say where\n"
	       "  --flush-outbox send the messages waiting in the outbox (smtp_url)\n"
	       "  --fetch what   fetch new mail from a POP3 server into the notmuch store\n"
	       "  --delete       with --fetch: delete it from the server once stored\n"
	       "  --to maildir   with --fetch: deliver into this maildir, without notmuch\n"
	       "See petrel(1) for the commands of command mode.\n";
}
