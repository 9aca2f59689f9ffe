# A "+" no command waits for is an error.
P: tls
S: * PREAUTH [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE CONDSTORE QRESYNC ENABLE ESEARCH LITERAL+] ready
E: greeting PREAUTH *
X: noop
C: a1 NOOP
S: + go ahead
E: error protocol: server sent a continuation request ("+") no command waits for
