#!/bin/sh
# petrel --fetch and --delete on the command line: what is refused, in one
# line with status 1, before any server is asked.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cli/lib.sh"

one_line_error() {
	out=$(pt "$@" 2>&1 </dev/null)
	rc=$?
	[ "$rc" -eq 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
		case $out in petrel:*) true ;; *) false ;; esac
}

check "--delete without --fetch" one_line_error --delete
check "--fetch without a server" one_line_error --fetch
check "--fetch= without a server" one_line_error --fetch=
check "--fetch with -f" one_line_error --fetch pop3://u@h/ -f box
check "--fetch with addresses" one_line_error --fetch pop3://u@h/ someone@example.org
check "--fetch of an unknown account" one_line_error --fetch nosuch
check_contains "--fetch of an unknown account: says so" "$out" "no account named nosuch"
check "--fetch of an IMAP URL" one_line_error --fetch imap://u@h/
check "--fetch of a URL without a server" one_line_error --fetch pop3:///
mkdir -p "$XDG_CONFIG_HOME/petrel"
printf 'account work {\n\tset imap_user=x\n}\n' >"$XDG_CONFIG_HOME/petrel/config"
check "--fetch of an account without pop3_url" one_line_error --fetch work
check_contains "--fetch of an account without pop3_url: says so" "$out" \
	"account work has no pop3_url"
# A server that is not there: one line naming it, status 1.
check "--fetch of a server that does not answer" one_line_error \
	-S connect_timeout=2 --fetch "pop3s://u:p@127.0.0.1:1/"
check_contains "--fetch of a server that does not answer: names it" "$out" "127.0.0.1:1"
check_contains "--help lists --fetch" "$(pt --help)" "--fetch"
check_contains "--version lists pop3" "$(pt --version)" "+pop3"

finish
