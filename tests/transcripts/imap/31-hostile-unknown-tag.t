# A completion for a tag no command has (here a tag already completed) is
# an error: it must never complete the wrong command.
P: tls
S: * PREAUTH [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE CONDSTORE QRESYNC ENABLE ESEARCH LITERAL+] ready
E: greeting PREAUTH *
X: noop
C: a1 NOOP
S: a1 OK done
E: done a1 NOOP OK done
X: noop
C: a2 NOOP
S: a1 OK done again
E: error protocol: server sent a completion for tag "a1", which no command in flight has
