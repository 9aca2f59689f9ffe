# With UTF8=ACCEPT enabled (RFC 6855) mailbox names are UTF-8 both ways,
# and 8-bit strings may be quoted.
P: tls
S: * PREAUTH [CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT LITERAL+] ready
E: greeting PREAUTH *
X: create "u8:Entw\xc3\xbcrfe"
C: a1 CREATE Entw&APw-rfe
S: a1 OK done
E: done a1 CREATE OK done
X: enable UTF8=ACCEPT
C: a2 ENABLE UTF8=ACCEPT
S: * ENABLED UTF8=ACCEPT
S: a2 OK enabled
E: data ENABLED (UTF8=ACCEPT)
E: done a2 ENABLE OK enabled
X: create "u8:Entw\xc3\xbcrfe"
C: a3 CREATE "Entwürfe"
S: a3 OK done
E: done a3 CREATE OK done
X: list "" "u8:Entw\xc3\xbc*"
C: a4 LIST "" "Entwü*"
S: * LIST (\HasNoChildren) "/" "Entwürfe"
S: * LIST (\HasNoChildren) "/" "Entw&APw-rfe"
S: a4 OK done
E: data LIST (\\HasNoChildren)=0x100 '/' "Entw\xc3\xbcrfe"
E: data LIST (\\HasNoChildren)=0x100 '/' "Entw&APw-rfe"
E: done a4 LIST OK done
X: create "u8:bad\xff"
E: refused usage: mailbox name is not valid UTF-8
X: create "two\r\nlines"
C: a5 CREATE {10+}
C: two
C: lines
S: a5 NO [CANNOT] bad name
E: done a5 CREATE NO [?CANNOT] bad name
