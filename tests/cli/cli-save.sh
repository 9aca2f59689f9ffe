#!/bin/sh
# Saving and folders: save, Save, copy, Copy, write, file, folder,
# folders, pipe, edit, visual, shell, !.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cli/lib.sh"

cp "$data/basic.mbox" box
mkdir -p "$HOME/Mail"
run() { printf '%s\n' "$@" | pt -N -f box 2>&1; }

out=$(run 'save 1 4 new.mbox' 'exit')
check_eq "save to a new folder says so" "$out" '"new.mbox" [New file] 3/419'
check_eq "the new folder holds the messages" "$(subjects new.mbox | tr '\n' ,)" "Lunch?,Meeting notes,"
out=$(run 'save 2 new.mbox' 'exit')
check_eq "save to an existing folder appends" "$out" '"new.mbox" [Appended] 7/337'
check_eq "appended after the others" "$(subjects new.mbox | tr '\n' ,)" "Lunch?,Meeting notes,Re: Lunch?,"
check "exit after save leaves the folder as it was" cmp -s box "$data/basic.mbox"
check "a saved message reads back" sh -c 'printf "type 3\nexit\n" | "$PETREL" -n -N -f new.mbox | grep -q "Friday works"'

out=$(run 'save 3 +archive' 'from 3' 'exit')
check_eq "save +name goes under folder" "$(count_msgs "$HOME/Mail/archive")" 1
check_contains "a saved message shows *" "$out" "*  3 carol@example.com"
run 'Save 1' 'exit' >/dev/null
check_eq "Save names the file after the author" "$(subjects alice)" "Lunch?"
run 'set outfolder' 'Copy 5' 'exit' >/dev/null
check_eq "Copy with outfolder goes under folder" "$(subjects "$HOME/Mail/dave")" "Weekend plans"
run 'copy 2 +copies' 'exit' >/dev/null
check_eq "copy" "$(subjects "$HOME/Mail/copies")" "Re: Lunch?"
run 'save' 'exit' >/dev/null
check_eq "save without a file uses mbox" "$(subjects "$HOME/mbox")" "Lunch?"

# A maildir as the target.
mkdir -p md/cur md/new md/tmp
run 'save 1 2 md' 'exit' >/dev/null
check_eq "save into a maildir" "$(find md -type f | wc -l | tr -d ' ')" 2

out=$(run 'write 2 body.txt' 'exit')
check_eq "write stores the body only" "$(head -1 body.txt)" "Friday works for me."
check "write leaves the header out" sh -c '! grep -q "^Subject" body.txt'

# file/folder switch folders and report.
cp "$data/basic.mbox" other
out=$(run 'file other' 'file' 'exit')
check_contains "file switches folders" "$out" '"other": 5 messages'
out=$(run 'folder other' 'file #' 'exit')
check_contains "# is the previous folder" "$out" '/box": 5 messages'
out=$(run 'cd /' '!pwd' 'delete 1' 'quit')
check_eq "cd changes the directory" "$out" "/"
check_eq "a folder named relatively is still found after cd" "$(count_msgs box)" 4
cp "$data/basic.mbox" box
out=$(run 'fi +nosuch' 'exit')
check_contains "a folder that does not exist is an error" "$out" "petrel: "
out=$(run 'folders' 'exit')
check_eq "folders lists the folder directory" "$(printf '%s\n' "$out" | tr '\n' ,)" "archive,copies,dave,"
out=$(printf 'folders\nexit\n' | pt -S folder=/nonexistent-dir -N -f box 2>&1)
check_contains "folders on a missing directory is an error" "$out" "petrel: "

# pipe, shell escapes, editors.
out=$(run 'pipe 1 "grep -c Friday"' 'exit')
check_eq "pipe feeds the message to a command" "$out" "1"
out=$(run '| 2 "wc -l"' 'exit')
check "| is pipe" test "$out" -gt 5
out=$(run 'set cmd="grep -c Friday"' 'pipe 1' 'exit')
check_eq "pipe without a command uses cmd" "$out" "1"
out=$(run '!echo shell ran' 'exit')
check_eq "! runs a shell command" "$out" "shell ran"
out=$(run 'pipe 1 false' 'exit')
check_contains "a failing pipe command is reported" "$out" "petrel: pipe: false exited with status 1"

cp "$data/basic.mbox" box
cat > "$T/ed.sh" <<'EOS'
#!/bin/sh
cp "$1" "$HOME/edited"
echo "changed" >> "$1"
EOS
chmod +x "$T/ed.sh"
out=$(printf 'edit 3\nexit\n' | EDITOR="$T/ed.sh" pt -N -f box 2>&1)
check "edit gives the editor a copy of the message" grep -q "The report is ready." "$HOME/edited"
check_contains "edit says the folder keeps the original" "$out" "edited on a copy"
check "edit changes nothing in the folder" cmp -s box "$data/basic.mbox"
rm -f "$HOME/edited"
printf 'visual 1\nexit\n' | VISUAL="$T/ed.sh" pt -N -f box >/dev/null 2>&1
check "visual runs VISUAL" grep -q "Shall we have lunch" "$HOME/edited"
finish
