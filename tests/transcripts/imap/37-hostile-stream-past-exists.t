# A streamed body for a message past EXISTS: one warning for the whole
# literal, none of its bytes handed on, and a warning for the FETCH.
P: tls stream-min=16
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
S: * 7 FETCH (UID 9 BODY[] {40}
S: 01234567890123456789012345678901234567
S: )
E: warning FETCH body for message 7 of 3
E: warning FETCH for message 7 of 3
S: * 2 FETCH (UID 2 BODY[1] {20}
S: abcdefghijklmnopqr
S: )
E: chunk CHUNKS 2 uid=2 BODY[1] total=20 "abcdefghijklmnopqr\r\n"
E: fetch FETCH 2 uid=2 BODY[1]=<streamed 20>
