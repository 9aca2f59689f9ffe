#!/bin/sh
# Parts of messages: the attachment list, saving (a hostile file name
# stays in the chosen directory), viewing through mailcap with every
# substitution quoted, HTML through a converter, piping a message.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

md="$T/md"
mkdir -p "$md/cur" "$md/new" "$md/tmp" "$T/dl" "$T/bin"
cat > "$md/cur/1.1.test:2,S" <<'EOM'
From: Mallory <mallory@example.org>
To: you@example.org
Subject: Hostile parts
Date: Mon, 02 Feb 2026 10:00:00 +0000
Message-ID: <hostile@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

See the attachments.
--b
Content-Type: text/plain; name="../../evil.sh"
Content-Disposition: attachment; filename="../../evil.sh"

echo owned
--b
Content-Type: text/x-test; name="shout.txt"
Content-Disposition: attachment; filename="shout.txt"

hello mailcap
--b
Content-Type: application/x-$(touch${IFS}pwned); name="x.bin"
Content-Disposition: attachment; filename="x.bin"

data
--b--
EOM
cat > "$md/cur/2.1.test:2,S" <<'EOM'
From: Carol <carol@example.com>
To: you@example.org
Subject: Only HTML
Date: Tue, 03 Feb 2026 10:00:00 +0000
Message-ID: <html@example.org>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><body><p>Hello <b>HTML</b> world</p></body></html>
EOM
cat > "$T/mailcap" <<EOM
text/x-test; tr a-z A-Z < %s; copiousoutput
application/*; echo type=%t file=%s; copiousoutput
EOM
# A stand-in for w3m: marks every line it converts.
cat > "$T/bin/w3m" <<'EOS'
#!/bin/sh
sed 's/<[^>]*>//g' | sed 's/^/W3M: /'
EOS
chmod +x "$T/bin/w3m"

TUI_PATH="$T/bin:$PATH" tui_start -S "spoolfile=$md" -S "mailcap_path=$T/mailcap"
check "the index is shown" wait_for "Hostile parts"
keys = Enter
check "the message is shown" wait_for "See the attachments."
check "attachment lines are shown in the body" wait_for "evil.sh"
keys v
check "v lists the parts" wait_for "text/x-test"
check "the help line names the keys" wait_line 1 "q:Exit"
keys j j
check "the cursor goes to the hostile part" wait_cursor "evil.sh"
keys s
check "s asks where to save" wait_for "Save to (directory or file): ./"
keys C-u "$T/dl/" Enter
check "it is saved" wait_for "Saved $T/dl/"
check "into the chosen directory" sh -c '[ "$(ls "$1" | wc -l)" -eq 1 ] && grep -q "echo owned" "$1"/*' - "$T/dl"
check "and nowhere else" sh -c '! [ -e "$1/evil.sh" ] && ! [ -e "$1/../evil.sh" ] && ! [ -e "$HOME/evil.sh" ]' - "$T"
saved=$(ls "$T/dl")
keys s C-u "$T/dl/" Enter
check "saving again asks before replacing" wait_for "exists: replace it? (yes/[no])"
keys y
check "and replaces it" wait_for "Saved $T/dl/$saved"

keys j Enter
check "mailcap copiousoutput shows the viewer's output" wait_for "HELLO MAILCAP"
keys q
check "q goes back to the parts" wait_for "text/x-test"
keys j Enter
check "the type is cut down and quoted for the viewer" wait_for "type=application/x- file="
check "no command from the message ran" sh -c '! [ -e "$1/pwned" ] && ! [ -e "$2/pwned" ]' - "$T" "$HOME"
check "the viewer got a file name petrel made" sh -c 'tmux -L "$1" capture-pane -t t -p | grep -q "file=.*/petrel-view-[A-Za-z0-9]*/attachment.bin"' - "$sock"
keys q q q

# HTML without a plain part goes through the converter.
keys j Enter
check "HTML is shown through the converter" wait_for "W3M: Hello HTML world"
check "a line says so" wait_for "[-- text/html shown as text by w3m --]"
keys q

# Piping a message.
keys "|" "cat > $T/piped" Enter
check "the command runs with the terminal" wait_for "Press any key to continue"
keys Enter
check "the message went to the command" sh -c 'grep -q "^Subject: Only HTML" "$1"' - "$T/piped"
check "the screen is back" wait_for "q:Quit  d:Del"
keys q
check "quit" restored 0

# The pager variable: messages go to that program instead.
cat > "$T/mypager" <<EOS
#!/bin/sh
cp "\$1" '$T/paged'
EOS
chmod +x "$T/mypager"
tui_start -S "spoolfile=$md" -S "pager=$T/mypager"
check "pager=: the index" wait_for "Only HTML"
keys = Enter
check "the message went to the pager program" wait_until sh -c 'grep -qs "^See the attachments." "$1"' - "$T/paged"
check "with its header fields" grep -q "^Subject: Hostile parts" "$T/paged"
check "and the index is back" wait_for "q:Quit  d:Del"
keys q
check "quit again" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
