# Malformed response codes are kept as text and ignored; NO and BAD
# without text complete their command (CVE-2018-14349 class); a bad tagged
# line ends the session.
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
S: * OK [PERMANENTFLAGS (\Seen
S: * OK [UIDNEXT 0] x
S: * OK [UIDVALIDITY abc] y
S: * OK [HIGHESTMODSEQ 0] z
E: notice OK [!PERMANENTFLAGS (\\Seen] 
E: notice OK [!UIDNEXT 0] x
E: notice OK [!UIDVALIDITY abc] y
E: notice OK [!HIGHESTMODSEQ 0] z
X: show-state
E: state SELECTED * uidvalidity=1795368962 uidnext=0 * highestmodseq=0 permanentflags=0 read-only=0
X: uid-copy 1:3 Archive
C: a2 UID COPY 1:3 Archive
S: a2 OK [COPYUID 1 1:3 4:5] Copy completed.
E: done a2 UID COPY OK [!COPYUID 1 1:3 4:5] Copy completed.
X: noop
C: a3 NOOP
S: a3 NO
E: done a3 NOOP NO 
X: noop
C: a4 NOOP
S: a4 BAD
E: done a4 NOOP BAD 
X: noop
C: a5 NOOP
S: a5 MAYBE later
E: error protocol: server sent a malformed tagged response
