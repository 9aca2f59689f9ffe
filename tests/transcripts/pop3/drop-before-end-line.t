# The connection drops right before the terminating line, after ".\r"
# but before its LF: still incomplete.
P: server=pop.example
S: +OK ready
C: CAPA
S: -ERR
E: ready no-capa
X: user alice secret
C: USER alice
S: +OK
C: PASS <<secret>>
S: +OK
E: logged-in
X: retr 1
C: RETR 1
S: +OK
S: body
R: .\r
E: msg-begin 1
X: eof
E: msg-incomplete 1 6 "body\r\n"
E: error connection: *lost in the middle of message 1*
