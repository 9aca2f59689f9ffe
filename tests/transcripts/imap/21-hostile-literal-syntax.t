# A negative literal count loses the framing: an error for the connection.
S: * PREAUTH [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE CONDSTORE QRESYNC ENABLE ESEARCH LITERAL+] ready
E: greeting PREAUTH *
R: * LIST () "/" {-1}\r\n
E: error protocol: server sent a malformed literal count
