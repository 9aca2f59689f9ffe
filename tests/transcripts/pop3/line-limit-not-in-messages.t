# A 5000-byte line inside a message is content, not a protocol error:
# message content has no line limit.
P: server=pop.example line-max=64
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
X: retr 1 size=5002
C: RETR 1
S: +OK
S* 5000 x
R: \r\n.\r\n
E: msg-begin 1
E: msg-end 1 5002 *
