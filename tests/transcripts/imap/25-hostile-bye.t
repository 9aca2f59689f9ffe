# An unsolicited BYE in the middle of a FETCH, then close: a BYE event with
# the server's text, the session is in LOGOUT, and the end of the
# connection is no further error.  The FETCH never completes.
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
X: uid-fetch 1:* "UID FLAGS"
C: a2 UID FETCH 1:* (UID FLAGS)
S: * 1 FETCH (UID 1 FLAGS ())
S: * BYE Server shutting down: \x1b]0;pwn\x07
E: fetch FETCH 1 uid=1 flags=()=0
E: bye Server shutting down: \x1b]0;pwn\x07
X: eof
X: show-state
E: state LOGOUT tls=1 caps-known=1 in-flight=1
X: noop
E: refused usage: cannot send NOOP now: the command is not allowed in this state
