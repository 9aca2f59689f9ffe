# 1.6 MB without a line end: the line bound (1 MB by default) ends the
# connection long before memory grows.
S: * PREAUTH [CAPABILITY IMAP4rev1 IDLE UIDPLUS MOVE CONDSTORE QRESYNC ENABLE ESEARCH LITERAL+] ready
E: greeting PREAUTH *
R: * OK 
S* 100000 AAAAAAAAAAAAAAAA
E: error protocol: server sent a line longer than 1 MB
