#!/bin/sh
# Fcc to the IMAP account's Sent folder: with no record and the folders
# on IMAP (spoolfile is an imaps:// URL), a sent message is appended to
# the folder the server marks \Sent (RFC 6154), byte-identical; with no
# folder so marked there is no copy and no error; a record set wins.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/smtp-lib.sh"

printf 'Hallo,\n\ncaf\303\251 \342\202\254\n.\n..two dots\nthe end\n' >body.txt
SPOOL="imaps://alice:alice-secret@$H:$HARNESS_IMAPS_PORT/INBOX"

# sent_box OP [N FILE]: "count" prints how many messages alice's Sent
# holds ("none" when there is no such folder); "fetch" saves message N
# into FILE; "flags" prints message N's flags.
sent_box() {
	"$HARNESS_PYTHON" - "$@" <<'EOP'
import imaplib, os, ssl, sys
ctx = ssl.create_default_context(cafile=os.environ["HARNESS_CA"])
imap = imaplib.IMAP4_SSL(os.environ["HARNESS_HOST"], int(os.environ["HARNESS_IMAPS_PORT"]),
                         ssl_context=ctx)
imap.login("alice", "alice-secret")
typ, data = imap.select("Sent", readonly=True)
if typ != "OK":
    print("none")
elif sys.argv[1] == "count":
    print(int(data[0]))
elif sys.argv[1] == "fetch":
    typ, data = imap.fetch(sys.argv[2], "(BODY.PEEK[])")
    with open(sys.argv[3], "wb") as f:
        f.write(data[0][1])
else:
    typ, data = imap.fetch(sys.argv[2], "(FLAGS)")
    print(data[0].decode())
imap.logout()
EOP
}

sent=0

# --- no folder is marked \Sent: no copy, no error ---
pt -d trace1 -S "smtp_url=$SUBMISSION" -S "spoolfile=$SPOOL" -s "no Sent yet" \
	bob@petrel.test <body.txt
sent=$((sent + 1))
check_eq "no \\Sent folder: exit 0, nothing on stderr" "$rc:$errout" "0:"
check "no \\Sent folder: delivered" harness_wait_mail bob "$sent" 20
check_eq "no \\Sent folder: none was made" "$(sent_box count)" none
check_contains "no \\Sent folder: a notice in the debug trace" "$(cat trace1)" \
	"marks no folder \\Sent: no copy"
check_eq "no \\Sent folder: the outbox is empty" "$(outbox_count)" 0

# --- Sent exists and the server marks it \Sent ---
harness_doveadm mailbox create -u alice Sent || bail "doveadm could not create Sent"
pt -d trace2 -S "smtp_url=$SUBMISSION" -S "spoolfile=$SPOOL" -s "copy to Sent" \
	bob@petrel.test <body.txt
sent=$((sent + 1))
check_eq "\\Sent: exit 0, nothing on stderr" "$rc:$errout" "0:"
check "\\Sent: delivered" harness_wait_mail bob "$sent" 20
check_eq "\\Sent: one copy in alice's Sent" "$(sent_box count)" 1
check_eq "\\Sent: the outbox is empty" "$(outbox_count)" 0
check_contains "\\Sent: found through LIST with the special-use attributes" "$(cat trace2)" \
	"SPECIAL-USE"
check "\\Sent: the password never appears in the trace" sh -c "! grep -q alice-secret trace2"
sent_box fetch 1 sent1.eml
fetch bob "$sent" bob.eml || bail "cannot fetch bob's message"
check_eq "\\Sent: the copy's subject" "$(pyrun sent1.eml 'print(m["Subject"])')" "copy to Sent"
check_eq "\\Sent: the copy's body is byte-identical to what was written" \
	"$(pyrun sent1.eml 'import sys; sys.stdout.buffer.write(m.get_body(("plain",)).get_content().encode())' | od -An -tx1)" \
	"$(od -An -tx1 <body.txt)"
check_eq "\\Sent: and to what bob received" \
	"$(pyrun sent1.eml 'import sys; sys.stdout.buffer.write(m.get_body(("plain",)).get_content().encode())' | od -An -tx1)" \
	"$(pyrun bob.eml 'import sys; sys.stdout.buffer.write(m.get_body(("plain",)).get_content().encode())' | od -An -tx1)"
check_contains "\\Sent: the copy is marked seen" "$(sent_box flags 1)" "\\Seen"

# --- a batch: every message of the run gets its copy ---
printf 'From a@b Mon Jan  1 00:00:00 2024\nSubject: box\n\nx\n\n' >box
printf 'set dot\nmail bob@petrel.test\nfirst of two\n.\nmail bob@petrel.test\nsecond of two\n.\nexit\n' \
	>batch.in
pt -S "smtp_url=$SUBMISSION" -S "spoolfile=$SPOOL" -N -f box <batch.in
sent=$((sent + 2))
check_eq "batch: exit 0" "$rc:$errout" "0:"
check "batch: delivered" harness_wait_mail bob "$sent" 20
check_eq "batch: both copies in Sent" "$(sent_box count)" 3

# --- record set: the copy goes there, not to Sent ---
pt -S "smtp_url=$SUBMISSION" -S "spoolfile=$SPOOL" -S "record=$T/sent.mbox" \
	-s "copy to record" bob@petrel.test <body.txt
sent=$((sent + 1))
check_eq "record: exit 0" "$rc:$errout" "0:"
check "record: delivered" harness_wait_mail bob "$sent" 20
check_eq "record: the copy is in the mbox" "$(grep -c '^Subject: copy to record' sent.mbox)" 1
check_eq "record: and not in Sent" "$(sent_box count)" 3

# --- local folders: no IMAP account, no copy ---
pt -S "smtp_url=$SUBMISSION" -S "spoolfile=$T/local.mbox" -s "local folders" \
	bob@petrel.test <body.txt
sent=$((sent + 1))
check_eq "local folders: exit 0" "$rc:$errout" "0:"
check_eq "local folders: nothing in Sent" "$(sent_box count)" 3

# --- the server is down when the copy is due: sent, the copy waits ---
# (an IMAP port nobody listens on), then a flush makes it.
dead_port=$("$HARNESS_PYTHON" "$top_srcdir/tests/harness/harness-net.py" ports 1)
pt -S "smtp_url=$SUBMISSION" -S connect_timeout=5 \
	-S "spoolfile=imaps://alice:alice-secret@$H:$dead_port/INBOX" -s "copy later" \
	bob@petrel.test <body.txt
sent=$((sent + 1))
check_eq "copy fails: exit 1" "$rc" 1
check_contains "copy fails: says the Sent copy is missing" "$errout" "Sent folder"
check "copy fails: delivered all the same" harness_wait_mail bob "$sent" 20
check_eq "copy fails: the message waits in the outbox" "$(outbox_count)" 1
pt -S "smtp_url=$SUBMISSION" -S "spoolfile=$SPOOL" --flush-outbox
check_eq "copy fails: the flush exits 0" "$rc:$errout" "0:"
check_eq "copy fails: the flush made the copy" "$(sent_box count)" 4
check_eq "copy fails: the outbox is empty" "$(outbox_count)" 0
sleep 1
check_eq "copy fails: the flush did not send it again" "$(inbox bob)" "$sent"

finish
