# Dovecot 2.3.19 configured without LITERAL+: APPEND's message waits for
# the server's "+ OK"; a rejected APPEND (NO before any "+") drops the
# rest of its bytes and the next command goes out; a search string with
# 8-bit text needs a synchronising literal too.
P: allow-plaintext
S: * OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED CONDSTORE QRESYNC ESEARCH LIST-STATUS BINARY MOVE SPECIAL-USE STARTTLS AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.
E: greeting OK *
X: login alice secret
C: a1 LOGIN alice <<secret>>
S: a1 OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED CONDSTORE QRESYNC ESEARCH LIST-STATUS BINARY MOVE SPECIAL-USE] Logged in
E: done a1 LOGIN OK *
X: append Drafts flags=\Draft,\Seen date=1700042400 "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: draft\r\n\r\nHello\r\n"
C: a2 APPEND Drafts (\Draft \Seen) "15-Nov-2023 10:00:00 +0000" {79}
X: can-send noop
E: can-send noop: yes
X: noop
S: + OK
C: From: Alice <alice@example.com>
C: To: bob@example.net
C: Subject: draft
C: 
C: Hello
C: 
C: a3 NOOP
S: a2 OK [APPENDUID 1795368963 1] Append completed (0.030 + 0.000 + 0.029 secs).
S: a3 OK NOOP completed (0.001 + 0.000 secs).
E: done a2 APPEND OK [APPENDUID 1795368963 1] Append completed (0.030 + 0.000 + 0.029 secs).
E: done a3 NOOP OK *
X: append Nonexistent "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: draft\r\n\r\nHello\r\n"
C: a4 APPEND Nonexistent {79}
X: noop
S: a4 NO [TRYCREATE] Mailbox doesn't exist: Nonexistent (0.001 + 0.000 secs).
E: done a4 APPEND NO [TRYCREATE] Mailbox doesn't exist: Nonexistent (0.001 + 0.000 secs).
C: a5 NOOP
S: a5 OK NOOP completed (0.001 + 0.000 secs).
E: done a5 NOOP OK *
X: select Drafts
C: a6 SELECT Drafts
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted.
S: * 1 EXISTS
S: * 1 RECENT
S: * OK [UIDVALIDITY 1795368963] UIDs valid
S: * OK [UIDNEXT 2] Predicted next UID
S: * OK [HIGHESTMODSEQ 2] Highest
S: a6 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).
E: data FLAGS *
E: notice *
E: exists 1
E: data 1 RECENT
E: notice *
E: notice *
E: notice *
E: done a6 SELECT OK *
X: uid-search SUBJECT "=dr\xc3\xa4ft"
C: a7 UID SEARCH CHARSET UTF-8 SUBJECT {6}
S: + OK
C: dräft
S: * SEARCH
S: a7 OK Search completed (0.001 + 0.001 secs).
E: data SEARCH
E: done a7 UID SEARCH OK *
X: search UNSEEN
C: a8 SEARCH UNSEEN
S: * SEARCH
S: a8 OK Search completed (0.001 + 0.000 secs).
E: data SEARCH
E: done a8 SEARCH OK *
X: store 1 + \Deleted
C: a9 STORE 1 +FLAGS (\Deleted)
S: * 1 FETCH (FLAGS (\Deleted \Seen \Draft \Recent))
S: a9 OK Store completed (0.001 + 0.000 secs).
E: fetch FETCH 1 flags=(\\Deleted \\Seen \\Draft \\Recent)=0x39
E: done a9 STORE OK *
X: expunge
C: a10 EXPUNGE
S: * 1 EXPUNGE
S: * 0 RECENT
S: a10 OK Expunge completed (0.002 + 0.000 + 0.001 secs).
E: expunge 1
E: data 0 RECENT
E: done a10 EXPUNGE OK *
X: show-state
E: state SELECTED * exists=0 recent=0 *
X: close
C: a11 CLOSE
S: a11 OK Close completed (0.001 + 0.000 secs).
E: done a11 CLOSE OK *
X: logout
C: a12 LOGOUT
S: * BYE Logging out
S: a12 OK Logout completed (0.001 + 0.000 secs).
E: bye Logging out
E: done a12 LOGOUT OK *
