# UID lists become compressed sets cut to a byte bound, one command each;
# a command line over command-max is refused before anything is sent.
P: tls command-max=60
S: * PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS MOVE] ready
E: greeting PREAUTH *
X: seqset 100 1 2 3 4 5 7 9 10 11 12
E: seqset 1:5,7,9:12
X: seqset 8 1 2 3 4 5 7 9 10 11 12
E: seqset 1:5,7,9 10:12
X: seqset 4 100 101 102 200
E: seqset 100 101 102 200
X: seqset 100 0 5 5 6 4294967294 4294967295
E: seqset 5:6,4294967294:4294967295
X: select INBOX
C: a1 SELECT INBOX
S: * 20 EXISTS
S: a1 OK [READ-WRITE] ok
E: exists 20
E: done a1 SELECT OK [READ-WRITE] ok
X: uid-move 1:5,7,9:12 Trash
C: a2 UID MOVE 1:5,7,9:12 Trash
X: uid-move 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39 Trash
E: refused usage: UID MOVE command of 72 bytes is longer than 60
X: uid-fetch 1:* "UID FLAGS" changedsince=5
E: refused unsupported: the server does not offer CONDSTORE
X: uid-fetch "1:*,x" FLAGS
E: refused usage: bad sequence set
X: uid-fetch "1::3" FLAGS
E: refused usage: bad sequence set
X: uid-fetch 1 "FLAGS\r\nX LOGOUT"
E: refused usage: bad FETCH item list
X: uid-store 1 + "\\Seen)" 
E: refused usage: bad flag name
X: uid-search return=COUNT ALL
E: refused unsupported: the server does not offer ESEARCH
S: * 1 EXPUNGE
S: a2 OK done
E: expunge 1
E: done a2 UID MOVE OK done
