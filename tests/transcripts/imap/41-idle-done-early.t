# DONE asked for before the server accepted IDLE waits for the "+"; a
# server that refuses IDLE completes it with NO and nothing more is sent.
P: tls
S: * PREAUTH [CAPABILITY IMAP4rev1 IDLE] ready
E: greeting PREAUTH *
X: idle
C: a1 IDLE
X: done
S: + idling
C: DONE
E: continue 1 IDLE idling
S: a1 OK Idle completed
E: done a1 IDLE OK Idle completed
X: idle
C: a2 IDLE
X: done
S: a2 NO not now
E: done a2 IDLE NO not now
X: noop
C: a3 NOOP
S: a3 OK
E: done a3 NOOP OK 
