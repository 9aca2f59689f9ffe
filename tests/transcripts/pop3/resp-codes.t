# RFC 2449 / RFC 3206 response codes decide what kind of failure it is:
# [IN-USE] and [SYS/TEMP] say "try later", [AUTH] says "wrong
# credentials"; a refused USER means PASS is never sent.
P: server=pop.example no-pipelining
S: +OK ready
C: CAPA
S: +OK
S: RESP-CODES
S: AUTH-RESP-CODE
S: USER
S: .
E: ready USER RESP-CODES AUTH-RESP-CODE
X: user alice secret
C: USER alice
S: -ERR [AUTH] no such user
E: failed USER authentication [AUTH]: server pop.example refused USER: [AUTH] no such user
X: user alice secret
C: USER alice
S: +OK
C: PASS <<secret>>
S: -ERR [IN-USE] Mailbox is locked by another POP3 session
E: failed PASS connection [IN-USE]: server pop.example refused PASS: [IN-USE] Mailbox is locked by another POP3 session
X: user alice secret
C: USER alice
S: +OK
C: PASS <<secret>>
S: +OK
E: logged-in
X: retr 1
C: RETR 1
S: -ERR [SYS/TEMP] Cannot read the message now
E: failed RETR rejected [SYS/TEMP]: server pop.example refused RETR 1: [SYS/TEMP] Cannot read the message now
X: dele 1
C: DELE 1
S: -ERR Message is deleted already
E: failed DELE rejected: server pop.example refused DELE 1: Message is deleted already
X: dele 2
C: DELE 2
S: +OK
E: done DELE 2
X: quit
C: QUIT
S: -ERR [SYS/TEMP] some deleted messages not removed
E: closed update=failed rejected: server pop.example could not delete all marked messages: [SYS/TEMP] some deleted messages not removed
