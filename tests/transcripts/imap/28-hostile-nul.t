# NUL bytes are never accepted in a response line (a C string would end
# there): the connection ends.  Inside literals they are data.
P: tls
S: * PREAUTH [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE CONDSTORE QRESYNC ENABLE ESEARCH LITERAL+] ready
E: greeting PREAUTH *
X: select INBOX
C: a1 SELECT INBOX
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
S: * 3 EXISTS
S: * OK [UIDVALIDITY 1795368962] UIDs valid
S: a1 OK [READ-WRITE] Select completed.
E: data FLAGS *
E: exists 3
E: notice OK [UIDVALIDITY 1795368962] UIDs valid
E: done a1 SELECT OK *
X: uid-fetch 1 BODY.PEEK[HEADER]
C: a2 UID FETCH 1 (BODY.PEEK[HEADER])
S: * 1 FETCH (UID 1 BODY[HEADER] {12}
R: Subject: \0\r\n)\r\n
E: fetch FETCH 1 uid=1 BODY[HEADER]="Subject: \x00\r\n"
S: * OK [ALERT] hello\0world
E: error protocol: server sent a NUL byte in a response line
