# With PIPELINING offered (RFC 2449 section 6.6), commands go out without
# waiting and the answers are matched in order, multi-line ones included.
P: server=pop.petrel.test
S: +OK Dovecot (Debian) ready.
C: CAPA
S: +OK
S: CAPA
S: TOP
S: UIDL
S: RESP-CODES
S: PIPELINING
S: USER
S: .
E: ready TOP UIDL USER RESP-CODES PIPELINING
X: user alice alice-secret
C: USER alice
C: PASS <<alice-secret>>
X: stat
X: uidl
X: list
X: top 2 0
X: dele 2
X: quit
C: STAT
C: UIDL
C: LIST
C: TOP 2 0
C: DELE 2
C: QUIT
R: +OK\r\n+OK Logged in.\r\n+OK 2 127\r\n+OK\r\n1 u1\r\n2 u2\r\n.\r\n+OK 2 messages:\r\n1 80\r\n2 47\r\n.\r\n
R: +OK\r\nSubject: two\r\n\r\n.\r\n+OK Marked to be deleted.\r\n+OK Logging out, messages deleted.\r\n
E: logged-in Logged in.
E: stat 2 127
E: uidl 1 u1
E: uidl 2 u2
E: done UIDL
E: list 1 80
E: list 2 47
E: done LIST
E: msg-begin 2
E: msg-end 2 16 "Subject: two\r\n\r\n"
E: done DELE 2
E: closed update=done
