# "{n+}" is for clients only (RFC 7888); from a server it is an error.
S: * PREAUTH [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE CONDSTORE QRESYNC ENABLE ESEARCH LITERAL+] ready
E: greeting PREAUTH *
R: * 1 FETCH (BODY[] {10+}\r\n0123456789)\r\n
E: error protocol: server sent a non-synchronising literal, which only clients may send
