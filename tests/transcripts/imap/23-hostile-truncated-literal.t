# A literal shorter than announced, then a tagged OK and close: the OK is
# literal data, the connection ends mid-response, the FETCH never completes.
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
S: * 1 FETCH (UID 1 BODY[] {100}
S: only ten b)
S: a2 OK Fetch completed.
X: eof
E: error connection: server closed the connection in the middle of a response
