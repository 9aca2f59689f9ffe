# The server closes while a command is in flight, without BYE.
P: tls
S: * PREAUTH [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE CONDSTORE QRESYNC ENABLE ESEARCH LITERAL+] ready
E: greeting PREAUTH *
X: noop
C: a1 NOOP
X: eof
E: error connection: server closed the connection
