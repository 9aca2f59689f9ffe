# A literal count far over the bound, a few bytes, then the connection
# closes: an error naming the count and the limit; nothing is allocated for
# it and nothing half-read comes out as a message.
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
X: uid-fetch 1 BODY.PEEK[]
C: a2 UID FETCH 1 (BODY.PEEK[])
R: * 1 FETCH (UID 1 BODY[] {4294967295}\r\nFrom: x
E: error protocol: server sent a literal of 4294967295 bytes (limit 64 MB)
X: eof
