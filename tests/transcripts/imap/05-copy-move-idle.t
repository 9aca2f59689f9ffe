# Dovecot 2.3.19 with QRESYNC enabled: COPY and MOVE with COPYUID, a MOVE's
# VANISHED, a VANISHED from another client's expunge arriving in the middle
# of a STORE, IDLE woken by EXISTS, then a CHANGEDSINCE fetch with
# VANISHED (EARLIER).  The message count follows every step.
P: tls
S: * PREAUTH [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE] Logged in as alice
E: greeting PREAUTH *
X: enable QRESYNC
C: a1 ENABLE QRESYNC
S: * ENABLED QRESYNC
S: a1 OK Enabled (0.001 + 0.000 secs).
E: data ENABLED (QRESYNC)
E: done a1 ENABLE OK *
X: select INBOX
C: a2 SELECT INBOX
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted.
S: * 3 EXISTS
S: * 3 RECENT
S: * OK [UNSEEN 2] First unseen.
S: * OK [UIDVALIDITY 1795368962] UIDs valid
S: * OK [UIDNEXT 4] Predicted next UID
S: * OK [HIGHESTMODSEQ 5] Highest
S: a2 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).
E: data FLAGS *
E: notice OK [PERMANENTFLAGS *
E: exists 3
E: data 3 RECENT
E: notice OK [UNSEEN 2] *
E: notice OK [UIDVALIDITY 1795368962] *
E: notice OK [UIDNEXT 4] *
E: notice OK [HIGHESTMODSEQ 5] *
E: done a2 SELECT OK [READ-WRITE] *
X: uid-copy 1:2 Archive
C: a3 UID COPY 1:2 Archive
S: a3 OK [COPYUID 1795368964 1:2 1:2] Copy completed (0.008 + 0.000 + 0.007 secs).
E: done a3 UID COPY OK [COPYUID 1795368964 1:2 1:2] Copy completed (0.008 + 0.000 + 0.007 secs).
X: uid-move 3 Trash
C: a4 UID MOVE 3 Trash
S: * OK [COPYUID 1795368961 3 1] Moved UIDs.
S: * VANISHED 3
S: * 2 RECENT
S: a4 OK [HIGHESTMODSEQ 6] Move completed (0.008 + 0.000 + 0.007 secs).
E: notice OK [COPYUID 1795368961 3 1] Moved UIDs.
E: vanished 3
E: data 2 RECENT
E: done a4 UID MOVE OK [HIGHESTMODSEQ 6] Move completed (0.008 + 0.000 + 0.007 secs).
X: show-state
E: state SELECTED tls=1 caps-known=1 in-flight=0 exists=2 recent=2 uidvalidity=1795368962 uidnext=4 unseen=2 highestmodseq=6 permanentflags=0x9f read-only=0
# Another client expunged UID 1; the server says so inside our STORE.
X: uid-store 2 - \Flagged
C: a5 UID STORE 2 -FLAGS (\Flagged)
S: * 2 FETCH (UID 2 MODSEQ (9) FLAGS (\Recent))
S: * VANISHED 1
S: * 1 RECENT
S: a5 OK Store completed (0.004 + 0.000 + 0.003 secs).
E: fetch FETCH 2 uid=2 flags=(\\Recent)=0x20 modseq=9
E: vanished 1
E: data 1 RECENT
E: done a5 UID STORE OK Store completed (0.004 + 0.000 + 0.003 secs).
X: show-state
E: state SELECTED * exists=1 *
X: idle
C: a6 IDLE
X: can-send noop
E: can-send noop: a command that must complete alone is in flight
S: + idling
E: continue 6 IDLE idling
S: * 2 EXISTS
S: * OK [HIGHESTMODSEQ 10] Highest
E: exists 2
E: notice OK [HIGHESTMODSEQ 10] Highest
X: done
C: DONE
X: done
S: a6 OK Idle completed (0.506 + 0.506 + 0.505 secs).
E: done a6 IDLE OK Idle completed (0.506 + 0.506 + 0.505 secs).
X: uid-fetch 1:* FLAGS changedsince=1 vanished
C: a7 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)
S: * VANISHED (EARLIER) 1,3
S: * 1 FETCH (UID 2 FLAGS (\Recent) MODSEQ (9))
S: * 2 FETCH (UID 4 FLAGS () MODSEQ (10))
S: a7 OK Fetch completed (0.001 + 0.000 secs).
E: vanished earlier 1,3
E: fetch FETCH 1 uid=2 flags=(\\Recent)=0x20 modseq=9
E: fetch FETCH 2 uid=4 flags=()=0 modseq=10
E: done a7 UID FETCH OK Fetch completed (0.001 + 0.000 secs).
X: show-state
E: state SELECTED tls=1 caps-known=1 in-flight=0 exists=2 recent=1 uidvalidity=1795368962 uidnext=4 unseen=2 highestmodseq=10 permanentflags=0x9f read-only=0
X: logout
C: a8 LOGOUT
S: * BYE Logging out
S: a8 OK Logout completed (0.001 + 0.000 secs).
E: bye Logging out
E: done a8 LOGOUT OK *
