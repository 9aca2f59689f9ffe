# Garbage and absurd counts never size anything and never index past the
# mailbox: EXISTS going backwards and malformed counts ask for a resync,
# FETCH and EXPUNGE past EXISTS are dropped with a warning, updates
# without a selected mailbox are ignored, a changed UIDVALIDITY asks for a
# resync.
P: tls
S: * PREAUTH [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE CONDSTORE QRESYNC ENABLE ESEARCH LITERAL+] ready
E: greeting PREAUTH *
S: * 5 EXISTS
S: * 1 EXPUNGE
S: * 1 FETCH (FLAGS (\Seen))
E: warning EXISTS with no mailbox selected
E: warning EXPUNGE with no mailbox selected
E: warning FETCH with no mailbox selected
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
S: * 10 EXISTS
S: * 5 EXISTS
E: exists 10
E: resync server said 5 messages after 10 without expunging any
S: * 999 FETCH (FLAGS (\Seen) UID 5)
S: * 0 FETCH (FLAGS (\Seen))
S: * 6 FETCH (UID 6 FLAGS ())
E: warning FETCH for message 999 of 5
E: warning malformed FETCH response: FETCH for an invalid message number
E: warning FETCH for message 6 of 5
S: * 999 EXPUNGE
S: * 0 EXPUNGE
S: * 5 EXPUNGE
E: warning EXPUNGE of message 999 of 5
E: resync malformed EXPUNGE response: EXPUNGE of message 0
E: expunge 5
S: * -1 EXISTS
S: * 4294967296 EXISTS
S: * 99999999999999999999 EXISTS
S: * abc EXISTS
E: resync malformed EXISTS response: count is not a 32-bit number
E: resync malformed EXISTS response: count is not a 32-bit number
E: resync malformed EXISTS response: count is not a 32-bit number
E: data OTHER 0 abc EXISTS
S: * 4294967295 EXISTS
S: * 3 RECENT
E: exists 4294967295
E: data 3 RECENT
S: * VANISHED 1:4294967295
E: vanished 1:4294967295
S: * VANISHED (EARLIER) 1:3,
S: * VANISHED 1:*
E: resync malformed VANISHED response: bad separator in a sequence set
E: resync malformed VANISHED response: bad range in a sequence set
S: * OK [UIDVALIDITY 42] changed
E: resync UIDVALIDITY changed from 1795368962 to 42
S: * 2 EXISTS
S: * 3 VANISHED 1
E: exists 2
E: data OTHER 3 VANISHED 1
S: * VANISHED 1:3
E: resync server said 3 messages vanished of 2
X: show-state
E: state SELECTED * exists=0 *
S: * 4 EXISTS
S: * 100000 EXPUNGE
S: * 4 EXPUNGE
S: * 4 EXPUNGE
S: * 1 EXPUNGE
S: * 1 EXPUNGE
S: * 1 EXPUNGE
S: * 1 EXPUNGE
E: exists 4
E: warning EXPUNGE of message 100000 of 4
E: expunge 4
E: warning EXPUNGE of message 4 of 3
E: expunge 1
E: expunge 1
E: expunge 1
E: warning EXPUNGE of message 1 of 0
