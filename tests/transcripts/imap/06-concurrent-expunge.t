# Without QRESYNC another client's expunge shows as EXPUNGE, in the middle
# of our command; sequence numbers move down, EXISTS follows.  Lines from
# the second Dovecot 2.3.19 session of the capture, except the EXPUNGE
# inside the UID FETCH, which RFC 3501 allows during any UID command.
P: tls
S: * PREAUTH [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE] Logged in as alice
E: greeting PREAUTH *
X: select INBOX
C: a1 SELECT INBOX
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted.
S: * 2 EXISTS
S: * 0 RECENT
S: * OK [UNSEEN 2] First unseen.
S: * OK [UIDVALIDITY 1795368962] UIDs valid
S: * OK [UIDNEXT 4] Predicted next UID
S: a1 OK [READ-WRITE] Select completed (0.002 + 0.000 + 0.001 secs).
E: data FLAGS *
E: notice *
E: exists 2
E: data 0 RECENT
E: notice *
E: notice *
E: notice *
E: done a1 SELECT OK *
X: uid-store 1 + \Deleted silent
C: a2 UID STORE 1 +FLAGS.SILENT (\Deleted)
S: a2 OK Store completed (0.001 + 0.000 secs).
E: done a2 UID STORE OK *
X: expunge 1
C: a3 UID EXPUNGE 1
S: * 1 EXPUNGE
S: a3 OK Expunge completed (0.001 + 0.000 secs).
E: expunge 1
E: done a3 UID EXPUNGE OK *
X: uid-fetch 1:* "UID FLAGS"
C: a4 UID FETCH 1:* (UID FLAGS)
S: * 1 FETCH (UID 2 FLAGS ())
S: * 1 EXPUNGE
S: * 1 EXISTS
S: * 1 FETCH (UID 4 FLAGS ())
S: a4 OK Fetch completed (0.001 + 0.000 secs).
E: fetch FETCH 1 uid=2 flags=()=0
E: expunge 1
E: exists 1
E: fetch FETCH 1 uid=4 flags=()=0
E: done a4 UID FETCH OK *
X: show-state
E: state SELECTED tls=1 caps-known=1 in-flight=0 exists=1 recent=0 uidvalidity=1795368962 uidnext=4 unseen=2 highestmodseq=0 permanentflags=0x9f read-only=0
# Sequence-number commands may only be pipelined behind FETCH, STORE and
# SEARCH by sequence number (RFC 3501 5.5).
X: fetch 1 FLAGS
C: a5 FETCH 1 (FLAGS)
X: can-send store
E: can-send store: yes
X: store 1 + \Seen
C: a6 STORE 1 +FLAGS (\Seen)
X: uid-fetch 1:* FLAGS
C: a7 UID FETCH 1:* (FLAGS)
X: can-send fetch
E: can-send fetch: a command using sequence numbers cannot follow this one
X: fetch 1 FLAGS
E: refused usage: cannot send FETCH now: a command using sequence numbers cannot follow this one
X: can-send uid-store
E: can-send uid-store: yes
S: * 1 FETCH (FLAGS ())
S: a5 OK Fetch completed (0.001 + 0.000 secs).
S: * 1 FETCH (FLAGS (\Seen))
S: a6 OK Store completed (0.001 + 0.000 secs).
S: * 1 FETCH (UID 4 FLAGS (\Seen))
S: a7 OK Fetch completed (0.001 + 0.000 secs).
E: fetch FETCH 1 flags=()=0
E: done a5 FETCH OK *
E: fetch FETCH 1 flags=(\\Seen)=0x1
E: done a6 STORE OK *
E: fetch FETCH 1 uid=4 flags=(\\Seen)=0x1
E: done a7 UID FETCH OK *
X: close
C: a8 CLOSE
S: a8 OK Close completed (0.001 + 0.000 secs).
E: done a8 CLOSE OK *
X: show-state
E: state AUTHENTICATED tls=1 caps-known=1 in-flight=0
