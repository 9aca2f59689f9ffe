# BODYSTRUCTURE nested 10,000 deep: the nesting bound (100 by default) ends
# the connection; the parser keeps an explicit stack, so nothing recurses.
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
X: uid-fetch 1 BODYSTRUCTURE
C: a2 UID FETCH 1 (BODYSTRUCTURE)
R: * 1 FETCH (UID 1 BODYSTRUCTURE 
S* 10000 (
R: "TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1
S* 10000 )
S: )
E: error protocol: server sent lists nested more than 100 deep
