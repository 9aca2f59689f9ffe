#!/bin/sh
# New mail and changes made by other programs, seen without a key press:
# a maildir gaining a file (with the status-line message and
# new_mail_command), an mbox growing, flags changed and a message removed by another
# client (the cursor, tags and limit stay), and the folder browser's
# counts for maildirs and mboxes, counted by a worker and updated when
# mail arrives.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

mail="$T/Mail"
mkdir -p "$mail"
make_sample "$mail/inbox"
mkdir -p "$mail/second/cur" "$mail/second/new" "$mail/second/tmp"
cp "$top_srcdir/contrib/sample/cur-06-FS.eml" "$mail/second/cur/1.1.test:2,FS"
cp "$top_srcdir/contrib/sample/new-05.eml" "$mail/second/new/2.1.test"
make_mbox "cur-1*.eml" "$mail/lists.mbox"
cat > "$T/notify" <<EOS
#!/bin/sh
echo "\$*" >> '$T/notified'
EOS
chmod +x "$T/notify"

# A message delivered as a mail delivery agent does: tmp/, then new/.
deliver() {
	cat > "$1/tmp/$2" <<EOM
From: Carol <carol@example.org>
To: You <you@example.org>
Subject: $3
Date: Tue, 06 Jan 2026 10:00:00 -0000
Message-ID: <$2@example.org>

Delivered while petrel was open.
EOM
	mv "$1/tmp/$2" "$1/new/$2"
}

# The cursor line without its number (numbers move when mail comes).
cursor_msg() {
	cursor_line | sed 's/^ *[0-9]* *//'
}
# The cursor is on the message it was on when `before` was taken.
same_cursor() {
	[ "$(cursor_msg)" = "$before" ]
}

tui_start -S "folder=$mail" -S "spoolfile=+inbox" -S beep_new \
	-S "new_mail_command=$T/notify %n %u %m %f"
check "the inbox opens" wait_for "[Msgs:35 New:11 Flag:3]"
keys j j j t
check "a message is tagged" wait_for "Tag:1]"
keys k
sleep 0.3
before=$(cursor_msg)
echo "# cursor on: $before"

deliver "$mail/inbox" 1767300000.arrival.test "Local arrival one"
check "new mail shows without a key press" wait_for "Local arrival one"
check "the index counts it" wait_for "[Msgs:36 New:12 Flag:3 Tag:1]"
check "the status line says so" wait_for "1 new message in $mail/inbox."
check "new_mail_command runs with %n %u %m %f" \
	wait_until grep -qx "1 12 36 $mail/inbox" "$T/notified"
check "the cursor stayed on its message" wait_until same_cursor

# Another client flags a message: the row changes in place.
f=$(grep -l "^Subject: Release plan for 0.2" "$mail"/inbox/cur/*)
mv "$f" "${f%:2,*}:2,FS"
check "a flag set elsewhere shows" wait_for "Flag:4 Tag:1]"
check "the cursor stays on its message when flags change" wait_until same_cursor

# Another client removes a message: everything is read again, and the
# cursor, the tag and the numbering follow.
f=$(grep -l "^Subject: Release plan for 0.2" "$mail"/inbox/cur/*)
rm "$f"
check "a message removed elsewhere goes" wait_for "[Msgs:35 New:12 Flag:3 Tag:1]"
check "the status line says the folder was read again" wait_for "changed elsewhere"
check "the cursor is still on its message" wait_until same_cursor

# The browser: every folder with its counts.
keys y
check "y lists the folders" wait_for "lists.mbox"
check "the open folder has the index's counts" wait_for "inbox  (35 messages, 12 unread)"
check "another maildir is counted" wait_for "second  (2 messages, 1 unread)"
check "an mbox is counted" wait_for "lists.mbox  (6 messages, 0 unread)"
deliver "$mail/inbox" 1767300001.arrival.test "Local arrival two"
check "counts follow new mail while the browser is shown" \
	wait_for "inbox  (36 messages, 13 unread)"
check "new_mail_command ran again" wait_until grep -qx "1 13 36 $mail/inbox" "$T/notified"
keys q
check "back in the index" wait_for "Local arrival two"

# An mbox gaining a message at its end, as a delivery agent appends it.
keys c "+lists.mbox" Enter
check "the mbox opens" wait_for "[Msgs:6]"
cat >> "$mail/lists.mbox" <<'EOM'
From carol@example.org Tue Jan  6 10:00:00 2026
From: Carol <carol@example.org>
To: You <you@example.org>
Subject: Appended to the mbox
Date: Tue, 06 Jan 2026 10:00:00 -0000
Message-ID: <appended.mbox@example.org>

Appended while petrel was open.

EOM
check "mail appended to an mbox shows without a key press" wait_for "Appended to the mbox"
check "the mbox counts it" wait_for "[Msgs:7 New:1]"
keys x y
check "leave" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
