# Names the server sent that need quoting go back escaped (CVE-2018-14352
# class), "NIL" is quoted (a bare NIL is no name); without LITERAL+ a name
# with CR LF waits for "+".
P: tls
S: * PREAUTH [CAPABILITY IMAP4rev1] ready
E: greeting PREAUTH *
X: list "" *
C: a1 LIST "" "*"
S: * LIST () "/" "we\"ird\\\\name"
S: * LIST () "/" "NIL"
S: * LIST () "/" NIL
S: * LIST () "/" {4}
R: x\r\ny\r\n
S: a1 OK done
E: data LIST ()=0 '/' "we\"ird\\name"
E: data LIST ()=0 '/' "NIL"
E: warning malformed LIST response: mailbox name is not a string
E: data LIST ()=0 '/' "x\r\ny" invalid
E: done a1 LIST OK done
X: select "we\"ird\\name"
C: a2 SELECT "we\"ird\\name"
S: a2 NO nope
E: done a2 SELECT NO nope
X: select NIL
C: a3 SELECT "NIL"
S: a3 NO nope
E: done a3 SELECT NO nope
X: select "x\r\ny"
C: a4 SELECT {4}
S: + go
C: x
C: y
S: a4 NO nope
E: done a4 SELECT NO nope
X: select "%*"
C: a5 SELECT "%*"
S: a5 NO nope
E: done a5 SELECT NO nope
