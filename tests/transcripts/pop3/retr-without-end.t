# A message without end and without a size limit streams in pieces
# (nothing is held whole) until the caller gives up; a lost connection
# then leaves it incomplete.
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
S* 20000 line of text\r\n
E: msg-begin 1
X: eof
E: msg-incomplete 1 280000 *
E: error connection: *lost in the middle of message 1 (280000 bytes received): the message is incomplete*
