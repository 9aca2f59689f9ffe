#!/bin/sh
# Sending through the harness's real Postfix: submission with STARTTLS and
# smtps with implicit TLS, each SASL mechanism the server offers, a
# message with a non-ASCII subject and an attachment that reads back
# byte-identical over IMAPS, Bcc in the envelope only, copies in local
# record folders, and one connection for a batch of messages.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/smtp-lib.sh"

printf 'Guten Tag,\n\ncaf\303\251 und \342\202\254\n.\n..two dots\nthe end\n' >body.txt
"$HARNESS_PYTHON" -c 'import os, sys; sys.stdout.buffer.write(bytes(range(256)) * 40 + os.urandom(3000))' \
	>blob.bin
subject='Grüße aus Köln — ✓'

# --- STARTTLS, the default mechanism, attachment, Bcc, record ---
pt -d trace1 -S "smtp_url=$SUBMISSION" -S "record=$T/sent.mbox" -s "$subject" -a blob.bin \
	-b carol@petrel.test bob@petrel.test <body.txt
check_eq "submission: exit 0" "$rc" 0
check_eq "submission: nothing on stderr" "$errout" ""
check "submission: bob's copy arrives" harness_wait_mail bob 1 20
check "submission: carol (Bcc) gets it too" harness_wait_mail carol 1 20
check_eq "submission: the outbox is empty again" "$(outbox_count)" 0
fetch bob 1 bob1.eml || bail "cannot fetch bob's message"
fetch carol 1 carol1.eml || bail "cannot fetch carol's message"
check_eq "the subject decodes back" \
	"$(pyrun bob1.eml 'print(m["Subject"])')" "$subject"
check_eq "the body reads back byte-identical" \
	"$(pyrun bob1.eml 'import sys; sys.stdout.buffer.write(m.get_body(("plain",)).get_content().encode())' | od -An -tx1)" \
	"$(od -An -tx1 <body.txt)"
check_eq "the attachment reads back byte-identical" \
	"$(pyrun bob1.eml '
for p in m.iter_attachments():
    if p.get_filename() == "blob.bin":
        print(p.get_payload(decode=True).hex())')" \
	"$(od -An -v -tx1 blob.bin | tr -d ' \n')"
check_eq "no Bcc header in bob's copy" "$(pyrun bob1.eml 'print(m["Bcc"])')" "None"
check_eq "no Bcc header in carol's copy" "$(pyrun carol1.eml 'print(m["Bcc"])')" "None"
check "carol's address is in no header of her copy" \
	sh -c "! sed '/^\$/q' carol1.eml | grep -qi carol@petrel.test"
check_eq "record: one copy in the mbox" "$(grep -c '^From ' sent.mbox)" 1
check "record: no Bcc and no envelope block in the copy" \
	sh -c "! grep -Eqi '^(Bcc|X-Petrel-)' sent.mbox"
check "record: the copy is the message sent" grep -q '^Subject: =?' sent.mbox
trace=$(cat trace1)
check_contains "trace: STARTTLS" "$trace" "C: STARTTLS"
check_contains "trace: the default mechanism is the strongest, SCRAM-SHA-256" "$trace" \
	"C: AUTH SCRAM-SHA-256 <secret>"
check "trace: the password never appears" sh -c "! grep -q alice-secret trace1"
check_contains "trace: MAIL FROM is the From address" "$trace" "C: MAIL FROM:<alice@petrel.test>"
check_contains "trace: RCPT for the Bcc recipient" "$trace" "C: RCPT TO:<carol@petrel.test>"

# --- smtps, and a maildir record ---
pt -d trace2 -S "smtp_url=$SMTPS" -S "record=maildir://$T/Sent" -r alice@petrel.test \
	-s "implicit TLS" bob@petrel.test <body.txt
check_eq "smtps: exit 0" "$rc" 0
check "smtps: it arrives" harness_wait_mail bob 2 20
check "smtps: no STARTTLS on an implicit TLS port" sh -c "! grep -q 'C: STARTTLS' trace2"
check_contains "smtps: -r is the envelope sender" "$(cat trace2)" "C: MAIL FROM:<alice@petrel.test>"
check_eq "smtps: the maildir record holds the copy" \
	"$(find "$T/Sent/new" "$T/Sent/cur" -type f | wc -l | tr -d ' ')" 1

# --- every mechanism the server offers (Postfix through Dovecot SASL) ---
n=2
for mech in SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN; do
	pt -d "trace-$mech" -S "smtp_url=$SUBMISSION" -S "smtp_auth_mechanisms=$mech" \
		-s "mechanism $mech" bob@petrel.test <body.txt
	n=$((n + 1))
	check_eq "AUTH $mech: exit 0" "$rc" 0
	check_contains "AUTH $mech: used" "$(cat "trace-$mech")" "C: AUTH $mech"
	check "AUTH $mech: delivered" harness_wait_mail bob "$n" 20
	check "AUTH $mech: the password never appears in the trace" \
		sh -c "! grep -q alice-secret trace-$mech"
done
# The password from smtp_pass or smtp_pass_command instead of the URL;
# mechanisms listed with colons.
pt -S "smtp_url=smtp://alice@$H:$HARNESS_SUBMISSION_PORT" -S smtp_pass=alice-secret \
	-S "smtp_auth_mechanisms=CRAM-MD5:PLAIN" -s "smtp_pass" bob@petrel.test <body.txt
n=$((n + 1))
check_eq "smtp_pass: exit 0" "$rc" 0
check "smtp_pass: delivered" harness_wait_mail bob "$n" 20
pt -S "smtp_url=smtp://alice@$H:$HARNESS_SUBMISSION_PORT" -S "smtp_pass_command=echo alice-secret" \
	-s "smtp_pass_command" bob@petrel.test <body.txt
n=$((n + 1))
check_eq "smtp_pass_command: exit 0" "$rc" 0
check "smtp_pass_command: delivered" harness_wait_mail bob "$n" 20

# --- a batch of messages from command mode on one connection ---
: >empty.mbox
{
	for i in 1 2 3 4 5; do
		printf 'mail bob@petrel.test\n~s batch %s\nmessage %s of the batch\n~.\n' "$i" "$i"
	done
} >script
pt -N -d trace3 -S "smtp_url=$SUBMISSION" -f empty.mbox <script
n=$((n + 5))
check_eq "batch: exit 0" "$rc" 0
check "batch: five messages arrive" harness_wait_mail bob "$n" 30
check_eq "batch: one connection" "$(grep -c ': connected to ' trace3)" 1
check_eq "batch: one login" "$(grep -c 'C: AUTH ' trace3)" 1
check_eq "batch: five transactions" "$(grep -c 'C: MAIL FROM:' trace3)" 5
check_eq "batch: the outbox is empty" "$(outbox_count)" 0

finish
