#!/bin/sh
# MIME extensions: parts/mimeview, showpart, saveattachment (safe names,
# no overwrite without -f), and decoded text in type.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cli/lib.sh"

cp "$data/mime.mbox" box
run() { printf "%s\n" "$@" | pt -N -f "$T/box" 2>&1; }

want="Message 1:
  1      text/plain 26
  2      application/octet-stream 6 \"data.bin\" [attachment]
  3      text/plain 11 \"notes.txt\" [attachment]"
check_eq "parts lists the parts" "$(run 'parts 1' 'exit')" "$want"
check_eq "mimeview is parts" "$(run 'mimeview 1' 'exit')" "$want"
out=$(run 'type 1' 'exit')
check_contains "type decodes quoted-printable latin1 to the locale" "$out" "See attached, naïve café."
check_contains "type lists attachments" "$out" "data.bin"
check_eq "showpart shows one part" "$(run 'showpart 1 3' 'exit')" "hello notes"
check_eq "showpart of a missing part" "$(run 'showpart 1 9' 'exit')" \
	"petrel: message 1: the message has no part 9"

mkdir out && cd out || bail "no out directory"
check_eq "saveattachment saves under the part's name" "$(run 'saveattachment 1 2' 'exit')" '"./data.bin"'
check_eq "the bytes are decoded" "$(od -An -tx1 data.bin | tr -d ' \n')" "0001020304ff"
check_contains "an existing file is not overwritten" "$(run 'saveattachment 1 2' 'exit')" \
	"(saveattachment -f replaces it)"
check_eq "the old file is still there" "$(od -An -tx1 data.bin | tr -d ' \n')" "0001020304ff"
echo old > data.bin
check_eq "-f overwrites" "$(run 'saveattachment -f 1 2' 'exit'; od -An -tx1 data.bin | tr -d ' \n')" \
	'"./data.bin"
0001020304ff'
check_eq "saveattachment to a named file" "$(run 'saveattachment 1 3 mine.txt' 'exit'; cat mine.txt)" \
	'"./mine.txt"
hello notes'
mkdir sub
check_eq "saveattachment into a directory the user names" \
	"$(run 'saveattachment 1 3 sub/n.txt' 'exit'; cat sub/n.txt)" '"sub/n.txt"
hello notes'

# Hostile file names never pick a directory.
check_eq "../ in a name stays here" "$(run 'saveattachment 2 2' 'exit')" '"./evil.sh"'
check "nothing was written above" test ! -e ../../evil.sh -a ! -e ../evil.sh
check_eq "an absolute name stays here" "$(run 'saveattachment 2 3' 'exit')" '"./passwd"'
check_eq "... with the content" "$(cat passwd)" "root:x:0:0"
check_eq "a name of dots gets a made-up name" "$(run 'saveattachment 2 4' 'exit')" '"./attachment-4"'
check_eq "only the expected files exist" "$(ls | tr '\n' ,)" "attachment-4,data.bin,evil.sh,mine.txt,passwd,sub,"
cd ..
check "reading attachments changes nothing on exit" cmp -s box "$data/mime.mbox"
finish
