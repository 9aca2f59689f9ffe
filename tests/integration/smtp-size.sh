#!/bin/sh
# A server with a small SIZE limit: a larger message is refused before
# anything of it is sent, with a sentence saying both sizes, and kept in
# dead.letter; a message that fits goes through.
HARNESS_SMTP_SIZE_LIMIT=20000
export HARNESS_SMTP_SIZE_LIMIT
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/smtp-lib.sh"

printf 'a message with a large attachment\n' >body.txt
head -c 40000 /dev/zero | tr '\0' 'x' >big.txt

pt -d trace -S "smtp_url=$SUBMISSION" -s "too large" -a big.txt bob@petrel.test <body.txt
check_eq "too large: exit 1" "$rc" 1
check_eq "too large: one line" "$(printf '%s\n' "$errout" | wc -l | tr -d ' ')" 1
check_contains "too large: says both sizes and names the server" "$errout" \
	"server $H:$HARNESS_SUBMISSION_PORT accepts at most 20 KB"
check_contains "too large: saved in dead.letter" "$errout" "saved in $HOME/dead.letter"
check_eq "too large: dead.letter holds it" "$(grep -c '^Subject: too large' "$HOME/dead.letter")" 1
check "too large: no MAIL FROM was sent" sh -c "! grep -q 'C: MAIL FROM' trace"
check_contains "too large: the server's SIZE was read over TLS" "$(cat trace)" "S: 250-SIZE 20000"
check_eq "too large: not in the outbox" "$(outbox_count)" 0

pt -S "smtp_url=$SUBMISSION" -s "small enough" bob@petrel.test <body.txt
check_eq "small enough: exit 0" "$rc:$errout" "0:"
check "small enough: delivered" harness_wait_mail bob 1 20

finish
